import pytest
from tests.forum.helpers import *

@pytest.mark.forum_config(**RELAXED)
def test_scratch(client, login, create_user, categories):
    a = create_user()
    login(a)
    r = start_thread(client, "introductions", "Hello <b>x</b>", "**bold** [l](https://e.org) <i>raw</i>")
    print(r.status_code, r.headers.get("Location"))
    tid = thread_id_from(r)
    open("/tmp/scratch/thread.html", "w").write(page(client, f"/forum/threads/{tid}"))
    open("/tmp/scratch/cat.html", "w").write(page(client, f"/forum/introductions"))
