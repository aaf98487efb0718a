"""The research export of questionnaires: one row per answer set, pseudonymised, research consent only."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pyarrow.parquet as pq

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.outcomes.models import MeasureAnswer
from react_toolkit.research.exports import Window, pseudonym, write_export

KEY = "k" * 32
AT = datetime(2027, 4, 5, 9, 30, tzinfo=UTC)


def test_one_row_per_answer_set_only_for_relatives_who_agreed_to_research(app, create_user):
    agreed, refused = create_user(R.RELATIVE), create_user(R.RELATIVE)
    agreed.research_consent = True
    for person, total in ((agreed, 11), (refused, 19)):
        db.session.add(
            MeasureAnswer(user_id=person.id, instrument="phq9", time_point="week12", in_window=False,
                          days_since_registration=100, completed_at=AT, answers={"down": 2, "interest": 1},
                          total=total, band="moderate")
        )  # fmt: skip
    db.session.commit()

    out = io.BytesIO()
    assert write_export(out, "measures", "csv", key=KEY, window=Window()) == 1
    [row] = list(csv.DictReader(io.StringIO(out.getvalue().decode())))
    assert row == {
        "actor": pseudonym(agreed.id, KEY),
        "instrument": "phq9",
        "time_point": "week12",
        "in_window": "False",
        "days_since_registration": "100",
        "completed_at": AT.isoformat(),
        "item_answers": json.dumps({"down": 2, "interest": 1}),
        "total": "11",
        "band": "moderate",
    }
    assert agreed.email not in out.getvalue().decode()

    parquet = io.BytesIO()
    assert write_export(parquet, "measures", "parquet", key=KEY, window=Window()) == 1
    parquet.seek(0)
    table = pq.read_table(parquet)
    assert table.column("total").to_pylist() == [11]
    assert table.column("in_window").to_pylist() == [False]
