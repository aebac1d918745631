"""The dates (and the few facts) of one case that its deadlines depend on: :class:`CaseDates`.

Made from a stored :class:`~complaints_cli.domain.case.Case` (:meth:`CaseDates.of`), an
import's parsed row (:meth:`CaseDates.of_row`) or any mapping of its field names
(:meth:`CaseDates.from_mapping`); :mod:`complaints_cli.domain.deadlines` judges them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, NamedTuple

from complaints_cli.domain.case import Case
from complaints_cli.domain.vocabulary import Status
from complaints_cli.errors import ComplaintsError

__all__ = [
    "DATE_FIELDS",
    "FACT_FIELDS",
    "TOLD_FIELDS",
    "CaseDates",
    "as_case",
    "is_finished_status",
]


class CaseDates(NamedTuple):
    """The dates (and the few facts) of one case that deadlines depend on.

    A named tuple rather than a frozen dataclass because one is made for every case a
    command or a report judges: 0.7 µs against 8.5 µs for the frozen, slotted dataclass of
    22 fields it was (``timeit``, 2026-11-30), reading a field costs the same, and a 100k
    import or report makes hundreds of thousands of them. :data:`DATE_FIELDS` names the
    date fields, which come first; then the three facts (:data:`FACT_FIELDS`) and the two
    told flags (:data:`TOLD_FIELDS`), last. Built by position in a few hot places
    (:meth:`of`, :meth:`of_row`, ``reports/cases.py``): a new field goes there too.
    """

    received: date
    acknowledged: date | None = None
    stage1_responded: date | None = None
    stage1_extended_to: date | None = None  #: the new Stage 1 date when an extension was given
    escalation_received: date | None = None
    stage2_acknowledged: date | None = None
    stage2_responded: date | None = None
    stage2_extended_to: date | None = None  #: the new Stage 2 date when an extension was given
    last_update: date | None = None  #: the last update to the resident on outstanding actions
    ombudsman_requested: date | None = None  #: the Ombudsman's request for evidence
    ombudsman_evidence_sent: date | None = None  #: when the evidence went to the Ombudsman
    informal_received: date | None = None  #: a service dissatisfaction was raised
    informal_responded: date | None = None  #: ... and answered
    converted_from_informal: date | None = None  #: ... or converted to a Stage 1 complaint
    panel_meeting: date | None = None  #: the Complaint Review Panel met
    #: When each stage's extension was agreed, and when the resident was told of it: an
    #: extension counts only when both were within the deadline it extends (Code 6.4).
    stage1_extension_agreed: date | None = None
    stage1_extension_told_on: date | None = None
    stage2_extension_agreed: date | None = None
    stage2_extension_told_on: date | None = None
    stage: str = "Stage 1"
    status: str = "Open"
    stage2_review: str | None = None  #: "Manager Review", "Compensation Review", "Panel", ...
    #: Whether the resident was told of each stage's extension, as the log's Yes/No records it
    #: (``extend --told``; the workbook's "Stage 1 extension: resident told"): ``False`` with
    #: no date told means the extension does not count until the resident is told within the
    #: deadline it extends (Code 6.4; the Ombudsman: told within the original timeframe);
    #: ``None`` (an imported log with no such column) means the log cannot say, and the
    #: extension counts as recorded.
    stage1_extension_told: bool | None = None
    stage2_extension_told: bool | None = None

    @property
    def is_open(self) -> bool:
        """Everything but a status starting "Closed" or "Not accepted" counts as open."""
        return not is_finished_status(self.status)

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> CaseDates:
        """Build from a mapping of field name -> value (other keys are ignored).

        Values may be ``date``, ``datetime`` (its date is used), ``None``/``""`` (not recorded)
        or text in a form :func:`~complaints_cli.domain.dates.parse_date` reads (``03/02/2025``).
        Raises :class:`ComplaintsError` naming the field for anything else, or when
        ``received`` is missing.
        """
        values: dict[str, object] = {}
        for name in cls._fields:
            raw = data.get(name)
            if name in FACT_FIELDS:
                if raw is not None:
                    values[name] = str(raw)
                continue
            if name in TOLD_FIELDS:
                values[name] = _told(raw)
                continue
            values[name] = _to_date(raw, name)
        if values["received"] is None:
            raise ComplaintsError("case has no 'received' date: deadlines count from it")
        return cls(**values)  # type: ignore[arg-type]

    @classmethod
    def of_row(cls, row: Mapping[str, Any]) -> CaseDates:
        """The dates of a case given as its row: :class:`Case`'s fields (the complaint
        table's columns) by name, as the import's parsed rows hold them. The Stage 2 review
        type is ``review_type`` there; dates are ``date`` objects or text as
        :meth:`from_mapping` reads them; the told flags ``True``, ``False``, ``None`` (or
        SQLite's 1 and 0). Raises :class:`ComplaintsError` as that does."""
        get = row.get
        values: list[object] = list(map(get, DATE_FIELDS))
        if not _DATE_OR_NONE.issuperset(map(type, values)):
            # Only a row with a date as text (or a date-time) converts one by one, in order,
            # so the first field that is not a date is the one an error names.
            values = [
                value if value is None or type(value) is date else _to_date(value, name)
                for value, name in zip(values, DATE_FIELDS, strict=True)
            ]
        if values[0] is None:
            raise ComplaintsError("case has no 'received' date: deadlines count from it")
        stage, status, review = get("stage"), get("status"), get("review_type")
        values.append("Stage 1" if stage is None else str(stage))
        values.append("Open" if status is None else str(status))
        values.append(None if review is None else str(review))
        # The told flags as the row holds them (``True``/``False``/``None``; SQLite's 1/0 in
        # a stored row: the deadlines read them by their truth, and 1 == True as a memo key).
        values.append(get("stage1_extension_told"))
        values.append(get("stage2_extension_told"))
        return _new_dates(cls, values)

    @classmethod
    def of(cls, case: Case) -> CaseDates:
        """The dates of a stored case (its Stage 2 review type included)."""
        return _new_dates(
            cls,
            (
                case.received,
                case.acknowledged,
                case.stage1_responded,
                case.stage1_extended_to,
                case.escalation_received,
                case.stage2_acknowledged,
                case.stage2_responded,
                case.stage2_extended_to,
                case.last_update,
                case.ombudsman_requested,
                case.ombudsman_evidence_sent,
                case.informal_received,
                case.informal_responded,
                case.converted_from_informal,
                case.panel_meeting,
                case.stage1_extension_agreed,
                case.stage1_extension_told_on,
                case.stage2_extension_agreed,
                case.stage2_extension_told_on,
                case.stage,
                case.status,
                case.review_type,
                case.stage1_extension_told,
                case.stage2_extension_told,
            ),
        )

    def event(self, name: str) -> date | None:
        """The recorded date of a case event (see :data:`.profiles.CASE_EVENTS`)."""
        value: date | None = getattr(self, name)
        return value


_new_dates = tuple.__new__  # CaseDates(...) minus its keyword handling: one per judged case
#: The text facts of :class:`CaseDates`, after its dates.
FACT_FIELDS = ("stage", "status", "stage2_review")
#: The told flags of :class:`CaseDates`, its last two (after the facts): each is a column of
#: the complaint table of the same name.
TOLD_FIELDS = ("stage1_extension_told", "stage2_extension_told")
#: The date fields of :class:`CaseDates`, in order (all before the facts): each is a column
#: of the complaint table of the same name.
DATE_FIELDS: tuple[str, ...] = CaseDates._fields[: -len(FACT_FIELDS) - len(TOLD_FIELDS)]
assert CaseDates._fields[len(DATE_FIELDS) :] == (*FACT_FIELDS, *TOLD_FIELDS)


#: The types of a row's date fields that need no conversion (an import's parsed row).
_DATE_OR_NONE: frozenset[type] = frozenset({date, type(None)})


def is_finished_status(status: object) -> bool:
    """Closed, not accepted under the policy, withdrawn or void: nothing is chased.

    Read leniently (``Closed - resolved`` in an old workbook is closed): the status starts with
    one of the finished words.
    """
    if type(status) is str:  # a log's few statuses, each read once (2 reads a row on import)
        found = _FINISHED_SEEN.get(status)
        if found is None:
            found = status.strip().lower().startswith(_FINISHED)
            if len(_FINISHED_SEEN) < 1024:  # bounded: a file's statuses are not ours to count
                _FINISHED_SEEN[status] = found
        return found
    text = str(status or "").strip().lower()
    return text.startswith(_FINISHED)


_FINISHED = tuple(s.value.lower() for s in Status if s.finished)
_FINISHED_SEEN: dict[str, bool] = {}


def _told(value: object) -> bool | None:
    """A told flag as stored or parsed: ``None`` stays unknown; anything else by its truth
    (SQLite's 1 and 0, PostgreSQL's booleans)."""
    return None if value is None else bool(value)


def _to_date(value: object, name: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        if not value.strip():
            return None
        from complaints_cli.domain.dates import parse_date

        return parse_date(value, what=name.replace("_", " "))
    raise ComplaintsError(f"{name.replace('_', ' ')} {value!r} is not a date")


def as_case(case: CaseDates | Mapping[str, object] | object) -> CaseDates:
    """Accept a :class:`CaseDates`, a mapping, or any object with those attribute names."""
    if isinstance(case, CaseDates):
        return case
    if isinstance(case, Case):
        return CaseDates.of(case)
    if isinstance(case, Mapping):
        return CaseDates.from_mapping(case)
    return CaseDates.from_mapping({name: getattr(case, name, None) for name in CaseDates._fields})
