"""The Spruce Complaints Log's 24 columns: the import/export contract.

Each column names its header exactly as the procedure spells it, what kind of value it holds,
and the fields of :class:`complaints_cli.store.models.Complaint` that store it. Export writes these
headers in this order; import matches them and their everyday variants.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from complaints_cli.domain.vocabulary import Channel, ReviewType, Stage, Status

Kind = Literal["reference", "status", "stage", "person", "text", "date", "yesno", "money"]


@dataclass(frozen=True)
class Column:
    number: int
    header: str
    kind: Kind
    #: The stored fields: the value first, then (for yes/no and money) its explanation, and
    #: for the extension columns the new deadline.
    fields: tuple[str, ...]


COLUMNS: tuple[Column, ...] = (
    Column(1, "Complaints reference", "reference", ("reference",)),
    Column(2, "Status", "status", ("status",)),
    Column(3, "Stage", "stage", ("stage",)),
    Column(4, "Handler", "person", ("handler",)),
    Column(5, "Complainant", "person", ("complainant",)),
    Column(6, "Address", "text", ("address",)),
    Column(7, "Complaint received", "date", ("received",)),
    Column(8, "Date complaint acknowledged", "date", ("acknowledged",)),
    Column(9, "Summary of complaint", "text", ("complaint_summary",)),
    Column(10, "Met HOS acknowledgment timeframe", "yesno", ("ack_met", "ack_met_note")),
    Column(11, "Date response was sent", "date", ("stage1_responded",)),
    Column(
        12,
        "Response extension required & why?",
        "yesno",
        ("stage1_extension", "stage1_extension_reason", "stage1_extended_to"),
    ),
    Column(13, "Met HOS code response timeframe?", "yesno", ("stage1_met", "stage1_met_note")),
    Column(14, "Complaint response summary", "text", ("stage1_response_summary",)),
    Column(
        15,
        "Compensation paid & reasons under framework",
        "money",
        ("compensation_amount", "compensation_reasons"),
    ),
    Column(16, "Complaint escalated to Stage 2", "yesno", ("escalated",)),
    Column(17, "Date escalation request received", "date", ("escalation_received",)),
    Column(18, "Stage 2 escalation details", "text", ("escalation_details", "review_type")),
    Column(19, "Stage 2 complaint handler", "person", ("stage2_handler",)),
    Column(20, "Date Stage 2 response provided", "date", ("stage2_responded",)),
    Column(
        21,
        "Stage 2 response extension required",
        "yesno",
        ("stage2_extension", "stage2_extension_reason", "stage2_extended_to"),
    ),
    Column(22, "Stage 2 HOS code timeframe met?", "yesno", ("stage2_met", "stage2_met_note")),
    Column(23, "Details of Stage 2 response", "text", ("stage2_response_details",)),
    Column(24, "Organisational learning", "text", ("learning",)),
)

HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS)

#: The words each kind of column takes (the enums of :mod:`complaints_cli.domain.vocabulary`).
STATUSES: tuple[str, ...] = tuple(Status)
STAGES: tuple[str, ...] = tuple(Stage)
CHANNELS: tuple[str, ...] = tuple(Channel)
REVIEW_TYPES: tuple[str, ...] = tuple(ReviewType)
