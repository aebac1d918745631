"""Build ``sample_log.xlsx``: a realistic Spruce Complaints Log of 40 cases, as a team keeps it.

    python scripts/make_sample_log.py            # writes sample_log.xlsx at the top level
    python scripts/make_sample_log.py --check    # exits 1 if the committed file is out of date

The workbook looks like the team's own Excel log rather than an export of this tool: a title row
and a blank row above the headers, the procedure's 24 headers (written by openpyxl, a different
program from the tool's own writer), a ``Channel`` column, and a ``Notes`` column the tool does
not know (kept on import and exported back). The cases cover every stage and state: new and
unacknowledged, acknowledged late, extended, responded late, compensation paid, escalated for
a Manager Review and for a Compensation Review, at the Ombudsman, closed, open with outstanding
actions, organisational learning. A few cells are messy as in real logs: dates typed as text,
an Excel date number, a date-time, ``N/A`` and ``TBC``, ``Yes - explanation`` in a Yes/No
column, ``£1,250.00 (time and trouble)``.

Every value is derived from a fixed seed and fixed dates, and the zip's timestamps are fixed,
so the file is byte-for-byte the same on every run.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import sys
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from complaints_cli.domain.columns import HEADERS  # noqa: E402
from complaints_cli.domain.workdays import Calendar  # noqa: E402

TARGET = ROOT / "sample_log.xlsx"
#: The day the log was last saved: the cases' state is as of this day.
AS_OF = date(2025, 11, 14)
FIXED = datetime(2025, 11, 14, 17, 30)

HANDLERS = ["Sam Patel", "Kim Ho", "Alex Reid"]
STAGE2 = {"Sam Patel": "Jordan Blake", "Kim Ho": "Jordan Blake", "Alex Reid": "Morgan Carter"}
PEOPLE = [
    "Ann Lee", "Bola Okafor", "Chris Nowak", "Dee Khan", "Eli Jones", "Fay Brown", "Gus Ali",
    "Hana Smith", "Ivan Diaz", "Jo Patel", "Kemi Adeyemi", "Liam O'Neill", "Mia Wood",
    "Noor Hussain", "Owen Price", "Priya Shah", "Quinn Taylor", "Rosa Garcia", "Sian Evans",
    "Tom Hughes",
]  # fmt: skip
STREETS = [
    "Essex Brewery", "Mill Road", "High Street", "Station Approach", "The Maltings",
    "Church Lane", "Victoria Court", "Albion Place", "Orchard Way", "Kingsway House",
]  # fmt: skip
TOPICS = [
    "Damp and mould in the bathroom",
    "Roof repair not done after three visits",
    "Noise from the flat above, reported twice",
    "Service charge query not answered",
    "Contractor missed two appointments",
    "No heating or hot water for nine days",
    "Rude behaviour by a contractor's operative",
    "Communal lights out on the stairwell",
    "Leak from the flat above into the kitchen",
    "Pest control visit cancelled without notice",
]
RESPONSES = [
    "Upheld: repair completed and apology given",
    "Partly upheld: works booked, timescales explained",
    "Not upheld: the service charge was correct; breakdown sent",
    "Upheld: contractor spoken to, new appointment made",
]
LEARNING = [
    "Contractor appointments to be confirmed by text the day before",
    "Damp reports to be inspected within 5 working days",
    "Service charge breakdowns to be sent with every annual statement",
]
NOTES = [
    "Vulnerable resident: call before visiting",
    "Yardi ref T-4471",
    "MP enquiry received",
    "Outstanding: replace bathroom extractor fan",
    "",
]


def uk(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def excel_serial(day: date) -> int:
    return (day - date(1899, 12, 30)).days


def build_cases(seed: int = 2025) -> list[dict[str, Any]]:
    """The 40 cases as rows of header -> cell value (what a handler typed)."""
    rng = random.Random(seed)
    cal = Calendar("england-and-wales")
    wd = cal.add_working_days
    rows: list[dict[str, Any]] = []
    start = date(2025, 1, 6)
    for n in range(1, 41):
        if n <= 35:
            received = start + timedelta(days=int((n - 1) * 8.5) + rng.randint(0, 2))
        else:  # the last few arrived in the past fortnight
            received = cal.add_working_days(AS_OF, 0) - timedelta(days=[16, 11, 7, 3, 1][n - 36])
        handler = HANDLERS[n % 3]
        row: dict[str, Any] = {h: None for h in HEADERS}
        row.update(
            {
                HEADERS[0]: f"SPRUCE{n:03d}",
                HEADERS[1]: "Open",
                HEADERS[2]: "Stage 1",
                HEADERS[3]: handler,
                HEADERS[4]: PEOPLE[n % len(PEOPLE)]
                + (f"\n{PEOPLE[(n + 7) % len(PEOPLE)]}" if n % 11 == 0 else ""),
                HEADERS[5]: f"{rng.randint(1, 120)} {STREETS[n % len(STREETS)]}",
                HEADERS[6]: received,
                "Channel": ["Email", "Phone", "Letter", "Website", "In person"][n % 5],
                "Notes": NOTES[n % len(NOTES)] or None,
            }
        )
        rows.append(row)
        age = cal.working_days_between(received, AS_OF)
        # 1. acknowledgement (3 working days)
        if age >= 2 and n != 38:  # SPRUCE038: not acknowledged yet, and overdue
            late = n % 9 == 4
            acked = wd(received, 5 if late else rng.randint(1, 3))
            row[HEADERS[7]] = acked
            row[HEADERS[8]] = TOPICS[n % len(TOPICS)]
            row[HEADERS[9]] = "No - handler on annual leave" if late else "Yes"
        else:
            continue  # received in the last days: only logged
        # 2. Stage 1 response (10 working days from acknowledgement)
        if age < 14 or n == 33:  # SPRUCE033: no response yet, well past its deadline
            continue
        extended = n % 7 == 3
        due = wd(acked, 10)
        if extended:
            new_date = wd(due, 10)
            row[HEADERS[11]] = f"Yes - awaiting contractor report (new date {uk(new_date)})"
            responded = wd(due, rng.randint(4, 9))
            row[HEADERS[12]] = "Yes - within the extension"
        else:
            row[HEADERS[11]] = "No"
            late = n % 8 == 5
            responded = wd(acked, 13 if late else rng.randint(5, 10))
            row[HEADERS[12]] = "No - survey results delayed" if late else "Yes"
        row[HEADERS[10]] = responded
        row[HEADERS[13]] = RESPONSES[n % len(RESPONSES)]
        if n % 4 == 1:
            row[HEADERS[14]] = f"£{[50, 75, 150, 250][n % 4 // 1]:,.2f} (time and trouble)"
        elif n % 4 == 2:
            row[HEADERS[14]] = "None"
        if n % 6 == 0:
            row[HEADERS[23]] = LEARNING[n % len(LEARNING)]
        # 3. escalation, for about one case in four
        if n % 4 == 3 and responded <= AS_OF - timedelta(days=14):
            escalation = wd(responded, rng.randint(3, 8))
            review = "Manager Review" if n % 8 == 3 else "Compensation Review"
            row.update(
                {
                    HEADERS[1]: "Open",
                    HEADERS[2]: "Stage 2",
                    HEADERS[15]: "Yes",
                    HEADERS[16]: escalation,
                    HEADERS[17]: f"{review} - resident unhappy with the outcome",
                    HEADERS[18]: STAGE2[handler],
                }
            )
            if cal.working_days_between(escalation, AS_OF) > 22:
                s2_extended = n == 23
                s2_due = wd(escalation, 20)
                s2_done = wd(s2_due, 6) if s2_extended else wd(escalation, rng.randint(12, 19))
                if n == 27:
                    s2_done = wd(s2_due, 3)  # late, no extension
                row[HEADERS[19]] = s2_done
                row[HEADERS[20]] = (
                    f"Yes - independent surveyor's report (new date {uk(wd(s2_due, 8))})"
                    if s2_extended
                    else "No"
                )
                row[HEADERS[21]] = "No - surveyor's report late" if n == 27 else "Yes"
                row[HEADERS[22]] = "Stage 1 decision upheld; additional £100 offered"
                row[HEADERS[1]] = "Closed"
                if n == 19:  # went on to the Housing Ombudsman
                    row[HEADERS[1]] = "Open"
                    row[HEADERS[2]] = "Ombudsman"
            continue
        row[HEADERS[15]] = "No"
        if responded <= AS_OF - timedelta(days=28) and n % 10 != 7:
            row[HEADERS[1]] = "Closed"  # not escalated within 20 working days
    return rows


def mess_up(rows: list[dict[str, Any]]) -> None:
    """A few cells typed the way people really type them (all still readable by import)."""
    by_ref = {r[HEADERS[0]]: r for r in rows}
    by_ref["SPRUCE002"][HEADERS[6]] = uk(by_ref["SPRUCE002"][HEADERS[6]])  # a text date
    by_ref["SPRUCE005"][HEADERS[7]] = excel_serial(by_ref["SPRUCE005"][HEADERS[7]])  # a serial
    received = by_ref["SPRUCE008"][HEADERS[6]]
    by_ref["SPRUCE008"][HEADERS[6]] = datetime.combine(received, datetime.min.time()).replace(
        hour=14, minute=35
    )  # a date-time: the time of day is dropped
    by_ref["SPRUCE010"][HEADERS[11]] = "N/A"  # placeholder for "not applicable"
    by_ref["SPRUCE012"][HEADERS[9]] = "Yes - sent late, handler on leave"
    by_ref["SPRUCE013"][HEADERS[14]] = "£1,250.00 (time and trouble, and a damaged carpet)"
    by_ref["SPRUCE014"][HEADERS[1]] = "open"  # case typed differently
    by_ref["SPRUCE016"][HEADERS[2]] = "Stage1"
    by_ref["SPRUCE017"][HEADERS[23]] = "TBC"
    by_ref["SPRUCE020"][HEADERS[4]] = "  Hana   Smith "  # stray spaces
    by_ref["SPRUCE021"][HEADERS[7]] = f"{by_ref['SPRUCE021'][HEADERS[7]]:%d %B %Y}"


def write(rows: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Complaints Log"
    headers = [*HEADERS, "Channel", "Notes"]
    ws.append(["Spruce Homes – Complaints Log 2025 (Senior Property Manager)"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=8)
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append(headers)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(rows):
        ws.append([row.get(h) for h in headers])
        r = ws.max_row
        for c, header in enumerate(headers, start=1):
            cell = ws.cell(r, c)
            if isinstance(cell.value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(cell.value, date):
                cell.number_format = "dd/mm/yyyy"
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            if header in (HEADERS[4],) and isinstance(cell.value, str) and "\n" in cell.value:
                cell.alignment = Alignment(wrap_text=True)
        if i == 19:
            ws.append([])  # a blank row in the middle, as real logs have
    for c in range(1, len(headers) + 1):
        letter = ws.cell(3, c).column_letter
        ws.column_dimensions[letter].width = 14 if c in (1, 2, 3, 7, 8, 11, 17, 20) else 26
    ws.freeze_panes = "B4"
    notes = wb.create_sheet("Lists")  # a second sheet, as logs keep their drop-down values
    for value in ("Open", "Closed", "Stage 1", "Stage 2", "Ombudsman"):
        notes.append([value])
    wb.properties.creator = "Spruce Homes"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.properties.lastModifiedBy = "Spruce Homes"
    buffer = io.BytesIO()
    wb.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with fixed timestamps, so every build is byte-for-byte identical."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 11, 14, 17, 30, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with now
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>2025-11-14T17:30:00Z\g<2>",
                    data,
                )
            dst.writestr(fixed, data)
    return out.getvalue()


def build() -> bytes:
    rows = build_cases()
    mess_up(rows)
    return write(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    parser.add_argument("--output", type=Path, default=TARGET)
    args = parser.parse_args()
    data = build()
    if args.check:
        current = args.output.read_bytes() if args.output.exists() else b""
        if current != data:
            print(f"{args.output} is out of date: run python scripts/make_sample_log.py")
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.write_bytes(data)
    print(f"wrote {args.output} ({len(data):,} bytes, 40 cases)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
