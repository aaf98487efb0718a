"""A web worker holds only what serving pages needs.

pyarrow (about 90 MB resident) writes Parquet research exports, and scipy (30 MB for the one
function the outcome figures use, 100 MB for `scipy.stats`) gives a confidence interval; sklearn
trains the risk classifier from the command line. None of them is loaded by building the app, so
every worker process starts without them. This runs in a fresh interpreter, because the test
process itself has long since loaded them all.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("pyarrow", "scipy", "sklearn", "pandas", "hypothesis")

PROGRAM = """
import json, sys
from react_toolkit import create_app
from react_toolkit.config import for_tests
app = create_app(for_tests(sys.argv[1]))
client = app.test_client()
statuses = [client.get(path).status_code for path in ("/", "/sign-in", "/help/crisis")]
print(json.dumps({"statuses": statuses, "loaded": sorted(name for name in sys.argv[2:] if name in sys.modules)}))
"""


def test_building_the_app_and_serving_pages_loads_no_heavy_library(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'memory.db'}"
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-c", PROGRAM, url, *HEAVY],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["loaded"] == [], f"a worker loads {answer['loaded']} before anything needs it"
    assert all(status < 500 for status in answer["statuses"])


def test_the_loaders_still_reach_the_libraries() -> None:
    """The places that load a heavy library on first use still find what they need."""
    from react_toolkit.outcomes.figures import MIN_PEOPLE, Change
    from react_toolkit.research import exports

    change = Change.of(list(range(1, MIN_PEOPLE + 1)))
    assert change.lower is not None and change.lower < change.mean < change.upper
    assert {column.type for column in exports.USAGE_COLUMNS} <= {"timestamp", "string", "int64", "int16"}
