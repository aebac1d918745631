"""Hostile workbooks: whatever the cells or the sheet's XML hold, the import gives a result or
one clean line (a :class:`ComplaintsError`), never a traceback, never a grid it cannot hold.

Real workbooks are generated: cells written by openpyxl (another program than ours), and
sheet parts written here the way OOXML allows (addresses or none, quotes, whitespace, prefixes,
formulas with and without results), each read by the same code the import runs. The measured
grid is checked against what python-calamine really builds, for the sheets small enough to
build.
"""

from __future__ import annotations

import math
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaints_cli.errors import ComplaintsError
from complaints_cli.files.importer import read_log
from complaints_cli.files.spreadsheet import MAX_COLUMNS, MAX_ROWS, Workbook

HEADERS = [
    "Ref", "Status", "Stage", "Handler", "Complainant", "Address", "Date received",
    "Date acknowledged", "Compensation paid & reasons", "Extension required & why?",
    "Met HOS acknowledgement timeframe?", "Actions", "Notes",
]  # fmt: skip

_NUMBERS = st.one_of(
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e308, -1e308, 1e-300, 45678.99999999999, 0.1 + 0.2, 2**53 + 1, -0.0]),
)
_TEXTS = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "9" * 60,
            "1e400",
            "1e308",
            "1e3",
            "£1e3 (x)",
            "1,2,3",
            "£1,000,000.01",
            "£250 (£150 a, £50 b)",
            "£50 + £25",
            "-£5",
            "NaN",
            "inf",
            "01/01/0001",
            "31/12/9999",
            "29/02/1900",
            "April 2025",
            "Total",
            "SPRUCE" + "9" * 40,
            "spruce 0001",
            "Yes [new date 31/02/2025]",
            "Yes [new date 01/01/0001] [reason] x",
            "No [new date 03/03/2025]",
            "1 | Stage 1 | action | x | y | due 01/01/0001",
            "99999999999999999999 | Stage 1 | action | x | y | due 01/01/2025",
            "=1/0",
            "#N/A",
            "_x0000_",
            "\x00\x01",
            "x" * 40_000,
        ]
    ),
)
_CELLS = st.one_of(
    st.none(),
    _NUMBERS,
    _TEXTS,
    st.booleans(),
    st.dates(date(1900, 3, 1), date(9999, 12, 31)),
    st.datetimes(datetime(1900, 3, 1), datetime(9999, 12, 31)),
    st.times(),
)


def _clean(value: Any) -> Any:
    """What openpyxl can store: no NUL in text, no time zones."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # openpyxl refuses NaN and infinities as numbers
    return value


def _check(result: Any) -> None:
    for row in result.rows:
        for name, value in row.values.items():
            if isinstance(value, date):
                assert 1990 <= value.year <= 2100, (name, value)
            if name.endswith("_pence") and value is not None:
                assert 0 <= value <= 100_000_000, (name, value)
        assert len(row.reference) <= 32
    for problem in result.problems:
        assert "\n" not in problem.reason


@given(st.lists(st.lists(_CELLS, min_size=1, max_size=len(HEADERS)), min_size=1, max_size=8))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_hostile_cells_give_a_result_or_one_line(tmp_path_factory: Any, rows: list[list[Any]]):
    from openpyxl import Workbook as OpenpyxlWorkbook

    book = OpenpyxlWorkbook()
    sheet = book.active
    sheet.title = "Log"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([_clean(v) for v in row])
    path = tmp_path_factory.mktemp("cells") / "log.xlsx"
    book.save(path)
    try:
        with Workbook(path) as workbook:
            result = read_log(workbook)
    except ComplaintsError as err:
        assert "\n" not in str(err) and str(err)
        return
    _check(result)


# --- the sheet's XML, as OOXML allows it to be written ------------------------------------------

_BOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Log" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_BOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="{target}"/>'
    "</Relationships>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
    'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/></Types>'
)


def _letters(index: int) -> str:
    out = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


@st.composite
def _attribute(draw: st.DrawFn, name: str, value: str) -> str:
    """``name="value"`` in any of the forms XML allows."""
    before = draw(st.sampled_from([" ", " ", " ", "\t", "\n", "  "]))
    quote = draw(st.sampled_from(['"', '"', "'"]))
    around = draw(st.sampled_from(["", "", " "]))
    return f"{before}{name}{around}={around}{quote}{value}{quote}"


_FAR = st.one_of(st.integers(0, 40), st.sampled_from([285, 286, 511, 512, 700, 16_383]))
_DOWN = st.one_of(
    st.integers(0, 60), st.sampled_from([99_998, 99_999, 499_999, 500_000, 1_048_575])
)


@st.composite
def _cell(draw: st.DrawFn, row: int) -> str:
    prefix = draw(st.sampled_from(["", "", "", "x:"]))
    attrs = ""
    if draw(st.booleans()):
        col = draw(_FAR)
        at_row = row if draw(st.booleans()) else draw(_DOWN)
        attrs += draw(_attribute("r", f"{_letters(col)}{at_row + 1}"))
    kind = draw(st.sampled_from(["", "n", "str", "e", "inlineStr", "b"]))
    if kind:
        attrs += draw(_attribute("t", kind))
    body = draw(
        st.sampled_from(
            [
                "",
                "<v>1</v>",
                "<v>45678</v>",
                "<v/>",
                "<v></v>",
                "<f>1+1</f><v>2</v>",
                '<f>IF(1,"",1)</f><v></v>',
                "<f>NA()</f><v>#N/A</v>",
                "<f>A1</f>",
                "<is><t>SPRUCE001</t></is>",
                "<is><t>03/02/2025</t></is>",
            ]
        )
    )
    body = body.replace("<v", f"<{prefix}v").replace("</v", f"</{prefix}v")
    if not body and draw(st.booleans()):
        return f"<{prefix}c{attrs}/>"
    return f"<{prefix}c{attrs}>{body}</{prefix}c>"


@st.composite
def _sheet(draw: st.DrawFn) -> str:
    rows = []
    for index in range(draw(st.integers(1, 6))):
        attrs = draw(_attribute("r", str(draw(_DOWN) + 1))) if draw(st.booleans()) else ""
        cells = "".join(draw(st.lists(_cell(index), max_size=6)))
        rows.append(f"<row{attrs}>{cells}</row>")
    dimension = draw(
        st.sampled_from(["", '<dimension ref="A1"/>', '<dimension ref="A1:XFD1048576"/>'])
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main">{dimension}<sheetData>{"".join(rows)}</sheetData></worksheet>'
    )


def _xlsx(path: Path, sheet: str, part: str) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _TYPES)
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("xl/workbook.xml", _BOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS.format(target=part[3:]))
        z.writestr(part, sheet)


@given(_sheet(), st.sampled_from(["xl/worksheets/sheet1.xml", "xl/worksheets/log.bin", "xl/x"]))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_sheet_written_any_way_is_measured_before_it_is_read(
    tmp_path_factory: Any, sheet: str, part: str
):
    """Either refused in one line, or read within the limits; and what the reader builds is
    never larger than what was measured (a grid past the limits would abort the process)."""
    path = tmp_path_factory.mktemp("xml") / "log.xlsx"
    _xlsx(path, sheet, part)
    try:
        workbook = Workbook(path)
    except ComplaintsError as err:
        assert "\n" not in str(err) and str(err)
        return
    with workbook:
        facts = workbook._part_facts.get(part)
        scan = workbook._zip.scans[part] if workbook._zip else None
        rows, cols = (facts.rows, facts.cols) if facts else scan.bound()  # type: ignore[union-attr]
        assert rows <= MAX_ROWS and cols <= MAX_COLUMNS
        try:
            read = workbook.sheet("Log")
        except ComplaintsError as err:
            assert "\n" not in str(err)
            return
        assert len(read.rows) <= rows
        assert max((len(r) for r in read.rows), default=0) <= cols
        try:
            result = read_log(workbook)
        except ComplaintsError as err:
            assert "\n" not in str(err)
            return
        _check(result)


def test_times_and_durations_are_one_clear_refusal(tmp_path: Path):
    """A time of day in a date column (a cell typed 14:30) is refused with its reason."""
    from openpyxl import Workbook as OpenpyxlWorkbook

    book = OpenpyxlWorkbook()
    sheet = book.active
    sheet.append(["Ref", "Date received", "Status", "Stage", "Handler"])
    sheet.append(["SPRUCE001", time(14, 30), "Open", "Stage 1", "Sam"])
    path = tmp_path / "times.xlsx"
    book.save(path)
    with Workbook(path) as workbook:
        result = read_log(workbook)
    assert [p.reason for p in result.problems] == ["14:30:00 is a time of day without a date"]
