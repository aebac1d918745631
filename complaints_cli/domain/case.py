"""The typed case: one complaint as the log holds it, and its actions.

:class:`Case` is what the rules, the readers, the writers, the letters and the views share.
Every field has a real type: dates are :class:`~datetime.date`, the Yes/No columns a flag
plus its explanation, compensation a :class:`~decimal.Decimal` amount in **pounds** (the store
keeps whole pence; the conversion is the store's, in one place), the log's words the enums of
:mod:`complaints_cli.domain.vocabulary`.

A case is immutable (a :class:`~typing.NamedTuple`: building one from a database row costs a
fraction of a microsecond, which matters for ``list`` and ``export`` on a 100k-case log). A
rule returns the case as it should be saved, ``case._replace(acknowledged=day, ...)``, and the
store writes the fields that differ, with their old and new values in the history.

The public fields, in :data:`CASE_FIELDS` order, are the stable JSON shape of ``show`` and
``list`` (the log's 24 columns' fields in log order, then the tool's own); the last few
(:data:`PRIVATE_FIELDS`) are kept out of listings: the database id, columns kept from an
imported workbook, the deadline fingerprint and the resident's vulnerability (Code 6.1: shown
by ``show``, never in a listing or an export unless asked).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import NamedTuple, get_type_hints

from complaints_cli.domain.vocabulary import (
    ActionKind,
    CaseKind,
    Channel,
    OmbudsmanBody,
    Outcome,
    ReviewType,
    Stage,
    Status,
    Tenure,
)

__all__ = [
    "CASE_FIELDS",
    "DATE_FIELDS",
    "FLAG_FIELDS",
    "MONEY_FIELDS",
    "NO_EXTRA",
    "PRIVATE_FIELDS",
    "VULNERABILITY_FIELDS",
    "Action",
    "Case",
    "KeptValue",
    "Signatory",
]

#: A value of a column kept from an imported workbook (as JSON holds it).
KeptValue = str | int | float | bool | None

#: No kept columns (the default; a read-only mapping, so it can be shared).
NO_EXTRA: Mapping[str, KeptValue] = MappingProxyType({})


class Case(NamedTuple):
    """One complaint. Columns 1-24 of the log first, then the tool's own fields."""

    # 1-7: logged
    reference: str
    status: Status
    stage: Stage
    handler: str
    complainant: str
    address: str
    received: date
    # 8-10: acknowledged
    acknowledged: date | None = None
    complaint_summary: str | None = None
    ack_met: bool | None = None
    ack_met_note: str | None = None
    # 11-15: the Stage 1 response
    stage1_responded: date | None = None
    stage1_extension: bool | None = None
    stage1_extension_reason: str | None = None
    stage1_extended_to: date | None = None
    stage1_met: bool | None = None
    stage1_met_note: str | None = None
    stage1_response_summary: str | None = None
    #: Compensation decided at Stage 1, in pounds (column 15).
    compensation_amount: Decimal | None = None
    compensation_reasons: str | None = None
    # 16-19: escalation
    escalated: bool | None = None
    escalation_received: date | None = None
    escalation_details: str | None = None
    review_type: ReviewType | None = None
    stage2_handler: str | None = None
    # 20-23: the Stage 2 response
    stage2_responded: date | None = None
    stage2_extension: bool | None = None
    stage2_extension_reason: str | None = None
    stage2_extended_to: date | None = None
    stage2_met: bool | None = None
    stage2_met_note: str | None = None
    stage2_response_details: str | None = None
    # 24
    learning: str | None = None
    # The tool's own fields.
    channel: Channel | None = None
    closed: date | None = None
    #: Why a case with outstanding actions was closed anyway.
    close_reason: str | None = None
    #: The case folder's name under the complaints root.
    folder: str | None = None
    stage2_acknowledged: date | None = None
    #: The resident was told of the extension, with the Ombudsman's details (Code 6.4).
    stage1_extension_told: bool | None = None
    stage2_extension_told: bool | None = None
    #: Compensation decided at Stage 2, in pounds.
    stage2_compensation_amount: Decimal | None = None
    stage2_compensation_reasons: str | None = None
    #: The last update to the resident on outstanding actions.
    last_update: date | None = None
    ombudsman_body: OmbudsmanBody | None = None
    ombudsman_referred: date | None = None
    ombudsman_requested: date | None = None
    ombudsman_evidence_sent: date | None = None
    #: The earliest open deadline, kept so ``due`` can use an index (and its milestone's key).
    next_due: date | None = None
    next_milestone: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    #: Bumped on every change; a change based on an older version is refused.
    row_version: int = 1
    #: Never purged while held.
    legal_hold: bool = False
    legal_hold_reason: str | None = None
    kind: CaseKind = CaseKind.COMPLAINT
    #: Not accepted under the policy: why, and when the resident was told.
    not_accepted_reason: str | None = None
    not_accepted_told: date | None = None
    #: When the events complained of happened (the policy's time limit counts from it).
    events_date: date | None = None
    #: A service dissatisfaction: raised, answered, converted to Stage 1 (``received`` is
    #: then the conversion date).
    informal_received: date | None = None
    informal_responded: date | None = None
    converted_from_informal: date | None = None
    #: The case this one was raised from, as a new issue (Code 6.8).
    related_to_id: int | None = None
    #: New issues folded into this case, one a line.
    folded_issues: str | None = None
    #: When the Complaint Review Panel met (Southern Housing 4.8.2).
    panel_meeting: date | None = None
    #: The Ombudsman's determination (its orders are actions).
    ombudsman_determined: date | None = None
    ombudsman_findings: str | None = None
    #: The team's category of the complaint (a word from the config's list).
    category: str | None = None
    #: The TSM's stock type (CH01 and CH02 are published per stock type).
    tenure: Tenure | None = None
    #: What each stage decided.
    stage1_outcome: Outcome | None = None
    stage2_outcome: Outcome | None = None
    #: The resident withdrew the complaint (status ``Withdrawn``).
    withdrawn: date | None = None
    withdrawn_reason: str | None = None
    #: Logged in error, or a duplicate of ``duplicate_of_id`` (status ``Void``).
    voided: date | None = None
    void_reason: str | None = None
    duplicate_of_id: int | None = None
    #: When each extension was agreed, and when the resident was told of it (Code 6.4).
    stage1_extension_agreed: date | None = None
    stage1_extension_told_on: date | None = None
    stage2_extension_agreed: date | None = None
    stage2_extension_told_on: date | None = None
    #: When the compensation decided at each stage was paid.
    compensation_paid: date | None = None
    stage2_compensation_paid: date | None = None
    #: A Stage 2 escalation refused: when, why, and when the resident was told.
    stage2_refused: date | None = None
    stage2_refused_reason: str | None = None
    stage2_refusal_told: date | None = None
    #: When the organisational learning was sent (Spruce procedure: to the SPM and the HoS).
    learning_sent: date | None = None
    # Kept out of listings (PRIVATE_FIELDS).
    id: int | None = None
    #: Columns an imported workbook had that the log does not know.
    extra: Mapping[str, KeptValue] = NO_EXTRA
    #: The profile and calendar ``next_due`` was worked out with.
    deadlines_key: str | None = None
    #: Vulnerability and reasonable adjustments (Code 6.1).
    vulnerable: bool | None = None
    contact_preference: str | None = None
    adjustments: str | None = None
    vulnerability_notes: str | None = None

    @property
    def is_open(self) -> bool:
        """Open: its deadlines are chased (closed and not accepted cases are not)."""
        return not self.status.finished


#: Vulnerability and reasonable adjustments: on ``show``, never in a listing or export by
#: default.
VULNERABILITY_FIELDS: tuple[str, ...] = (
    "vulnerable",
    "contact_preference",
    "adjustments",
    "vulnerability_notes",
)
#: Fields kept out of the stable JSON of ``show`` and ``list``.
PRIVATE_FIELDS: tuple[str, ...] = ("id", "extra", "deadlines_key", *VULNERABILITY_FIELDS)
#: The stable JSON shape of a case: the 24 columns' fields in log order, then the tool's own.
CASE_FIELDS: tuple[str, ...] = tuple(f for f in Case._fields if f not in PRIVATE_FIELDS)

_TYPES = get_type_hints(Case)
#: The fields holding a date.
DATE_FIELDS: frozenset[str] = frozenset(f for f, t in _TYPES.items() if t in (date, date | None))
#: The fields holding a flag.
FLAG_FIELDS: frozenset[str] = frozenset(f for f, t in _TYPES.items() if t in (bool, bool | None))
#: The fields holding an amount in pounds.
MONEY_FIELDS: frozenset[str] = frozenset(f for f, t in _TYPES.items() if t == Decimal | None)


class Action(NamedTuple):
    """Something the landlord must do on a case; the case stays open until all are done."""

    #: 1, 2, ... within the case: what ``complaints action done REF N`` names.
    number: int
    stage: Stage
    kind: ActionKind
    text: str
    owner: str
    due: date
    done: date | None = None

    @property
    def outstanding(self) -> bool:
        return self.done is None


class Signatory(NamedTuple):
    """One signatory of a petition (Southern Housing procedure 4.11): one case, many people."""

    name: str
    address: str
    #: The lead petitioner, the one the landlord corresponds with (at most one per case).
    lead: bool
    added: date
