"""The log's words: statuses, stages, channels, review types, kinds of case, kinds of action.

Each is a :class:`~enum.StrEnum` whose value is the word as the log stores and shows it, so a
member compares equal to its text (``Status.OPEN == "Open"``) and is written to the database,
to JSON and to a workbook as that text. Every module names these words through the enums; no
other module spells them.

Sources: the Spruce procedure's log columns 2 and 3 (Open, Closed; Stage 1, Stage 2,
Ombudsman), the Spruce policy 2.2 (a complaint not accepted), Southern Housing's procedure
4.2 (a service dissatisfaction, the informal stage), 4.8 (a Complaint Review Panel), 4.10 (the
Ombudsman's orders and recommendations) and 4.11 (petitions), and DOMAIN.md (Manager Review
or Compensation Review at Stage 2; the Housing Ombudsman or the Property Redress Scheme).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "ActionKind",
    "CaseKind",
    "Channel",
    "OmbudsmanBody",
    "Outcome",
    "ReviewType",
    "Stage",
    "Status",
    "Tenure",
    "words",
]


class Status(StrEnum):
    """Column 2: where the case stands."""

    OPEN = "Open"
    CLOSED = "Closed"
    #: Excluded under the policy's exclusions (Spruce policy 2.2); nothing is chased.
    NOT_ACCEPTED = "Not accepted"
    #: The resident withdrew the complaint: counted as received, never as responded.
    WITHDRAWN = "Withdrawn"
    #: Logged in error, or a duplicate: kept in the history, out of every list and figure.
    VOID = "Void"

    @property
    def finished(self) -> bool:
        """Nothing on the case is chased any more (closed, not accepted, withdrawn, void)."""
        return self is not Status.OPEN


class Stage(StrEnum):
    """Column 3: the stage of the complaints process the case is at."""

    STAGE_1 = "Stage 1"
    STAGE_2 = "Stage 2"
    #: Referred to the Housing Ombudsman (or the Property Redress Scheme).
    OMBUDSMAN = "Ombudsman"
    #: A service dissatisfaction, before any Stage 1 complaint (Southern Housing 4.2).
    INFORMAL = "Informal"


class Outcome(StrEnum):
    """What a stage decided (Code 9: the governing body sees complaints' outcomes)."""

    UPHELD = "upheld"
    PARTLY_UPHELD = "partly upheld"
    NOT_UPHELD = "not upheld"
    #: Resolved without a finding (e.g. put right at once, with the resident's agreement).
    RESOLVED = "resolved"
    #: The resident withdrew the complaint.
    WITHDRAWN = "withdrawn"


class Tenure(StrEnum):
    """The Regulator's stock type for TSM CH01 and CH02."""

    #: Low-cost rental accommodation (LCRA).
    LOW_COST_RENTAL = "low-cost rental"
    #: Low-cost home ownership (LCHO): shared owners and the like.
    LOW_COST_HOME_OWNERSHIP = "low-cost home ownership"
    #: Any other tenure (market rent, a leaseholder outside LCHO, a non-resident).
    OTHER = "other"
    UNKNOWN = "unknown"


class Channel(StrEnum):
    """How a complaint (or a compliment) came in."""

    EMAIL = "email"
    PHONE = "phone"
    LETTER = "letter"
    IN_PERSON = "in person"
    WEBSITE = "website"
    SOCIAL_MEDIA = "social media"


class ReviewType(StrEnum):
    """What the resident seeks at Stage 2 (column 18)."""

    MANAGER = "manager"
    COMPENSATION = "compensation"
    #: A Complaint Review Panel (Southern Housing 4.8).
    PANEL = "panel"

    @property
    def label(self) -> str:
        """How the log's column 18 and the export name it: ``Manager Review``."""
        return _REVIEW_LABELS[self]


_REVIEW_LABELS = {
    ReviewType.MANAGER: "Manager Review",
    ReviewType.COMPENSATION: "Compensation Review",
    ReviewType.PANEL: "Panel review",
}


class CaseKind(StrEnum):
    """What kind of case a log entry is."""

    COMPLAINT = "complaint"
    #: Informal, agreed with the resident; may be converted to a Stage 1 complaint.
    SERVICE_DISSATISFACTION = "service dissatisfaction"
    #: One case, many signatories; the complainant is the lead petitioner (4.11).
    PETITION = "petition"


class ActionKind(StrEnum):
    """Something the landlord must do on a case."""

    #: Promised in a response.
    ACTION = "action"
    #: Ordered by the Ombudsman's determination.
    ORDER = "order"
    #: Recommended by the Ombudsman's determination.
    RECOMMENDATION = "recommendation"


class OmbudsmanBody(StrEnum):
    """Who a resident may refer a complaint to after Stage 2."""

    #: The Housing Ombudsman Service.
    HOS = "HOS"
    #: The Property Redress Scheme.
    PRS = "PRS"


def words(enum: type[StrEnum]) -> str:
    """``"Open, Closed, Not accepted"``: the values of ``enum`` for a message."""
    return ", ".join(member.value for member in enum)
