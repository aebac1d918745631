"""An extension the resident was never told of does not count (Code 6.4; the Ombudsman: "an
extension counts only when the resident was told within the original timeframe", DOMAIN.md).

The fresh-user trial: ``extend REF --reason ...`` without ``--told`` recorded the extension as
not told, yet ``due`` showed the extended date and a response inside it was "on time" in
``show``, the Met column, the EMT report and the annual figures. Now such an extension leaves
the step judged against its original deadline until the resident is recorded told on a day
within it (``extend REF --told --date D``); an extension whose told flag the log does not hold
(an imported workbook with no "told" column) counts as recorded.

Every case: received Mon 02/06/2025, acknowledged Tue 03/06, so the Stage 1 response is due Tue
17/06 (10 working days, Spruce and the Code alike); extended by 10 working days to Tue 01/07;
answered Tue 24/06: after the original deadline, inside the extension.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from complaints_cli.domain.columns import HEADERS
from complaints_cli.domain.presentation import field_label
from tests.process_steps import Day

ORIGINAL, EXTENDED = "2025-06-17", "2025-07-01"
NOT_TOLD = "Stage 1 response (extension not yet told)"


def _log_and_acknowledge(day: Day, refs: list[str]) -> None:
    for _ in refs:
        day.log("2025-06-02", "--tenure", "LCRA", received="02/06/2025")
    for ref in refs:
        day.ok("2025-06-03", "acknowledge", ref, "--date", "03/06/2025", "--summary", "Damp")


def _extend(day: Day, ref: str, *told: str) -> Any:
    return day.ok("2025-06-10", "extend", ref, "--date", "10/06/2025", "--days", "10",
                  "--reason", "Awaiting the damp survey", *told)  # fmt: skip


def _stage1(day: Day, on: str, ref: str) -> dict[str, Any]:
    (m,) = [d for d in day.show(on, ref)["deadlines"] if d["key"] == "stage1_response"]
    return m


def _due(day: Day, today: str, as_of: str) -> dict[str, tuple[str, str]]:
    """``reference -> (due, milestone)`` of the Stage 1 responses ``due --as-of`` lists."""
    out = day.ok(today, "due", "--as-of", as_of, "--within", "20", "--format", "json").stdout
    return {
        i["reference"]: (i["due"], i["milestone"])
        for i in json.loads(out)
        if i["key"] == "stage1_response"
    }


def _lines(data: dict[str, Any], key: str) -> dict[str, str]:
    (figure,) = [f for f in data["figures"] if f["key"] == key]
    return {c["reference"]: c["result"] for c in figure["cases"]}


def test_an_extension_not_told_does_not_count_until_told_in_time(day: Day, db_url: str) -> None:
    _log_and_acknowledge(day, ["SPRUCE001", "SPRUCE002", "SPRUCE003"])
    # 001: extended, never told. The warning is on stderr; stdout does not say "now due".
    untold = _extend(day, "SPRUCE001")
    assert "complaints: warning: the extension does not count until the resident is told of " \
        "it, with the Ombudsman's contact details, by the original deadline 17/06/2025" \
        in untold.stderr  # fmt: skip
    assert "complaints extend SPRUCE001 --told --date D" in untold.stderr
    assert "not yet told to the resident: the response is still due 17/06/2025" in untold.stdout
    assert "now due" not in untold.stdout
    # 002: extended, told two days later (within the original deadline), recorded then.
    _extend(day, "SPRUCE002")
    told = day.ok("2025-06-12", "extend", "SPRUCE002", "--told", "--date", "12/06/2025")
    assert "the extension to 01/07/2025 counts" in told.stdout
    # 003: extended and told at once.
    at_once = _extend(day, "SPRUCE003", "--told")
    assert "does not count" not in at_once.stderr

    # due: 001 keeps its original deadline, its label says why; the others the extended date.
    assert _due(day, "2025-06-13", "2025-06-13") == {
        "SPRUCE001": (ORIGINAL, NOT_TOLD),
        "SPRUCE002": (EXTENDED, "Stage 1 response"),
        "SPRUCE003": (EXTENDED, "Stage 1 response"),
    }
    # As the log stood on 11/06 (worked out from the dates, not the stored rows): 002 had not
    # been told yet.
    assert _due(day, "2025-06-13", "2025-06-11")["SPRUCE002"] == (ORIGINAL, NOT_TOLD)
    assert _due(day, "2025-06-13", "2025-06-12")["SPRUCE002"] == (EXTENDED, "Stage 1 response")
    shown = _stage1(day, "2025-06-13", "SPRUCE001")
    assert (shown["due"], shown["deadline"], shown["milestone"]) == (ORIGINAL, ORIGINAL, NOT_TOLD)

    # Answered on 24/06: late for 001 (a reason is asked for), on time for the others.
    respond = ("respond", "--date", "24/06/2025", "--summary", "Upheld")
    late = day("2025-06-24", respond[0], "SPRUCE001", *respond[1:])
    assert late.exit_code == 1
    assert "after its deadline 17/06/2025" in late.stderr
    day.ok("2025-06-24", respond[0], "SPRUCE001", *respond[1:], "--reason", "survey late")
    for ref in ("SPRUCE002", "SPRUCE003"):
        day.ok("2025-06-24", respond[0], ref, *respond[1:])
    met = {ref: day.show("2025-06-24", ref)["stage1_met"] for ref in ("SPRUCE001", "SPRUCE002",
                                                                      "SPRUCE003")}  # fmt: skip
    assert met == {"SPRUCE001": False, "SPRUCE002": True, "SPRUCE003": True}
    assert _stage1(day, "2025-06-24", "SPRUCE001")["state"] == "missed"

    # The EMT report and the annual figures judge the same way.
    emt = json.loads(day.ok("2025-07-31", "report", "emt", "--month", "2025-06", "-f", "json")
                     .stdout)  # fmt: skip
    assert _lines(emt, "stage1_on_time") == {
        "SPRUCE001": "late",
        "SPRUCE002": "on time",
        "SPRUCE003": "on time",
    }
    assert sorted(_lines(emt, "extended")) == ["SPRUCE002", "SPRUCE003"]
    annual = json.loads(day.ok("2025-07-31", "report", "annual", "--from", "01/06/2025", "--to",
                               "30/06/2025", "-f", "json").stdout)  # fmt: skip
    assert _lines(annual, "ch02_stage1") == {
        "SPRUCE001": "late",
        "SPRUCE002": "on time",
        "SPRUCE003": "on time",
    }
    assert _lines(annual, "sa_stage1_extended") == {
        "SPRUCE002": "within the extension",
        "SPRUCE003": "within the extension",
    }
    # 6.5 still counts 001's extension, as not told: the figure does not improve by it.
    assert _lines(annual, "sa_stage1_extension_told") == {
        "SPRUCE001": "not told",
        "SPRUCE002": "told",
        "SPRUCE003": "told",
    }


def test_recorded_told_after_the_response_the_met_column_follows(day: Day, db_url: str) -> None:
    """The resident told in time, the telling recorded only after the response was sent: the
    Met column turns Yes when it is recorded."""
    _log_and_acknowledge(day, ["SPRUCE001"])
    _extend(day, "SPRUCE001")
    day.ok("2025-06-24", "respond", "SPRUCE001", "--date", "24/06/2025", "--summary", "Upheld",
           "--reason", "survey late")  # fmt: skip
    assert day.show("2025-06-24")["stage1_met"] is False
    told = day.ok("2025-06-25", "extend", "SPRUCE001", "--told", "--date", "11/06/2025")
    assert "Met HOS code response timeframe? is now Yes (was No)" in told.stdout
    assert day.show("2025-06-25")["stage1_met"] is True


def test_told_after_the_original_deadline_still_does_not_count(day: Day, db_url: str) -> None:
    _log_and_acknowledge(day, ["SPRUCE001"])
    _extend(day, "SPRUCE001")
    told = day.ok("2025-06-18", "extend", "SPRUCE001", "--told", "--date", "18/06/2025")
    assert "after the deadline 17/06/2025: the extension does not count" in told.stdout
    assert _due(day, "2025-06-18", "2025-06-18")["SPRUCE001"] == (ORIGINAL, "Stage 1 response")
    # The annual 6.5 figure lists it, told late, not as told (a trial: it was left out of 6.4
    # and 6.5 alike, so a log whose only extension was told late read "n/a" or 100%).
    day.ok("2025-06-24", "respond", "SPRUCE001", "--date", "24/06/2025", "--summary", "Upheld",
           "--reason", "survey late")  # fmt: skip
    annual = json.loads(day.ok("2025-07-31", "report", "annual", "--from", "01/06/2025", "--to",
                               "30/06/2025", "-f", "json").stdout)  # fmt: skip
    (figure,) = [f for f in annual["figures"] if f["key"] == "sa_stage1_extension_told"]
    assert [(c["reference"], c["result"], c["why"]) for c in figure["cases"]] == [
        (
            "SPRUCE001",
            "told late",
            "told Wed 18/06/2025, after the original deadline Tue 17/06/2025: "
            "the extension does not count",
        ),
    ]
    assert (figure["numerator"], figure["denominator"]) == (0, 1), figure


# --- an imported log -----------------------------------------------------------------------


def _workbook(path: Path, told: str | None) -> Path:
    """Two Stage 1 cases extended to 01/07/2025: SPRUCE001 not yet answered, SPRUCE002
    answered 24/06 (its Met column blank); a "told" column only when ``told`` is given."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    told_header = field_label("stage1_extension_told")
    ws.append([*HEADERS, *([told_header] if told is not None else [])])
    for ref, responded in (("SPRUCE001", ""), ("SPRUCE002", "24/06/2025")):
        row = dict.fromkeys(HEADERS, "")
        row |= {
            HEADERS[0]: ref,
            HEADERS[1]: "Open",
            HEADERS[2]: "Stage 1",
            HEADERS[3]: "Sam Patel",
            HEADERS[4]: "Ann Lee",
            HEADERS[5]: "1 Essex Brewery",
            HEADERS[6]: "02/06/2025",
            HEADERS[7]: "03/06/2025",
            HEADERS[8]: "Damp",
            HEADERS[10]: responded,
            HEADERS[11]: "Yes - awaiting the damp survey (new date 01/07/2025)",
            HEADERS[13]: "Upheld" if responded else "",
            HEADERS[15]: "No",
        }
        ws.append([row[h] for h in HEADERS] + ([told] if told is not None else []))
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("told", "due", "label", "met", "on_time"),
    [
        # No "told" column: the log cannot say; the extension counts as before.
        (None, EXTENDED, "Stage 1 response", True, "on time"),
        # A "told" column saying No: it does not count.
        ("No", ORIGINAL, NOT_TOLD, False, "late"),
    ],
)
def test_an_imported_extension(
    day: Day,
    db_url: str,
    tmp_path: Path,
    told: str | None,
    due: str,
    label: str,
    met: bool,
    on_time: str,
) -> None:
    day.ok("2025-06-25", "import", str(_workbook(tmp_path / "log.xlsx", told)))
    shown = day.show("2025-06-25", "SPRUCE001")
    assert (shown["stage1_extended_to"], shown["stage1_extension_told"]) == (
        EXTENDED,
        None if told is None else False,
    )
    # The import's stored open milestones (due reads them) ...
    assert _due(day, "2025-06-25", "2025-06-25")["SPRUCE001"] == (due, label)
    # ... the Met column the dates give (the import keeps a blank one blank) ...
    day.ok("2025-06-25", "db", "recompute")
    assert day.show("2025-06-25", "SPRUCE002")["stage1_met"] is met
    assert _due(day, "2025-06-25", "2025-06-25")["SPRUCE001"] == (due, label)
    # ... and the reports.
    emt = json.loads(day.ok("2025-07-31", "report", "emt", "--month", "2025-06", "-f", "json")
                     .stdout)  # fmt: skip
    assert _lines(emt, "stage1_on_time") == {"SPRUCE002": on_time}


def test_an_update_that_says_not_told_judges_the_met_column_again(
    day: Day, db_url: str, tmp_path: Path
) -> None:
    """The log imported without a "told" column (the extension counts: Met Yes), then the
    same log with the column saying No, with --update: the Met column the file leaves blank
    is judged again from the dates and the flag (No), as for a changed date."""
    day.ok("2025-06-25", "import", str(_workbook(tmp_path / "first.xlsx", None)))
    day.ok("2025-06-25", "db", "recompute")
    assert day.show("2025-06-25", "SPRUCE002")["stage1_met"] is True
    day.ok("2025-06-26", "import", "--update", str(_workbook(tmp_path / "second.xlsx", "No")))
    shown = day.show("2025-06-26", "SPRUCE002")
    assert (shown["stage1_extension_told"], shown["stage1_met"]) == (False, False)


# --- a second extension of the same stage ----------------------------------------------------


def test_a_second_extension_not_told_does_not_inherit_the_first_ones_telling(day: Day) -> None:
    """The first extension (to 24/06) told at once; a second one (to 01/07) recorded without
    --told: the resident was never told of 01/07, so it does not count (it inherited the first
    one's told flag and day, and 01/07 counted). The old told facts stay in the history;
    ``extend --told --date D`` then records the telling of the second one."""
    _log_and_acknowledge(day, ["SPRUCE001"])
    day.ok("2025-06-10", "extend", "SPRUCE001", "--date", "10/06/2025", "--days", "5",
           "--reason", "Awaiting the damp survey", "--told")  # fmt: skip
    assert _due(day, "2025-06-10", "2025-06-10")["SPRUCE001"] == ("2025-06-24", "Stage 1 response")
    again = day.ok("2025-06-12", "extend", "SPRUCE001", "--date", "12/06/2025", "--new-date",
                   "01/07/2025", "--reason", "Survey postponed")  # fmt: skip
    assert "not yet told to the resident: the response is still due 17/06/2025" in again.stdout
    assert "now due" not in again.stdout
    assert "complaints extend SPRUCE001 --told --date D" in again.stderr
    shown = day.show("2025-06-12")
    assert (shown["stage1_extended_to"], shown["stage1_extension_told"]) == (EXTENDED, False)
    assert shown["stage1_extension_told_on"] is None
    # The one write path records the told facts it changed, old and new.
    entry = [h for h in shown["history"] if h["command"] == "extend"][-1]
    assert entry["changes"]["stage1_extension_told"] == [True, False]
    assert entry["changes"]["stage1_extension_told_on"] == ["2025-06-10", None]
    assert _due(day, "2025-06-12", "2025-06-12")["SPRUCE001"] == (ORIGINAL, NOT_TOLD)
    # Told of the new date on 13/06 (by the original deadline): 01/07 counts.
    told = day.ok("2025-06-13", "extend", "SPRUCE001", "--told", "--date", "13/06/2025")
    assert "the extension to 01/07/2025 counts" in told.stdout
    assert _due(day, "2025-06-13", "2025-06-13")["SPRUCE001"] == (EXTENDED, "Stage 1 response")
    # The total still within the cap: 10 working days after 17/06 is 01/07, not beyond.
    beyond = day.fails("2025-06-13", "extend", "SPRUCE001", "--date", "13/06/2025",
                       "--new-date", "02/07/2025", "--reason", "More", "--told")  # fmt: skip
    assert "02/07/2025 is 11 working days after the original deadline 17/06/2025" in beyond


def test_a_second_extension_told_at_once_counts(day: Day) -> None:
    _log_and_acknowledge(day, ["SPRUCE001"])
    _extend(day, "SPRUCE001")  # not told
    day.ok("2025-06-12", "extend", "SPRUCE001", "--date", "12/06/2025", "--new-date",
           "01/07/2025", "--reason", "Survey postponed", "--told")  # fmt: skip
    shown = day.show("2025-06-12")
    assert (shown["stage1_extension_told"], shown["stage1_extension_told_on"]) == (
        True,
        "2025-06-12",
    )
    assert _due(day, "2025-06-12", "2025-06-12")["SPRUCE001"] == (EXTENDED, "Stage 1 response")


def test_a_stage_2_extension_cites_the_codes_stage_2_paragraphs(day: Day) -> None:
    """The Code's paragraphs on a Stage 2 extension are 6.15 (decide it and tell the resident
    the new date) and 6.16 (with the Ombudsman's details), not Stage 1's 6.4 and 6.5: the
    warning of an extension not told, the refusal of a late one and its warning say so.
    Received Mon 02/06/2025, answered Tue 10/06; Stage 2 asked Mon 16/06, its response due Mon
    14/07 (Spruce: 20 working days)."""
    day.log("2025-06-02", received="02/06/2025")
    day.ok("2025-06-10", "respond", "SPRUCE001", "--date", "10/06/2025", "--summary", "Done",
           "--outcome", "upheld")  # fmt: skip
    day.ok("2025-06-16", "escalate", "SPRUCE001", "--received", "16/06/2025", "--details",
           "Unhappy", "--review", "manager", "--handler", "Jordan Blake")  # fmt: skip
    untold = day.ok("2025-06-20", "extend", "SPRUCE001", "--date", "20/06/2025", "--days", "5",
                    "--reason", "Awaiting the survey")  # fmt: skip
    assert "by the original deadline 14/07/2025 (Code 6.15): until then the Stage 2" in (
        untold.stderr
    )
    late = day.fails("2025-07-15", "extend", "SPRUCE001", "--date", "15/07/2025", "--days",
                     "5", "--reason", "Awaiting the survey")  # fmt: skip
    assert "the Code (6.15) needs the resident told within it" in late
    recorded = day.ok("2025-07-15", "extend", "SPRUCE001", "--date", "15/07/2025", "--days",
                      "5", "--reason", "Awaiting the survey", "--late", "Missed")  # fmt: skip
    assert "the Code (6.15, 6.16) requires telling the resident" in recorded.stderr
