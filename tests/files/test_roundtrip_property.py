"""Property: any value the commands can store in an exported column survives export, then
import into an empty log, as .xlsx and as CSV.

Cases are generated as the store gives them to the export (:func:`store.reads.case_record`),
with each field holding what a command accepts there: text stripped of outer whitespace, with
line breaks, brackets, amounts, dates and formula characters inside; names of single-spaced
words, one person a line; dates 1990-2100; amounts up to £1,000,000 in pence; a petition's
signatories (names, addresses of any text with ``|``, backslashes and line breaks, the lead
petitioner), given to the export by case id as the store gives them. The export is written
by the exporter itself (:func:`write_xlsx`, :func:`write_csv`) and read back by the import's
own reading step (:func:`read_log`), which is all the import does before it stores what it
read, field by field.

The CSV is read as a spreadsheet reads a CSV: every cell as text (so the import's parsers see
"03/02/2025", "£1,250.00 (reasons)", "Yes [reason] ..."). Two things are left out, each for its
reason (see the README): text starting with ``=``, ``+``, ``-``, ``@``, ``|``, ``%``, ``#`` (the
CSV writes it after a ``'``, the OWASP defence, which a spreadsheet then shows), and kept
columns' numbers (text in a CSV).

What a command accepts but no cell can give back is not generated, and is named here: a whole
text that is itself a placeholder (``N/A``, ``TBC``, ``-``: an import reads those as empty),
runs of spaces inside a name (an import tidies names), a carriage return (an import keeps
``\\n`` line ends), control characters and the text ``_x000D_`` (text safety, another issue).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaints_cli.domain.case import Case, Signatory
from complaints_cli.domain.columns import CHANNELS, COLUMNS, REVIEW_TYPES, STAGES, STATUSES
from complaints_cli.domain.order import AFTER
from complaints_cli.domain.presentation import format_signatories
from complaints_cli.domain.process import signatory_key
from complaints_cli.domain.vocabulary import (
    CaseKind,
    Channel,
    OmbudsmanBody,
    Outcome,
    ReviewType,
    Stage,
    Status,
    Tenure,
)
from complaints_cli.files.cells import is_empty
from complaints_cli.files.exporter import export_columns, write_csv, write_xlsx
from complaints_cli.files.headers import EXTRA_COLUMNS
from complaints_cli.files.importer import ReadResult, read_log
from complaints_cli.files.spreadsheet import Sheet, Workbook

# --- what the commands accept --------------------------------------------------------------------

_ALPHABET = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Zs"),
    exclude_characters="\r\x85\u2028\u2029",
)
_WORD = st.text(
    st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéøłÆ'-"),
    min_size=1,
    max_size=12,
)
#: Pieces a free text is made of: ordinary words and the tricky bits the cells must survive.
_PIECES = st.one_of(
    _WORD,
    st.text(_ALPHABET, min_size=1, max_size=20),
    st.sampled_from(
        [
            "new date 03/03/2025",
            "(new date 04/03/2025)",
            "extended to 10 March 2025",
            "£150",
            "£50 + £25",
            "[reason]",
            "[reasons]",
            "[details]",
            "[new date 01/01/2025]",
            "Manager review",
            "Compensation review -",
            "Yes",
            "No -",
            "- late",
            ": note",
            "=SUM(A1)",
            "+44 20",
            "@user",
            "#N/A",
            "None",
            "N/A",
            "(",
            ")",
            "\n",
            "\n\n",
        ]
    ),
)


def _tidy(text: str) -> str:
    return text.strip()


def _acceptable(text: str) -> bool:
    return bool(text) and not is_empty(text) and "_x000D_" not in text and "\r" not in text


_TEXT = (
    st.lists(_PIECES, min_size=1, max_size=6)
    .map(lambda parts: _tidy(" ".join(parts)))
    .filter(_acceptable)
)
_NAME = st.lists(_WORD, min_size=1, max_size=3).map(" ".join).filter(lambda t: not is_empty(t))
_PEOPLE = st.lists(_NAME, min_size=1, max_size=3).map("\n".join)
_DATES = st.dates(date(1990, 1, 1), date(2100, 12, 31))
_PENCE = st.integers(0, 100_000_000)


@st.composite
def _signatory(draw: st.DrawFn) -> Signatory:
    """One signatory as ``signatory add`` takes it: a single-spaced name, an address of any
    text (``|``, backslashes and line breaks included), the lead petitioner or not."""
    return Signatory(draw(_NAME), draw(_ADDRESS), draw(st.booleans()), draw(_DATES))


#: An address, with the pieces of the signatories cell's own grammar inside it.
_ADDRESS = (
    st.lists(
        st.one_of(
            _PIECES,
            st.sampled_from(["|", " | ", "\\", "\\|", "| added 03/02/2025", "| lead", "lead"]),
        ),
        min_size=1,
        max_size=6,
    )
    .map(lambda parts: _tidy(" ".join(parts)))
    .filter(_acceptable)
)


#: A petition's signatories: each person once, at most one lead petitioner.
_SIGNATORIES = st.lists(
    _signatory(), max_size=4, unique_by=lambda s: signatory_key(s.name, s.address)
).filter(lambda people: sum(s.lead for s in people) <= 1)


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@st.composite
def cases(draw: st.DrawFn, number: int) -> dict[str, Any]:
    case: dict[str, Any] = {"id": number, "reference": f"SPRUCE{number:03d}"}
    for column in COLUMNS[1:]:
        first = column.fields[0]
        if column.kind == "date":
            case[first] = draw(_DATES if first == "received" else _maybe(_DATES))
        elif column.kind == "status":
            case[first] = draw(st.sampled_from(STATUSES))
        elif column.kind == "stage":
            case[first] = draw(st.sampled_from(STAGES))
        elif column.kind == "person":
            people = _PEOPLE if first == "complainant" else _NAME
            case[first] = draw(people if first != "stage2_handler" else _maybe(people))
        elif column.kind == "text" and column.number == 18:
            case["escalation_details"] = draw(_maybe(_TEXT))
            case["review_type"] = draw(_maybe(st.sampled_from(REVIEW_TYPES)))
        elif column.kind == "text":
            case[first] = draw(_TEXT if first == "address" else _maybe(_TEXT))
        elif column.kind == "money":
            pence = draw(_maybe(_PENCE))
            case["compensation_amount"] = None if pence is None else Decimal(pence) / 100
            case["compensation_reasons"] = None if pence is None else draw(_maybe(_TEXT))
        elif column.kind == "yesno" and len(column.fields) == 3:
            extended = draw(_maybe(st.booleans()))
            case[column.fields[0]] = extended
            case[column.fields[1]] = None if extended is None else draw(_maybe(_TEXT))
            case[column.fields[2]] = draw(_maybe(_DATES)) if extended else None
        elif column.kind == "yesno" and len(column.fields) == 2:
            case[first] = draw(_maybe(st.booleans()))
            case[column.fields[1]] = None if case[first] is None else draw(_maybe(_TEXT))
        elif column.kind == "yesno":
            case[first] = draw(_maybe(st.booleans()))
    for extra in EXTRA_COLUMNS:
        name = extra.fields[0]
        if name in case or extra.kind in ("actions", "reference", "signatories"):
            continue
        if extra.kind == "date":
            case[name] = draw(_maybe(_DATES))
        elif extra.kind == "channel":
            case[name] = draw(_maybe(st.sampled_from(CHANNELS)))
        elif extra.kind == "yesno":
            case[name] = draw(_maybe(st.booleans()))
        elif extra.kind == "case_kind":
            case[name] = draw(st.sampled_from(tuple(CaseKind)))
        elif name in _WORDS:
            case[name] = draw(_maybe(st.sampled_from([w.value for w in _WORDS[name]])))
        elif extra.kind == "money":
            pence = draw(_maybe(_PENCE))
            case[name] = None if pence is None else Decimal(pence) / 100
            case[extra.fields[1]] = None if pence is None else draw(_maybe(_TEXT))
        else:
            case[name] = draw(_maybe(_TEXT))
    # A petition's signatories (their own table; the import refuses another case's), the lead
    # petitioner first, as the store lists them.
    people = draw(_SIGNATORIES) if case["kind"] == CaseKind.PETITION else []
    case["signatories"] = tuple(sorted(people, key=lambda s: not s.lead)) or None
    # An extension's new date is also in its own column ("Stage N extended to").
    for stage in ("stage1", "stage2"):
        if case[f"{stage}_extension"] is None:
            continue
        case[f"{stage}_extended_to"] = (
            case[f"{stage}_extended_to"] if case[f"{stage}_extension"] else None
        )
    case["extra"] = draw(
        st.dictionaries(
            st.sampled_from(["Notes", "Yardi ref"]),
            st.one_of(_TEXT, st.integers(-(10**6), 10**6)),
            max_size=2,
        )
    )
    case["created_at"] = case["updated_at"] = datetime(2025, 3, 1, 9, 30)
    _in_order(case)
    return case


def _in_order(case: dict[str, Any]) -> None:
    """Each date no earlier than the dates it must follow (an import refuses a row whose
    events are out of order, as the commands do): a date before one of them is moved up to
    it. :data:`~complaints_cli.domain.order.AFTER` lists the later dates after the earlier."""
    for name, earlier in AFTER.items():
        value = case.get(name)
        if value is None:
            continue
        case[name] = max([value, *(case[e] for e in earlier if case.get(e) is not None)])
    if case.get("stage") == "Stage 2" and case.get("escalated") is False:
        case["escalated"] = True  # a case reaches Stage 2 by an escalation (domain/order)


#: The fields the log holds as one of its words (an enum), and the enum.
_WORDS = {
    "status": Status,
    "stage": Stage,
    "review_type": ReviewType,
    "kind": CaseKind,
    "channel": Channel,
    "ombudsman_body": OmbudsmanBody,
    "tenure": Tenure,
    "stage1_outcome": Outcome,
    "stage2_outcome": Outcome,
}


def _typed(case: dict[str, Any]) -> Case:
    """The generated case as the store gives it to the export."""
    values = {f: case[f] for f in Case._fields if f in case}
    for name, enum in _WORDS.items():
        if values.get(name) is not None:
            values[name] = enum(values[name])
    return Case(**values)


def _export_xlsx(path: Path, log: list[dict[str, Any]], columns: Any) -> None:
    with path.open("wb") as fh:
        write_xlsx(fh, [_typed(c) for c in log], columns)


@st.composite
def logs(draw: st.DrawFn) -> list[dict[str, Any]]:
    return [draw(cases(n)) for n in range(1, draw(st.integers(1, 4)) + 1)]


# --- export, then import -------------------------------------------------------------------------

_FIELDS = list(
    dict.fromkeys(
        [
            *(
                f
                for c in (*COLUMNS, *EXTRA_COLUMNS)
                for f in c.fields
                if f not in ("actions", "related_to", "duplicate_of", "reference")
            ),
            "signatories",  # named here too, so a lost column cannot drop it from the check
        ]
    )
)
_PENCE_OF = {"compensation_amount": "compensation_pence"}
_PENCE_OF["stage2_compensation_amount"] = "stage2_compensation_pence"


def _keys(log: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(k for case in log for k in case["extra"]))


def _columns(log: list[dict[str, Any]]) -> Any:
    """The export's columns, with the petitions' signatories (by case id, as the store
    gives them: :func:`complaints_cli.store.reads.signatories_by_case`)."""
    signed = {c["id"]: c["signatories"] for c in log if c.get("signatories")}
    return export_columns(_keys(log), include_sensitive=True, signatories=signed)


def _compare(log: list[dict[str, Any]], result: ReadResult, *, csv_text: bool) -> None:
    assert not result.problems, [p.line() for p in result.problems]
    assert [r.reference for r in result.rows] == [c["reference"] for c in log]
    for case, row in zip(log, result.rows, strict=True):
        for name in _FIELDS:
            expected = case.get(name)
            if name in _PENCE_OF:
                got = row.values[_PENCE_OF[name]]
                assert got == (None if expected is None else int(expected * 100)), name
                continue
            got = row.values.get(name, "(no such column)")
            assert got == expected, (name, expected, got)
        kept = {k: v for k, v in row.extra.items() if v is not None}
        want = {k: (str(v) if csv_text else v) for k, v in case["extra"].items()}
        assert kept == want


@given(logs())
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_value_survives_an_xlsx_round_trip(tmp_path_factory: Any, log: list[dict[str, Any]]):
    path = tmp_path_factory.mktemp("xlsx") / "log.xlsx"
    columns = _columns(log)
    _export_xlsx(path, log, columns)
    with Workbook(path) as workbook:
        result = read_log(workbook)
    _compare(log, result, csv_text=False)


@dataclass
class _CsvWorkbook:
    """A CSV as a spreadsheet holds it once opened: one sheet, every cell text."""

    rows: list[list[Any]]
    path: Path = Path("log.csv")
    sha256: str = "0" * 64
    epoch: date = date(1899, 12, 30)
    epoch_1904: bool = False
    sheet_names: list[str] = field(default_factory=lambda: ["log"])

    def sheet(self, name: str) -> Sheet:
        return Sheet(name, [list(r) for r in self.rows])


_FORMULA_START = ("=", "+", "-", "@", "#", "\t", "|", "%")


def _no_formula_starts(log: list[dict[str, Any]]) -> bool:
    for case in log:
        signed = format_signatories(case.get("signatories") or ())
        for value in (*case.values(), *case["extra"].values(), signed):
            if isinstance(value, str) and value.startswith(_FORMULA_START):
                return False
    return True


@given(logs().filter(_no_formula_starts))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_value_survives_a_csv_round_trip(log: list[dict[str, Any]]):
    columns = _columns(log)
    out = io.BytesIO()
    write_csv(out, [_typed(c) for c in log], columns)
    rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    result = read_log(_CsvWorkbook(rows))  # type: ignore[arg-type]
    _compare(log, result, csv_text=True)


@pytest.mark.parametrize(
    ("reason", "new_date"),
    [("new date 03/03/2025 for the visit", date(2025, 3, 4)), ("- awaiting report", None)],
)
def test_the_issues_extension_reasons_survive(tmp_path: Path, reason: str, new_date: Any):
    base = {c["reference"]: c for c in [_plain_case()]}["SPRUCE001"]
    base |= {"stage1_extension": True, "stage1_extension_reason": reason}
    base["stage1_extended_to"] = new_date
    path = tmp_path / "log.xlsx"
    _export_xlsx(path, [base], export_columns())
    with Workbook(path) as workbook:
        (row,) = read_log(workbook).rows
    assert row.values["stage1_extension_reason"] == reason
    assert row.values["stage1_extended_to"] == new_date


def _plain_case() -> dict[str, Any]:
    case: dict[str, Any] = {f: None for c in (*COLUMNS, *EXTRA_COLUMNS) for f in c.fields}
    case |= {
        "id": 1,
        "reference": "SPRUCE001",
        "status": "Open",
        "stage": "Stage 1",
        "handler": "Sam Patel",
        "complainant": "Ann Lee",
        "address": "1 Essex Brewery",
        "received": date(2025, 2, 3),
        "kind": "complaint",
        "compensation_amount": None,
        "stage2_compensation_amount": None,
        "extra": {},
        "created_at": datetime(2025, 3, 1),
        "updated_at": datetime(2025, 3, 1),
    }
    return case


@pytest.mark.parametrize("note", ["- late", ": see the file", "(late)", "late", "No - really"])
def test_yes_no_explanations_survive(tmp_path: Path, note: str):
    case = _plain_case() | {"ack_met": False, "ack_met_note": note}
    path = tmp_path / "log.xlsx"
    _export_xlsx(path, [case], export_columns())
    with Workbook(path) as workbook:
        (row,) = read_log(workbook).rows
    assert (row.values["ack_met"], row.values["ack_met_note"]) == (False, note)
