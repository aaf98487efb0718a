"""Site-only forum categories: added by command, shown only to that site when the deployment allows."""

from react_toolkit.extensions import db
from react_toolkit.forum.models import ForumCategory


def test_site_category_shows_only_to_its_site_when_switched_on(make_app, create_user, login):
    app = make_app(FORUM_SITE_CATEGORIES=True)
    with app.app_context():
        runner = app.test_cli_runner()
        ours = create_user("relative")
        theirs = create_user("relative")
        result = runner.invoke(
            args=["react", "add-forum-category", "--name", "Our local group", "--site", ours.team.site.code]
        )
        assert result.exit_code == 0, result.output
        assert db.session.scalar(db.select(ForumCategory)).site_id == ours.team.site_id
        bad = runner.invoke(args=["react", "add-forum-category", "--name", "X", "--site", "nowhere"])
        assert bad.exit_code != 0 and "no site" in bad.output
        mine, other = app.test_client(), app.test_client()
        login(ours, the_client=mine)
        login(theirs, the_client=other)
        assert "Our local group" in mine.get("/forum").get_data(as_text=True)
        assert "Our local group" not in other.get("/forum").get_data(as_text=True)


def test_site_categories_hidden_when_the_deployment_has_one_national_forum(app, create_user, login, client):
    member = create_user("relative")
    runner = app.test_cli_runner()
    runner.invoke(args=["react", "add-forum-category", "--name", "Local", "--site", member.team.site.code])
    login(member)
    assert "Local" not in client.get("/forum").get_data(as_text=True)
