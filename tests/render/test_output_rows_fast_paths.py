"""``output_rows``' fast paths give exactly what the plain ones gave: rows as tuples
(``fields``, as ``due`` hands them over) print as the same rows as dicts; JSON made a column
at a time (each distinct value's JSON once) is ``json.dumps`` of each row's object; and a
table looks for control characters in each column's distinct cells only, so a control
character in one cell repeated thousands of times, or in the one cell of a column otherwise
plain, is still shown escaped, never sent to the terminal."""

from __future__ import annotations

import io
import json
import random
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from complaints_cli.domain.presentation import json_default
from complaints_cli.render import listing

VALUES: list[Any] = [
    True, 1, 1.0, False, 0, 0.0, None, "", "1", "true", "null", date(2026, 11, 27),
    datetime(2026, 11, 27), datetime(2026, 11, 27, 9, 30), date(2026, 11, 30), -3, 12,
    2**70, 1.5, float("inf"), Decimal("12.50"), "x\x1b[31my", "two\nlines", 'quote " and \\',
    "Zoë 漢字 \u202e", "\t", "Close the case if the resident has not escalated",
]  # fmt: skip


def _old_json(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """The JSON writer as it was: one ``json.dumps`` a row."""
    out = ["["]
    for i, r in enumerate(rows):
        out.append(",\n" if i else "\n")
        out.append(
            json.dumps({c: r.get(c) for c in columns}, ensure_ascii=False, default=json_default)
        )
    out.append("\n]\n" if rows else "]\n")
    return "".join(out)


def _printed(rows: Any, columns: list[str], fmt: str, **kw: Any) -> str:
    out = io.StringIO()
    listing.output_rows(rows, columns, fmt, out=out, **kw)
    return out.getvalue()


def test_json_a_column_at_a_time_is_json_dumps_of_each_row() -> None:
    rng = random.Random(2026)
    for trial in range(300):
        columns = [f"c{i}" for i in range(rng.randint(1, 5))] + (['k"ey'] if trial % 7 else [])
        pool = rng.sample(VALUES, rng.randint(1, len(VALUES)))
        rows = [
            {c: rng.choice(pool) for c in columns if rng.random() < 0.9}
            for _ in range(rng.randint(0, 40))
        ]
        assert _printed(rows, columns, "json") == _old_json(rows, columns), trial
        fields = [*columns, "extra"]
        as_tuples = [tuple(r.get(c) for c in fields) for r in rows]
        full = [{c: r.get(c) for c in columns} for r in rows]
        assert _printed(as_tuples, columns, "json", fields=fields) == _old_json(full, columns)


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_rows_as_tuples_print_as_the_same_rows_as_dicts(fmt: str, monkeypatch: Any) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    rng = random.Random(15)
    fields = ["a", "b", "c", "d"]
    for trial in range(100):
        rows = [{f: rng.choice(VALUES) for f in fields} for _ in range(rng.randint(0, 30))]
        columns = rng.sample(fields, rng.randint(1, 4))
        tuples = [tuple(r[f] for f in fields) for r in rows]
        kw: dict[str, Any] = {"title": "T", "no_wrap": columns[:1], "as_text": columns[-1:]}
        want = _printed(rows, columns, fmt, **kw)
        assert _printed(tuples, columns, fmt, fields=fields, **kw) == want, trial


@pytest.mark.parametrize("where", ["label", "reference", "handler"])
def test_a_control_character_in_a_repeated_or_lone_cell_is_shown_escaped(
    where: str, monkeypatch: Any
) -> None:
    """3,000 rows, each column's cells repeated (as a due list's are) but for the references,
    and one column only holding something a terminal would obey: an escape sequence in one
    label shown a thousand times, a bell in one reference, a right-to-left override in a
    handler shown 1,500 times. Each is escaped on every line it is on."""
    monkeypatch.setenv("COLUMNS", "200")
    unsafe = {
        "label": "Acknowledge \x1b[2J the complaint",
        "reference": "SPRUCE\x07BELL",
        "handler": "Sam \u202eetaP",
    }
    rows = [
        (
            unsafe["reference"] if n == 1234 and where == "reference" else f"SPRUCE{n}",
            unsafe["label"] if n % 3 == 0 and where == "label" else "Stage 1 response",
            date(2026, 11, 20 + n % 5),
            n % 5,
            unsafe["handler"] if n % 2 == 0 and where == "handler" else "Kim Ho",
        )
        for n in range(3000)
    ]
    fields = ["reference", "milestone", "due", "left", "handler"]
    text = _printed(rows, fields, "table", fields=fields, as_text=fields[:2] + fields[-1:])
    assert not any(ch in text for ch in "\x1b\x07\u202e")
    shown = unsafe[where].encode("unicode_escape").decode("ascii")
    times = {"label": 1000, "reference": 1, "handler": 1500}[where]
    assert sum(shown in line for line in text.splitlines()) == times
