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
Learning on SPRUCE001 through `complaints learning --date 20/05/2025` on 02/06 (its history
time also set to 20/05/2025 10:00 UTC). A compliment received Thu 15/05.
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
    at(TODAY, "learning", "SPRUCE001", "=Book contractors by text", "--date", "20/05/2025")
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


#: The base log's stock types (TSM CH01/CH02): SPRUCE005 has none recorded, SPRUCE006 is
#: another tenure (counted out of CH01 and CH02 with why).
TENURES = {
    "SPRUCE001": "low-cost rental",
    "SPRUCE002": "low-cost rental",
    "SPRUCE003": "low-cost home ownership",
    "SPRUCE004": "low-cost rental",
    "SPRUCE006": "other",
    "SPRUCE007": "low-cost rental",
}


def backdate_learning(db_url: str) -> None:
    """SPRUCE001's learning recorded 20/05/2025 10:00 UTC; SPRUCE004's written straight into
    the log with no history (as an import leaves it); the tenures of :data:`TENURES` (until a
    command records them). Any backend."""
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
            for reference, tenure in TENURES.items():
                conn.exec_driver_sql(
                    f"UPDATE complaint SET tenure = '{tenure}' WHERE reference = '{reference}'"
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


# --------------------------------------------------------------------------------------------
# The extended log (issue 13): outcomes, categories, tenures, refusals, a withdrawal, a
# 2023/24 case, a converted service dissatisfaction, an answered case left open, a case the log
# puts at the Ombudsman with no date, a case closed with no date, compensation paid and a
# determination. The withdrawal, the refused escalation and the payments are recorded with
# their commands (withdraw, refuse-escalation, compensation paid); categories, tenures and
# outcomes, and the states no command makes (an undated closure, the Ombudsman stage with no
# date), are written straight into the log. Every date below was worked by hand (England and
# Wales; bank holidays 2025: Fri 18/04, Mon 21/04, Mon 05/05, Mon 26/05; 2023: Mon 01/05, Mon
# 08/05 (Coronation), Mon 29/05).
#
# SPRUCE008 (H) received Wed 07/05/2025, acknowledged Thu 08/05 (Spruce: due Mon 12/05, on
#   time; Code: due Wed 14/05), WITHDRAWN Tue 13/05 ("Resolved by the repairs team"): its Stage 1
#   response (Spruce due Thu 22/05) is never judged or chased. LCRA, Repairs.
# SPRUCE009 (I) received Mon 12/05/2025, NOT ACCEPTED ("Outside the 12-month time limit"),
#   resident told Wed 14/05. LCRA, Repairs.
# SPRUCE010 (J) received Mon 10/03/2025, acknowledged Tue 18/03 (LATE: Spruce due Thu 13/03; the
#   Code's 5 working days: 11, 12, 13, 14, 17 -> Mon 17/03), responded Mon 24/03 (Code: 10 wd
#   from Tue 18/03 -> Tue 01/04, on time; Spruce the same), outcome resolved. Escalation asked
#   Tue 20/05, REFUSED (`refuse-escalation`: dated by the request, Tue 20/05; "Asked more than
#   20 working days after the Stage 1 response"), told Thu 22/05, closed 22/05. LCRA,
#   Communication.
# SPRUCE011 (K) 2023/24: received Tue 02/05/2023, acknowledged Wed 03/05 (2022 Code: 5 wd: 03,
#   04, 05, [08 Coronation], 09, 10 -> Wed 10/05), responded Wed 10/05 (10 wd from 03/05: 04, 05,
#   09, 10, 11, 12, 15, 16, 17, 18 -> Thu 18/05), escalated Mon 26/06/2023, Stage 2 acknowledged
#   Fri 30/06 (5 wd -> Mon 03/07), answered Thu 27/07/2023: the 2022 Code counts 20 wd from the
#   request -> Mon 24/07: LATE (from the acknowledgement, as the 2024 Code counts: Fri 28/07, on
#   time). Closed Fri 28/07/2023. LCHO, Service charges and rent; not upheld, then upheld.
# SPRUCE012 (L) a service dissatisfaction raised Mon 07/04/2025, converted to Stage 1 Thu 17/04
#   (received then), acknowledged Tue 22/04 (Code from the conversion: [18, 21 holidays], 22, 23,
#   24, 25, 28 -> Mon 28/04, on time; from the day raised: 08, 09, 10, 11, 14 -> Mon 14/04,
#   LATE), responded Tue 06/05 (10 wd from 22/04: 23, 24, 25, 28, 29, 30, 01, 02, [05], 06, 07
#   -> Wed 07/05, on time), resolved, closed Fri 09/05. LCRA, Communication.
# SPRUCE013 (M) received Tue 01/04/2025, acknowledged Wed 02/04, responded Fri 11/04 (not
#   upheld), escalated Mon 14/04 (Jo Reviewer), Stage 2 acknowledged Tue 15/04, answered Fri
#   09/05 (Spruce: 20 wd from Mon 14/04 -> Thu 15/05; Code: 20 wd from 15/04 -> Fri 16/05: on
#   time) with £100.00 for "distress", PAID Fri 23/05; not upheld. Still open at 31/05 with no
#   action outstanding: ANSWERED BUT STILL OPEN. LCHO, Staff conduct.
# SPRUCE014 (N) received Mon 03/02/2025, acknowledged Tue 04/02, responded Fri 14/02, escalated
#   Mon 17/02, Stage 2 acknowledged Tue 18/02, answered Fri 14/03 (Code: 20 wd from 18/02 ->
#   Tue 18/03, on time); partly upheld. The log's Stage says Ombudsman, with no referral date:
#   at the Ombudsman from 14/03. LCRA, Repairs.
# SPRUCE015 (O) received Mon 06/01/2025, acknowledged Tue 07/01, responded Fri 17/01; status
#   Closed with NO closed date (as an imported log leaves it).
# Existing cases: SPRUCE001 upheld, Damp and mould, its £50.00 PAID Wed 28/05; 002 not upheld,
#   Repairs; 003 NO outcome recorded, Anti-social behaviour; 004 not upheld, Repairs; 005 no
#   category; 006 Repairs; 007 not upheld then partly upheld, Repairs, and the Ombudsman's
#   determination of Wed 28/05 ("Service failure in complaint handling") with an order.

#: Reference -> (category, Stage 1 outcome, Stage 2 outcome) for the existing cases.
EXISTING = {
    "SPRUCE001": ("Damp and mould", "upheld", None),
    "SPRUCE002": ("Repairs", "not upheld", None),
    "SPRUCE003": ("Anti-social behaviour", None, None),
    "SPRUCE004": ("Repairs", "not upheld", None),
    "SPRUCE005": (None, None, None),
    "SPRUCE006": ("Repairs", None, None),
    "SPRUCE007": ("Repairs", "not upheld", "partly upheld"),
}


def store(db_url: str, reference: str, **columns: Any) -> None:
    """Write fields straight into the log (as the recording commands will)."""
    from complaints_cli.store.db import RawDatabase

    with RawDatabase(db_url) as db, db.transaction() as tx:
        sets = ", ".join(f"{c} = :{c}" for c in columns)
        tx.execute(
            f"UPDATE complaint SET {sets} WHERE reference = :ref", {**columns, "ref": reference}
        )


def extend(cli: Any, monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    """Add SPRUCE008-015 to the (built and backdated) base log, as described above."""
    from datetime import date

    def at(day: str, *args: str) -> None:
        monkeypatch.setenv("COMPLAINTS_TODAY", day)
        result = cli(*args)
        assert result.exit_code == 0, f"{args}: {result.output}"

    def log(day: str) -> None:
        args = list(LOG_ARGS)
        args[args.index("--received") + 1] = day
        d, m, y = day.split("/")
        at(f"{y}-{m}-{d}", "log", *args)

    def escalate(day: str, ref: str) -> None:
        d, m, y = day.split("/")
        at(f"{y}-{m}-{d}", "escalate", ref, "--received", day, "--review", "manager",
           "--details", "Unhappy", "--handler", "Jo Reviewer")  # fmt: skip

    def step(day: str, command: str, ref: str, *args: str) -> None:
        d, m, y = day.split("/")
        at(f"{y}-{m}-{d}", command, ref, "--date", day, *args)

    for day in ("07/05/2025", "12/05/2025", "10/03/2025", "02/05/2023", "17/04/2025",
                "01/04/2025", "03/02/2025", "06/01/2025"):  # fmt: skip
        log(day)
    # H: withdrawn
    step("08/05/2025", "acknowledge", "SPRUCE008", "--summary", "Leak")
    step("13/05/2025", "withdraw", "SPRUCE008", "--reason", "Resolved by the repairs team")
    # I: not accepted
    at("2025-05-14", "not-accepted", "SPRUCE009", "--reason", "Outside the 12-month time limit",
       "--told", "14/05/2025")  # fmt: skip
    # J: acknowledged late, answered, escalation refused
    step("18/03/2025", "acknowledge", "SPRUCE010", "--summary", "Letters", "--reason", "post")
    step("24/03/2025", "respond", "SPRUCE010", "--summary", "Resolved")
    at("2025-05-22", "refuse-escalation", "SPRUCE010", "--received", "20/05/2025",
       "--reason", "Asked more than 20 working days after the Stage 1 response",
       "--told", "22/05/2025")  # fmt: skip
    step("22/05/2025", "close", "SPRUCE010")
    # K: 2023/24
    step("03/05/2023", "acknowledge", "SPRUCE011", "--summary", "Service charge")
    step("10/05/2023", "respond", "SPRUCE011", "--summary", "Not upheld")
    escalate("26/06/2023", "SPRUCE011")
    step("30/06/2023", "acknowledge", "SPRUCE011")
    step("27/07/2023", "respond", "SPRUCE011", "--summary", "Upheld", "--reason", "backlog")
    step("28/07/2023", "close", "SPRUCE011")
    # L: converted service dissatisfaction
    store(db_url, "SPRUCE012", informal_received=date(2025, 4, 7),
          converted_from_informal=date(2025, 4, 17))  # fmt: skip
    step("22/04/2025", "acknowledge", "SPRUCE012", "--summary", "No reply to emails")
    step("06/05/2025", "respond", "SPRUCE012", "--summary", "Resolved")
    step("09/05/2025", "close", "SPRUCE012")
    # M: answered at Stage 2, left open
    step("02/04/2025", "acknowledge", "SPRUCE013", "--summary", "Rude officer")
    step("11/04/2025", "respond", "SPRUCE013", "--summary", "Not upheld")
    escalate("14/04/2025", "SPRUCE013")
    step("15/04/2025", "acknowledge", "SPRUCE013")
    step("09/05/2025", "respond", "SPRUCE013", "--summary", "Not upheld", "--compensation", "100",
         "--compensation-reason", "distress")  # fmt: skip
    # N: at the Ombudsman by the log's Stage
    step("04/02/2025", "acknowledge", "SPRUCE014", "--summary", "Windows")
    step("14/02/2025", "respond", "SPRUCE014", "--summary", "Not upheld")
    escalate("17/02/2025", "SPRUCE014")
    step("18/02/2025", "acknowledge", "SPRUCE014")
    step("14/03/2025", "respond", "SPRUCE014", "--summary", "Partly upheld")
    # O: closed with no date
    step("07/01/2025", "acknowledge", "SPRUCE015", "--summary", "Fence")
    step("17/01/2025", "respond", "SPRUCE015", "--summary", "Not upheld")
    # G: the Ombudsman's determination
    at("2025-05-28", "determination", "SPRUCE007", "--date", "28/05/2025", "--findings",
       "Service failure in complaint handling", "--order",
       "Pay £100 compensation;Sam Patel;25/06/2025")  # fmt: skip
    monkeypatch.setenv("COMPLAINTS_TODAY", TODAY)
    new = {
        "SPRUCE008": ("low-cost rental", "Repairs", None, None),
        "SPRUCE009": ("low-cost rental", "Repairs", None, None),
        "SPRUCE010": ("low-cost rental", "Communication", "resolved", None),
        "SPRUCE011": (
            "low-cost home ownership",
            "Service charges and rent",
            "not upheld",
            "upheld",
        ),
        "SPRUCE012": ("low-cost rental", "Communication", "resolved", None),
        "SPRUCE013": ("low-cost home ownership", "Staff conduct", "not upheld", "not upheld"),
        "SPRUCE014": ("low-cost rental", "Repairs", "not upheld", "partly upheld"),
    }
    for ref, (tenure, category, first, second) in new.items():
        store(db_url, ref, tenure=tenure, category=category, stage1_outcome=first,
              stage2_outcome=second)  # fmt: skip
    for ref, (category, first, second) in EXISTING.items():
        store(db_url, ref, category=category, stage1_outcome=first, stage2_outcome=second)
    at("2025-05-28", "compensation", "paid", "SPRUCE001", "--date", "28/05/2025", "--stage", "1")
    at("2025-05-23", "compensation", "paid", "SPRUCE013", "--date", "23/05/2025", "--stage", "2")
    monkeypatch.setenv("COMPLAINTS_TODAY", TODAY)
    store(db_url, "SPRUCE014", stage="Ombudsman")
    store(db_url, "SPRUCE015", status="Closed", closed=None)


def build_extended(cli: Any, monkeypatch: pytest.MonkeyPatch, db_url: str) -> Any:
    """The base log with its learning backdated, then :func:`extend`; returns ``cli``."""
    build_backdated(cli, monkeypatch, db_url)
    extend(cli, monkeypatch, db_url)
    return cli


def extended_template(base: Any) -> Any:
    """The extended log built once into ``base/log.db`` (a module's tests copy it), with its
    own isolated settings; returns the file's path."""
    import os

    from typer.testing import CliRunner

    from complaints_cli.cli.app import app

    runner = CliRunner()
    with pytest.MonkeyPatch.context() as mp:
        for var in list(os.environ):
            if var.startswith("COMPLAINTS_") and var != "COMPLAINTS_PG_BINDIR":
                mp.delenv(var)
        (base / "home").mkdir()
        mp.setenv("HOME", str(base / "home"))
        mp.setenv("XDG_CONFIG_HOME", str(base / "home" / ".config"))
        mp.setenv("XDG_DATA_HOME", str(base / "home" / ".local" / "share"))
        mp.setenv("COMPLAINTS_DB", str(base / "log.db"))
        mp.setenv("COMPLAINTS_ROOT", str(base / "Complaints"))
        mp.setenv("COMPLAINTS_USER", "tester")
        from complaints_cli.store.db import RawDatabase

        RawDatabase(f"sqlite:///{base / 'log.db'}", create=True).close()

        def cli(*args: str) -> Any:
            return runner.invoke(app, list(args), catch_exceptions=False)

        build_extended(cli, mp, f"sqlite:///{base / 'log.db'}")
    return base / "log.db"


@pytest.fixture(scope="module")
def extended_log_file(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The extended log, built once per test module (:func:`extended_template`)."""
    return extended_template(tmp_path_factory.mktemp("extended"))


@pytest.fixture
def extended_log(
    cli: Any, extended_log_file: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> Any:
    """The extended log in this test's own SQLite file, as on :data:`TODAY`; returns ``cli``.
    A module uses it as its ``log`` fixture (``log = extended_log``)."""
    import shutil

    shutil.copy(extended_log_file, tmp_path / "log.db")
    monkeypatch.setenv("COMPLAINTS_TODAY", TODAY)
    return cli
