"""``report annual --docx``: the annual complaints performance and service improvement report
(Complaint Handling Code 2024, section 8) as a Word document, opened back with python-docx.

On the extended log of ``tests/report_log.py`` (its figures worked by hand in
``tests/cli/test_report_counting.py``): every table holds the same figures as
``report annual --format json``; what the log cannot give is a highlighted instruction, never
invented text (issue 13, item 8).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX

from tests.report_log import (
    extended_log,
    extended_log_file,  # noqa: F401  (the fixture extended_log uses)
    report_json,
)

PERIOD = (
    "--from",
    "01/03/2025",
    "--to",
    "31/05/2025",
    "--homes-lcra",
    "800",
    "--homes-lcho",
    "200",
)


log = extended_log  # the extended log in this test's own file (tests/report_log.py)


def tables(path: Path) -> dict[str, list[list[str]]]:
    """Each table by its caption (the bold paragraph before it): rows of cell texts."""
    document = docx.Document(str(path))
    out: dict[str, list[list[str]]] = {}
    body = document.element.body
    caption = ""
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[1]
        if tag == "p":
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
            if text:
                caption = text
        elif tag == "tbl":
            table = next(t for t in document.tables if t._tbl is child)
            out[caption] = [[cell.text for cell in row.cells] for row in table.rows]
    return out


def test_the_document_holds_the_json_s_figures(log: Any, tmp_path: Path) -> None:
    target = tmp_path / "annual.docx"
    result = log("report", "annual", *PERIOD, "--docx", str(target))
    assert result.exit_code == 0, result.output
    assert f"Saved the document to {target}" in result.stderr
    data = report_json(log, "annual", *PERIOD)
    found = tables(target)
    # Every figure, in order, with its value and what it counts.
    figures = found["Figures"]
    assert figures[0] == ["Section", "Figure", "Value", "What it counts, and the timescales used"]
    assert figures[1:] == [
        [f["section"], f["label"], f["text"], f["note"]] for f in data["figures"]
    ]
    # The self-assessment: section 6 provision by provision, the log's figures where it has them.
    assessment = {row[0]: row for row in found["Self-assessment"][1:]}
    assert list(assessment)[:20] == [f"6.{n}" for n in range(1, 21)]
    by_key = {f["key"]: f for f in data["figures"]}
    for provision, key in (("6.2", "sa_ack"), ("6.3", "sa_stage1"), ("6.13", "sa_stage2_reviewer")):
        f = by_key[key]
        assert assessment[provision][2].startswith(f"{f['label']}: {f['text']}"), provision
    # 6.3 counts out SPRUCE008 (withdrawn before its response), 005 and 006 (not answered by
    # 31/05): 3, each with why.
    assert assessment["6.3"][2].endswith(
        "(3 counted out, each with why, in the workbook and the JSON)"
    )
    assert assessment["6.1"][2].startswith("[The log holds no evidence")
    assert assessment["6.1"][1].startswith("Landlords must have processes in place")
    assert {row[3] for row in assessment.values()} == {"[Yes / No]"}
    # The outcomes, categories and refusals: the JSON's counts.
    for b in data["breakdowns"]:
        rows = found[b["label"]]
        assert rows[0] == [b["label"], *b["columns"], "Total"]
        assert rows[1:-1] == [
            [r["label"], *map(str, r["counts"]), str(r["total"])] for r in b["rows"]
        ]
        assert rows[-1] == ["Total", *map(str, b["totals"]), str(sum(b["totals"]))]
    refused = found["Refused complaints, case by case"]
    assert [(r[0], r[3], r[4]) for r in refused[1:]] == [
        (
            "SPRUCE010",
            "Asked more than 20 working days after the Stage 1 response",
            "told Thu 22/05/2025",
        ),
        ("SPRUCE009", "Outside the 12-month time limit", "told Wed 14/05/2025"),
    ]
    learning = found["Organisational learning recorded in the period"]
    assert [(r[0], r[1], r[2]) for r in learning[1:]] == [
        ("SPRUCE004", "01/05/2025", "Check roofs after storms"),
        ("SPRUCE001", "20/05/2025", "=Book contractors by text"),
    ]
    assert found["Determinations recorded in the period"][1] == [
        "SPRUCE007",
        "28/05/2025",
        "Service failure in complaint handling",
        "order: Pay £100 compensation (due Wed 25/06/2025)",
    ]


def test_what_the_log_cannot_give_is_a_highlighted_instruction(log: Any, tmp_path: Path) -> None:
    target = tmp_path / "annual.docx"
    assert log("report", "annual", *PERIOD, "--docx", str(target)).exit_code == 0
    document = docx.Document(str(target))
    runs = [r for p in document.paragraphs for r in p.runs] + [
        r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs
        for r in p.runs
    ]  # fmt: skip
    instructions = [r for r in runs if r.text.startswith("[")]
    assert instructions and all(
        r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in instructions
    )
    assert not [r for r in runs if r.font.highlight_color and not r.text.startswith("[")]
    text = "\n".join(p.text for p in document.paragraphs)
    for heading in (
        "1. Self-assessment against the Complaint Handling Code (8.1 a)",
        "2. Complaint handling performance (8.1 b)",
        "Complaints refused (8.1 b)",
        "4. Findings of non-compliance by the Ombudsman (8.1 c)",
        "5. Learning and service improvements (8.1 d)",
        "6. The Ombudsman: determinations, orders and reports (8.1 e, f)",
        "7. The governing body's response",
    ):
        assert heading in text, heading
    assert "[The governing body's response to this report" in text
    assert "Landlord: [Landlord name]." in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--docx", "annual.txt"], "--docx 'annual.txt' must be a Word document (.docx)"),
        (
            ["--docx", "same.docx", "-o", "same.docx"],
            "--output 'same.docx' must be an .xlsx workbook",
        ),
        (["--docx", "keep.docx"], "'keep.docx' already exists: use --force to replace it"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    log: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "keep.docx").write_bytes(b"keep me")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = log("report", "annual", *PERIOD, *args)
    assert result.exit_code == 1
    assert result.stderr == f"complaints: error: {message}\n"
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert (tmp_path / "keep.docx").read_bytes() == b"keep me"


def test_docx_and_output_must_differ(
    log: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = log("report", "annual", *PERIOD, "--docx", "a.docx", "-o", "a.docx.xlsx", "--force")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a.docx").read_bytes()[:2] == b"PK"
