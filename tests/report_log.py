"""A small log for the report tests, built through the CLI, with every date worked by hand.

England and Wales bank holidays: Fri 18/04/2025 (Good Friday), Mon 21/04 (Easter Monday),
Mon 05/05 (Early May), Mon 26/05 (Spring). Spruce profile (the team's, for the EMT report):
acknowledge in 3 working days (wd) of receipt; Stage 1 response 10 wd from the acknowledgement;
Stage 1 extension at most 10 wd more; Stage 2 acknowledgement 5 wd and response 20 wd from the
escalation request. The Code (annual figures): acknowledge in 5 wd; Stage 1 10 wd from the
acknowledgement; Stage 2 acknowledgement 5 wd; Stage 2 response 20 wd from its acknowledgement.

SPRUCE001 (A) received Thu 01/05. Ack due +3 wd: Fri 02, [Mon 05 holiday], Tue 06, Wed 07 ->
  Wed 07/05; acknowledged Wed 07/05, ON THE DEADLINE DAY: on time. Stage 1 due +10 wd from
  Wed 07/05: 08, 09, 12, 13, 14, 15, 16, 19, 20, 21 -> Wed 21/05; responded Tue 20/05 (on time)
  with £50.00 for "time and trouble". Closed Fri 30/05. (Code: ack due +5 wd = Fri 09/05.)
SPRUCE002 (B) received Fri 02/05. Ack due: 06, 07, 08 -> Thu 08/05; acknowledged Fri 09/05:
  LATE under Spruce (on time under the Code: 06, 07, 08, 09, 12 -> Mon 12/05). Stage 1 due +10
  wd from Fri 09/05: 12 ... 23 -> Fri 23/05. Extended to Mon 26/05, A BANK HOLIDAY (the date the
  resident was promised); responded Tue 27/05: late, and after the extension.
SPRUCE003 (C) received Tue 06/05, acknowledged the same day (due Fri 09/05). Stage 1 due +10 wd
  from Tue 06/05: 07, 08, 09, 12, 13, 14, 15, 16, 19, 20 -> Tue 20/05. Extended by 4 wd: 21, 22,
  23, [Mon 26 holiday], Tue 27/05; responded Tue 27/05: late for the timeframe, within the
  extension. £25.50 for "delay".
SPRUCE004 (D) received Tue 15/04, acknowledged Wed 16/04 (due 16, 17, [18, 21 holidays], 22 ->
  Tue 22/04). Stage 1 due +10 wd from Wed 16/04: 17, 22, 23, 24, 25, 28, 29, 30, 01/05, 02/05 ->
  Fri 02/05; responded Thu 01/05: on time. Escalated, request received Tue 06/05; Stage 2 ack
  due +5 wd: 07, 08, 09, 12, 13 -> Tue 13/05; acknowledged Mon 12/05: on time. Stage 2 response
  due +20 wd from Tue 06/05 -> Wed 04/06: still pending on 31/05. Learning written straight
  into the log (as an import would): dated by its last response, Thu 01/05.
SPRUCE005 (E) received Wed 14/05, never acknowledged: contact due Thu 15/05, ack due Mon 19/05:
  OVERDUE at 31/05. (Its Stage 1 response, projected from Mon 19/05, is due Tue 03/06.)
SPRUCE006 (F) received Fri 30/05: nothing due until Mon 02/06 (contact) and Tue 03/06 (ack).
SPRUCE007 (G) received Mon 03/03, acknowledged Tue 04/03, responded Fri 14/03 (due Tue 18/03),
  escalated Mon 17/03, Stage 2 acknowledged Tue 18/03, responded Fri 04/04; referred to the
  Ombudsman Mon 12/05, evidence requested Wed 14/05: due +15 wd: 15, 16, 19, 20, 21, 22, 23, 27,
  28, 29, 30, 02/06, 03/06, 04/06, 05/06 -> Thu 05/06 (not yet due on 31/05).
Learning on SPRUCE001 through `complaints learning`, its history time set to 20/05/2025 10:00
UTC. A compliment received Thu 15/05.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import LOG_ARGS

TODAY = "2025-06-02"


def build(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The log above, in reference order, each step done on its own day."""

    def at(day: str, *args: str) -> None:
        monkeypatch.setenv("COMPLAINTS_TODAY", day)
        result = cli(*args)
        assert result.exit_code == 0, f"{args}: {result.output}"

    for received in ("01/05", "02/05", "06/05", "15/04", "14/05", "30/05", "03/03"):
        args = list(LOG_ARGS)
        args[args.index("--received") + 1] = f"{received}/2025"
        at(iso(received), "log", *args)
    # A
    at("2025-05-07", "acknowledge", "SPRUCE001", "--date", "07/05/2025", "--summary", "Damp")
    at("2025-05-20", "respond", "SPRUCE001", "--date", "20/05/2025", "--summary", "Upheld",
       "--compensation", "50", "--compensation-reason", "time and trouble")  # fmt: skip
    at("2025-05-30", "close", "SPRUCE001", "--date", "30/05/2025")
    at(TODAY, "learning", "SPRUCE001", "=Book contractors by text")
    # B
    at("2025-05-09", "acknowledge", "SPRUCE002", "--date", "09/05/2025", "--summary", "Repair",
       "--reason", "handler on leave")  # fmt: skip
    at("2025-05-20", "extend", "SPRUCE002", "--reason", "awaiting surveyor",
       "--new-date", "26/05/2025", "--told")  # fmt: skip
    at("2025-05-27", "respond", "SPRUCE002", "--date", "27/05/2025", "--summary", "Not upheld",
       "--reason", "surveyor late")  # fmt: skip
    # C
    at("2025-05-06", "acknowledge", "SPRUCE003", "--date", "06/05/2025", "--summary", "Noise")
    at("2025-05-19", "extend", "SPRUCE003", "--reason", "complex", "--days", "4", "--told")
    at("2025-05-27", "respond", "SPRUCE003", "--date", "27/05/2025", "--summary", "Upheld",
       "--compensation", "25.50", "--compensation-reason", "delay")  # fmt: skip
    # D
    at("2025-04-16", "acknowledge", "SPRUCE004", "--date", "16/04/2025", "--summary", "Roof")
    at("2025-05-01", "respond", "SPRUCE004", "--date", "01/05/2025", "--summary", "Not upheld")
    at("2025-05-06", "escalate", "SPRUCE004", "--received", "06/05/2025", "--review", "manager",
       "--details", "Unhappy", "--handler", "Jo Reviewer")  # fmt: skip
    at("2025-05-12", "acknowledge", "SPRUCE004", "--date", "12/05/2025")
    # G
    at("2025-03-04", "acknowledge", "SPRUCE007", "--date", "04/03/2025", "--summary", "Heating")
    at("2025-03-14", "respond", "SPRUCE007", "--date", "14/03/2025", "--summary", "Not upheld")
    at("2025-03-17", "escalate", "SPRUCE007", "--received", "17/03/2025", "--review", "manager",
       "--details", "Unhappy", "--handler", "Jo Reviewer")  # fmt: skip
    at("2025-03-18", "acknowledge", "SPRUCE007", "--date", "18/03/2025")
    at("2025-04-04", "respond", "SPRUCE007", "--date", "04/04/2025", "--summary", "Upheld in part")
    at("2025-05-14", "ombudsman", "SPRUCE007", "--referred", "12/05/2025",
       "--requested", "14/05/2025")  # fmt: skip
    at("2025-05-15", "compliment", "--from", "Ann Lee", "--about", "Sam Patel",
       "--received", "15/05/2025")  # fmt: skip
    monkeypatch.setenv("COMPLAINTS_TODAY", TODAY)


def iso(day_month: str) -> str:
    """``01/05`` -> ``2025-05-01``."""
    day, month = day_month.split("/")
    return f"2025-{month}-{day}"


def backdate_learning(db_url: str) -> None:
    """SPRUCE001's learning recorded 20/05/2025 10:00 UTC; SPRUCE004's written straight into
    the log with no history (as an import leaves it). Any backend."""
    from complaints_cli.store.db import make_engine

    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "UPDATE history SET at = '2025-05-20 10:00:00' WHERE command = 'learning'"
            )
            conn.exec_driver_sql(
                "UPDATE complaint SET learning = 'Check roofs after storms' "
                "WHERE reference = 'SPRUCE004'"
            )
    finally:
        engine.dispose()


def build_backdated(cli: Any, monkeypatch: pytest.MonkeyPatch, db_url: str) -> Any:
    """The log, with its learning dated as the reports expect; returns ``cli``."""
    build(cli, monkeypatch)
    backdate_learning(db_url)
    return cli


def report_json(cli: Any, kind: str, *args: str) -> dict[str, Any]:
    """``complaints report KIND ARGS --format json``, parsed."""
    import json

    result = cli("report", kind, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]
