"""Reading one cell of a Complaints Log spreadsheet, never guessing.

A cell arrives as openpyxl or calamine gives it: ``str``, ``int``, ``float``, ``datetime``,
``date``, ``time``, ``bool`` or ``None``. Each ``parse_*`` function returns the value the
column stores, ``None`` for an empty cell, or raises :class:`CellError` whose ``reason`` says
exactly what is wrong with the value and how to write it. Nothing is silently dropped: a value
that could mean two things is refused.

Decisions on the ambiguous cases
--------------------------------
Empty
    ``None``, ``""``, whitespace, ``N/A``, ``n/a``, ``NA``, ``N.A.``, ``Not applicable``,
    ``TBC``, ``TBA``, ``TBD``, ``To be confirmed``, ``-``, ``--``, ``---``, ``–``, ``—`` are
    empty in every column. ``None`` is empty too, except in free-text columns (summaries,
    learning, address: ``None`` is an answer there, e.g. "no learning", and is kept as text)
    and in the compensation column (where it means nothing was paid, see below).
Dates (:mod:`.date_cells`)
    A ``datetime`` gives its date; any time of day is dropped (the log records days), after
    rounding to the millisecond (23:59:59.9996 is the next day, as a spreadsheet shows it).
    Numbers are Excel serials: the 1900 system by default (serial 1 is 1 January 1900; serial
    60 is Excel's fictitious 29 February 1900 and is refused), the 1904 system with
    ``epoch_1904=True``, or an OpenDocument null date (``epoch``); a serial is taken at 15
    significant digits and to the millisecond, then its fraction (a time of day) is dropped,
    so floating-point dust below a whole day is that day. Text is read in UK order only:
    ``03/02/2025``, ``3.2.2025``, ``03-02-2025`` are 3 February; also ``2025-02-03`` (and
    ``2025/02/03``), ``3 February 2025``, ``3 Feb 2025``, ``3-Feb-2025``, ``Monday 3 February
    2025`` (the weekday must agree), ``February 3, 2025`` (a month *name* is never ambiguous),
    each optionally followed by a time (``03/02/2025 14:30``), which is dropped. Two-digit
    years, words (``today``), a number typed as text (``45678``), a lone ``time`` and years
    before 1990 or after 2100 are refused.
Yes/No
    ``Yes``/``No``/``Y``/``N``/``TRUE``/``FALSE`` (text or a real boolean), optionally followed
    by an explanation after a dash, colon, comma or semicolon, or in brackets: ``No (annual
    leave)`` -> ``(False, "annual leave")``. An explanation separated by a space only (``No
    response sent``) is refused: it may be a sentence that starts with "No". Column 16 (escalated)
    stores no explanation, so ``Yes - by email`` is refused there rather than losing the text.
    Numbers (1/0) are refused. In the extension columns an explicit ``new date``, ``new
    deadline``, ``revised date`` or ``extended to/until`` followed by a date gives the new
    deadline (it is taken out of the reason when it is bracketed or ends the text); a date
    without such words stays part of the reason; two different new dates, or a new date on a
    ``No``, are refused. ``Yes [new date 04/03/2025] [reason] <text>`` is the form the export
    writes when the plain form would not read back (a reason that itself mentions a new date):
    the bracketed date is the new date and everything after ``[reason]`` is the reason.
Money (:mod:`.money_cells`)
    An amount in pounds, optionally with ``£``/``GBP``/``pounds`` and thousands commas, and at
    most two decimal places and at most £1,000,000, then the reasons after a dash, colon,
    comma or in brackets (or after a space when the amount has its ``£``): ``£1,250.00 (time
    and trouble)`` -> ``(Decimal("1250.00"), "time and trouble")``. Amounts are always returned
    with two decimal places. A number cell is read as the spreadsheet shows it (15
    significant digits) and refused unless it is a whole number of pence. ``None``, ``Nil``,
    ``No``, ``Nothing``, ``No compensation`` and ``£0`` mean *nothing was paid*:
    ``(Decimal("0.00"), reasons)``, which differs from an empty cell (not decided yet). A total
    followed by its breakdown (``£250 (£150 time and trouble, £100 distress)``) is the total
    with the breakdown as its reasons when the parts add up; other second amounts (``£50 +
    £25 goodwill``, parts that do not add up) are refused rather than guessed, since a second
    amount may be a previous offer; so are negative amounts, exponents (``1e3``), commas out
    of place (``1,2,3``), pence (``50p``) and text without an amount.
Status / stage
    Case, spacing and punctuation are ignored; stages also accept ``Stage1``, ``S2``, ``Stage
    two``, ``1``/``2`` and ``HOS``/``Housing Ombudsman`` for ``Ombudsman``. ``PRS`` is refused:
    the Property Redress Scheme is not the Ombudsman.
Reference
    Read by :func:`complaints_cli.domain.references.parse_reference`, the one reference
    grammar: upper-cased, and spaces, hyphens, underscores or slashes between the prefix and
    the digits removed: ``spruce-001`` -> ``SPRUCE001``. The prefix is 1-12 letters or digits
    starting with a letter (read with the log's prefix known: ``HA2001`` under ``HA2`` is its
    number 1); the number has at least three digits (``SPRUCE1`` is refused, not padded: its
    folder is named with what the log says) and at most twelve. A bare number is refused: its
    prefix is missing; so are separators inside the number (``SH-2025-001``).
Text / person
    Outer whitespace is stripped; line breaks inside a cell are kept (``\\r\\n`` becomes
    ``\\n``). Numbers become their text (``12.0`` -> ``"12"``), dates ``dd/mm/yyyy``, booleans
    ``TRUE``/``FALSE`` as Excel shows them. Person columns accept text only, with runs of spaces
    collapsed in each line (a complainant cell may list several people, one a line).
Stage 2 escalation details (column 18)
    The text is kept whole; the review type is taken from it only when the text *starts* with
    ``Manager review`` or ``Compensation review`` (``Senior`` and ``Stage 2 -`` allowed before).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Final

from complaints_cli.domain import references
from complaints_cli.domain.columns import CHANNELS, REVIEW_TYPES, STAGES, STATUSES, Column
from complaints_cli.domain.dates import MAX_YEAR, MIN_YEAR, format_uk
from complaints_cli.domain.text import person_lines, unsafe_character
from complaints_cli.errors import ComplaintsError
from complaints_cli.files.cell_basics import CellError, describe, is_empty, type_name
from complaints_cli.files.date_cells import (
    EPOCH_1900,
    EPOCH_1904,
    excel_serial_to_date,
    parse_date_cell,
    parse_text_date,
)
from complaints_cli.files.headers import EXTRA_COLUMNS, ExtraColumn
from complaints_cli.files.money_cells import MAX_AMOUNT, PENNY, money_cell_text, parse_money
from complaints_cli.files.yesno_cells import (
    extension_cell_text,
    parse_extension,
    parse_yesno,
)

# --- status, stage, channel, review type -------------------------------------------------------


def _squash(text: str) -> str:
    """Lower case without spaces or punctuation: ``' Stage-1. '`` -> ``'stage1'``."""
    return re.sub(r"[\W_]+", "", text.lower())


def _choice(value: object, what: str, table: Mapping[str, str], accepted: tuple[str, ...]) -> str:
    found = table.get(_squash(value)) if isinstance(value, str) else None
    if found is None:
        raise CellError(f"{describe(value)} is not a {what}: use one of {', '.join(accepted)}")
    return found


def parse_status(value: object) -> str | None:
    """A status cell: one of :data:`.columns.STATUSES`, or ``None`` when empty."""
    if is_empty(value):
        return None
    return _choice(value, "status", {_squash(s): s for s in STATUSES}, STATUSES)


_STAGE_WORDS: Final = {
    "Stage 1": ("stage1", "s1", "stg1", "st1", "stageone", "stagei", "1"),
    "Stage 2": ("stage2", "s2", "stg2", "st2", "stagetwo", "stageii", "2"),
    "Ombudsman": ("ombudsman", "hos", "housingombudsman", "housingombudsmanservice"),
}


def parse_stage(value: object) -> str | None:
    """A stage cell: one of :data:`~complaints_cli.domain.columns.STAGES`, or ``None`` when empty.

    Also accepts the numbers 1 and 2 (an Excel number in a Stage column).
    """
    if is_empty(value):
        return None
    table = {_squash(s): s for s in STAGES}
    for stage, words in _STAGE_WORDS.items():
        if stage in STAGES:
            table.update(dict.fromkeys(words, stage))
    if isinstance(value, int | float) and not isinstance(value, bool) and value in (1, 2):
        value = str(int(value))
    return _choice(value, "stage", table, STAGES)


_CHANNEL_WORDS: Final = {
    "email": ("email", "emails", "emailed"),
    "phone": ("phone", "telephone", "tel", "phonecall", "telephonecall", "call"),
    "letter": ("letter", "post", "bypost"),
    "in person": ("inperson", "facetoface", "f2f"),
    "website": ("website", "web", "webform", "onlineform", "websiteform"),
    "social media": ("socialmedia", "facebook", "twitter", "instagram"),
}


def parse_channel(value: object) -> str | None:
    """A channel cell: one of :data:`~complaints_cli.domain.columns.CHANNELS`, or ``None``."""
    if is_empty(value):
        return None
    table = {_squash(c): c for c in CHANNELS}
    for channel, words in _CHANNEL_WORDS.items():
        if channel in CHANNELS:
            table.update(dict.fromkeys(words, channel))
    return _choice(value, "channel", table, CHANNELS)


def _word_cell(parse: Callable[[str, str], StrEnum], value: object) -> str | None:
    """A cell holding one of the log's words, read by the commands' own parser (``parse``,
    from :mod:`complaints_cli.domain.classification` or :mod:`~complaints_cli.domain.lifecycle`:
    one owner for each list of words), or ``None`` when empty."""
    if is_empty(value):
        return None
    if not isinstance(value, str):
        raise CellError(f"{describe(value)} is {type_name(value)}, not one of the log's words")
    try:
        return parse(value, "").value
    except ComplaintsError as err:
        raise CellError(str(err).strip()) from None


def parse_tenure(value: object) -> str | None:
    """A tenure cell (the Regulator's stock types; ``LCRA``, ``LCHO`` too), or ``None``."""
    from complaints_cli.domain.classification import parse_tenure as words

    return _word_cell(words, value)


def parse_outcome(value: object) -> str | None:
    """A stage's decision (``upheld``, ``partly upheld``, ...), or ``None`` when empty."""
    from complaints_cli.domain.classification import parse_outcome as words

    return _word_cell(words, value)


def parse_ombudsman_body(value: object) -> str | None:
    """An Ombudsman body cell (``HOS`` or ``PRS``), or ``None`` when empty."""
    from complaints_cli.domain.ombudsman_stage import parse_body

    return _word_cell(parse_body, value)


_REVIEW_ACCEPTED: Final = tuple(f"{kind.capitalize()} review" for kind in REVIEW_TYPES)


def parse_review_type(value: object) -> str | None:
    """A review type cell: ``manager`` or ``compensation``, or ``None`` when empty."""
    if is_empty(value):
        return None
    table: dict[str, str] = {}
    for kind in REVIEW_TYPES:
        for form in (kind, f"{kind} review", f"senior {kind} review", f"stage 2 {kind} review"):
            table[_squash(form)] = kind
    return _choice(value, "review type", table, _REVIEW_ACCEPTED)


_LEADING_REVIEW = re.compile(
    r"(?:stage\s*2\s*[-–—:,]?\s*)?(?:senior\s+)?(?:(?P<kind>manager|compensation)\s+review\b"
    # A Complaint Review Panel (Southern Housing 4.8): "Panel", "Panel review", "Review
    # Panel", "Complaint Review Panel" as the text's first words.
    r"|(?:complaints?\s+)?(?:review\s+)?(?P<panel>panel)\b(?:\s+review\b)?)",
    re.I,
)


#: Column 18 written by the export when its text starts like a review type that is not the
#: case's (``Manager review wanted`` on a compensation review): the text after it is the
#: details, as written, and no review type is read from it.
DETAILS_MARK: Final = "[details] "


def details_cell_text(details: str | None, review_type: str | None) -> str | None:
    """Column 18's text, so that the review type read from it is the case's own (or none)."""
    if not details:
        return details
    if review_type_from_details(details) in (None, review_type) and not details.startswith(
        DETAILS_MARK
    ):
        return details
    return DETAILS_MARK + details


def review_type_from_details(details: str | None) -> str | None:
    """The review type a Stage 2 escalation text starts with, or ``None``.

    ``Manager Review - unhappy with repairs`` -> ``manager``, ``Complaint Review Panel - ...``
    or ``Panel - ...`` -> ``panel``; a mention further in (``not a compensation review``) is
    not read, so nothing is guessed from a sentence.
    """
    if not details:
        return None
    m = _LEADING_REVIEW.match(details.strip())
    if m is None:
        return None
    kind = (m["kind"] or m["panel"]).lower()
    return kind if kind in REVIEW_TYPES else None


def parse_actions_cell(value: object) -> tuple[object, ...] | None:
    """An ``Actions`` cell: the case's actions, one a line (:mod:`.action_cells`), as a tuple
    of :class:`.action_cells.ActionCell`, or ``None`` when empty."""
    if is_empty(value):
        return None
    from complaints_cli.files.action_cells import ActionError, parse_actions

    if not isinstance(value, str):
        raise CellError(f"{describe(value)} is {type_name(value)}, not a list of actions")
    try:
        return parse_actions(value, parse_stage) or None
    except (ActionError, CellError) as exc:
        raise CellError(str(exc)) from None  # a CellError's str is its reason


def parse_signatories_cell(value: object) -> tuple[object, ...] | None:
    """A ``Petition signatories`` cell: the petition's signatories, one a line
    (:mod:`.signatory_cells`), as a tuple of :class:`~complaints_cli.domain.case.Signatory`
    (the lead petitioner first), or ``None`` when empty."""
    if is_empty(value):
        return None
    from complaints_cli.files.signatory_cells import SignatoryError, parse_signatories

    if not isinstance(value, str):
        raise CellError(f"{describe(value)} is {type_name(value)}, not a list of signatories")
    try:
        return parse_signatories(value) or None
    except SignatoryError as exc:
        raise CellError(str(exc)) from None


def parse_case_kind(value: object) -> str | None:
    """A case kind cell: ``complaint``, ``service dissatisfaction`` or ``petition``, or
    ``None`` when empty (the log's everyday words too: ``informal``, ``SD``, ``formal``)."""
    if is_empty(value):
        return None
    from complaints_cli.domain.process import parse_kind
    from complaints_cli.domain.vocabulary import CaseKind

    KINDS = tuple(CaseKind)

    if isinstance(value, str):
        try:
            return parse_kind(value)
        except ComplaintsError:
            pass
    raise CellError(f"{describe(value)} is not a case kind: use one of {', '.join(KINDS)}")


# --- reference -----------------------------------------------------------------------------------


def parse_reference(value: object, *, prefix: str | None = None) -> str | None:
    """A reference cell, normalised (``spruce-001`` -> ``SPRUCE001``), or ``None`` when empty.

    Read by :func:`complaints_cli.domain.references.parse_reference`, the one reference
    grammar; with ``prefix``, the reference must use it (read with it known, so ``HA2001``
    under prefix ``HA2`` is number 1). Raises :class:`CellError` saying what is wrong.
    """
    if is_empty(value):
        return None
    if not isinstance(value, str):
        raise CellError(
            f"{describe(value)} is {type_name(value)}, not a reference: a reference is a "
            "prefix and at least three digits, e.g. SPRUCE001"
        )
    text = " ".join(value.split())
    expected = prefix.upper() if prefix is not None else None
    try:
        reference = references.parse_reference(text, [expected] if expected else ())
    except ComplaintsError as err:
        raise CellError(str(err)) from None
    if expected is not None and references.number_after(expected, reference) is None:
        raise CellError(f"{text!r} does not start with this log's prefix {expected}")
    return reference


def split_reference(reference: str) -> tuple[str, int]:
    """``SPRUCE012`` -> ``("SPRUCE", 12)``
    (:func:`complaints_cli.domain.references.split_reference`); raises :class:`CellError` if
    it is not one."""
    parts = references.split_reference(reference)
    if parts is None:
        raise CellError(f"{reference!r} is not a reference")
    return parts


# --- text and people -----------------------------------------------------------------------------


def _clean_lines(text: str) -> str:
    """A text cell's line breaks as ``\\n``, trimmed; :class:`CellError` for a control
    character (Excel's ``_x001B_``, which the reader decodes): refused as ``log`` refuses it
    (:func:`~complaints_cli.domain.text.unsafe_character`), never stored to reach a
    terminal."""
    text = text.replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n").strip()
    problem = unsafe_character(text)
    if problem is not None:
        raise CellError(
            f"{problem}: remove it in the file (type the text again, or paste it as plain text)"
        )
    return text


def _number_text(value: float) -> str:
    if not math.isfinite(value):
        raise CellError(f"{value!r} is not a value that can be kept as text")
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def parse_text(value: object) -> str | None:
    """A free-text cell as text, or ``None`` when empty (the word ``None`` is kept)."""
    if is_empty(value, none_is_empty=False):
        return None
    if isinstance(value, str):
        return _clean_lines(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, datetime):
        shown = format_uk(value.date())
        return shown if value.time() == time(0) else f"{shown} {value.strftime('%H:%M')}"
    if isinstance(value, date):
        return format_uk(value)
    if isinstance(value, time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    raise CellError(f"{describe(value)} is {type_name(value)}, which cannot be kept as text")


def parse_person(value: object) -> str | None:
    """A person cell (one name a line), or ``None`` when empty."""
    if is_empty(value):
        return None
    if not isinstance(value, str):
        raise CellError(f"{describe(value)} is {type_name(value)}, not a name")
    return person_lines(_clean_lines(value))


# --- one column, one row ------------------------------------------------------------------------


def parse_cell(
    value: object,
    kind: str,
    *,
    epoch_1904: bool = False,
    prefix: str | None = None,
    epoch: date | None = None,
) -> object:
    """Parse one cell for a column kind (a :data:`~complaints_cli.domain.columns.Kind`, or
    ``extension``, ``channel``, ``review_type``, ``case_kind``); see the ``parse_*`` function
    of each kind."""
    if kind == "date":
        return parse_date_cell(value, epoch_1904=epoch_1904, epoch=epoch)
    if kind == "reference":
        return parse_reference(value, prefix=prefix)
    parsers: dict[str, Callable[[object], object]] = {
        "status": parse_status,
        "stage": parse_stage,
        "person": parse_person,
        "text": parse_text,
        "yesno": parse_yesno,
        "extension": parse_extension,
        "money": parse_money,
        "channel": parse_channel,
        "review_type": parse_review_type,
        "case_kind": parse_case_kind,
        "tenure": parse_tenure,
        "outcome": parse_outcome,
        "ombudsman_body": parse_ombudsman_body,
        "actions": parse_actions_cell,
        "signatories": parse_signatories_cell,
    }
    if kind not in parsers:
        raise ValueError(f"unknown column kind {kind!r}")
    return parsers[kind](value)


def parse_column(
    column: Column | ExtraColumn,
    value: object,
    *,
    epoch_1904: bool = False,
    prefix: str | None = None,
    epoch: date | None = None,
) -> dict[str, object]:
    """One cell as the stored fields of its column, every field present (``None`` if empty)."""
    fields = column.fields
    empty: dict[str, object] = dict.fromkeys(fields)
    if column.kind == "yesno" and len(fields) == 3:
        extension = parse_extension(value)
        return empty if extension is None else dict(zip(fields, extension, strict=True))
    if column.kind == "yesno":
        answer = parse_yesno(value)
        if answer is None:
            return empty
        if len(fields) == 1 and answer[1] is not None:
            raise CellError(
                f"{describe(value)}: this column holds only Yes or No, so the explanation "
                "would be lost; write just Yes or No and put the explanation in another column"
            )
        return dict(zip(fields, answer[: len(fields)], strict=True))
    if column.kind == "money":
        money = parse_money(value)
        return empty if money is None else dict(zip(fields, money, strict=True))
    parsed = parse_cell(value, column.kind, epoch_1904=epoch_1904, prefix=prefix, epoch=epoch)
    if len(fields) == 2 and fields[1] == "review_type":
        text = parsed if isinstance(parsed, str) else None
        if text is not None and text.startswith(DETAILS_MARK):
            return {fields[0]: text.removeprefix(DETAILS_MARK) or None, fields[1]: None}
        return {fields[0]: parsed, fields[1]: review_type_from_details(text)}
    return {fields[0]: parsed}


def _order(column: Column | ExtraColumn) -> tuple[int, int]:
    if isinstance(column, Column):
        return 0, column.number
    return 1, EXTRA_COLUMNS.index(column) if column in EXTRA_COLUMNS else len(EXTRA_COLUMNS)


def _show(value: object) -> str:
    return format_uk(value) if isinstance(value, date) else str(value)


RowError = tuple[str, object, str]


def parse_row(
    cells_by_column: Mapping[Column | ExtraColumn, object],
    epoch_1904: bool = False,
    *,
    prefix: str | None = None,
    epoch: date | None = None,
) -> tuple[dict[str, object], list[RowError]]:
    """Parse every cell of one row.

    Returns the values keyed by model field name (every field of every column given, ``None``
    when its cell is empty; a column whose cell is refused contributes no fields) and the
    errors as ``(column header, raw value, reason)``. When two columns fill the same field
    (``Stage 1 extended to`` and a new date in column 12; ``Review type`` and a review type
    read from column 18) they must agree, or the later column gets an error.
    """
    values: dict[str, object] = {}
    set_by: dict[str, str] = {}
    errors: list[RowError] = []
    for column, value in sorted(cells_by_column.items(), key=lambda item: _order(item[0])):
        try:
            parsed = parse_column(column, value, epoch_1904=epoch_1904, prefix=prefix, epoch=epoch)
        except CellError as err:
            errors.append((column.header, value, err.reason))
            continue
        clash = next(
            (
                (name, new)
                for name, new in parsed.items()
                if new is not None and values.get(name) is not None and values[name] != new
            ),
            None,
        )
        if clash is not None:
            name, new = clash
            errors.append(
                (
                    column.header,
                    value,
                    f"says {_show(new)} but {set_by[name]!r} says {_show(values[name])}",
                )
            )
            continue
        for name, new in parsed.items():
            if new is not None:
                values[name] = new
                set_by[name] = column.header
            else:
                values.setdefault(name)
    return values, errors


__all__ = [
    "EPOCH_1900",
    "EPOCH_1904",
    "MAX_AMOUNT",
    "MAX_YEAR",
    "MIN_YEAR",
    "PENNY",
    "CellError",
    "details_cell_text",
    "excel_serial_to_date",
    "extension_cell_text",
    "is_empty",
    "money_cell_text",
    "parse_cell",
    "parse_column",
    "parse_date_cell",
    "parse_extension",
    "parse_money",
    "parse_reference",
    "parse_row",
    "parse_text",
    "parse_text_date",
    "parse_yesno",
    "split_reference",
]
