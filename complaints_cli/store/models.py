"""The store's tables, as SQLModel classes.

``Complaint`` holds every one of the log's 24 columns with a real type (dates as dates, the
Yes/No columns as a flag plus its explanation, compensation as whole pence plus its reasons)
and the tool's own fields. ``HistoryEntry`` is the append-only record of every change.
``Counter`` hands out references. The schema itself is owned by the Alembic migrations in
``migrations/``; a test checks that these classes and the migrated schema agree.

Importing this module costs SQLAlchemy and pydantic (about 0.3 s), so only commands that write
import it; read-only commands use :mod:`complaints_cli.store.reads`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, Text, UniqueConstraint, false, text
from sqlmodel import Field, SQLModel


class Complaint(SQLModel, table=True):
    __tablename__ = "complaint"
    __table_args__ = (
        Index("ix_complaint_status_stage", "status", "stage"),
        Index("ix_complaint_status_next_due", "status", "next_due"),
        Index("ix_complaint_related_to_id", "related_to_id"),
        # Everyone the log names as a handler, read a name at a time (migration 0008:
        # ``lookups.people``, which ``--handler`` needs, seeks from one to the next).
        Index("ix_complaint_handler", "handler"),
        Index("ix_complaint_stage2_handler", "stage2_handler"),
        # The open cases with stored deadlines, holding what ``due`` reads of each (migration
        # 0007): ``due`` counts the current ones and joins its stored milestones to their
        # cases from it alone. Only a query naming ``deadlines_key`` can use it.
        Index(
            "ix_complaint_open_due",
            "id",
            "deadlines_key",
            "status",
            "reference",
            "stage",
            "handler",
            "stage2_handler",
            sqlite_where=text("status = 'Open' AND deadlines_key IS NOT NULL"),
            postgresql_where=text("status = 'Open' AND deadlines_key IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    # 1-7: logged
    reference: str = Field(max_length=32, unique=True, index=True)
    status: str = Field(default="Open", max_length=20)
    stage: str = Field(default="Stage 1", max_length=20)
    handler: str = Field(max_length=200)
    complainant: str = Field(sa_column=Column(Text, nullable=False))
    address: str = Field(sa_column=Column(Text, nullable=False))
    received: date
    # 8-10: acknowledged
    acknowledged: date | None = None
    complaint_summary: str | None = Field(default=None, sa_column=Column(Text))
    ack_met: bool | None = None
    ack_met_note: str | None = Field(default=None, sa_column=Column(Text))
    # 11-15: Stage 1 response
    stage1_responded: date | None = None
    stage1_extension: bool | None = None
    stage1_extension_reason: str | None = Field(default=None, sa_column=Column(Text))
    stage1_extended_to: date | None = None
    stage1_met: bool | None = None
    stage1_met_note: str | None = Field(default=None, sa_column=Column(Text))
    stage1_response_summary: str | None = Field(default=None, sa_column=Column(Text))
    compensation_pence: int | None = None
    compensation_reasons: str | None = Field(default=None, sa_column=Column(Text))
    # 16-19: escalation
    escalated: bool | None = None
    escalation_received: date | None = None
    escalation_details: str | None = Field(default=None, sa_column=Column(Text))
    review_type: str | None = Field(default=None, max_length=40)
    stage2_handler: str | None = Field(default=None, max_length=200)
    # 20-23: Stage 2 response
    stage2_responded: date | None = None
    stage2_extension: bool | None = None
    stage2_extension_reason: str | None = Field(default=None, sa_column=Column(Text))
    stage2_extended_to: date | None = None
    stage2_met: bool | None = None
    stage2_met_note: str | None = Field(default=None, sa_column=Column(Text))
    stage2_response_details: str | None = Field(default=None, sa_column=Column(Text))
    # 24
    learning: str | None = Field(default=None, sa_column=Column(Text))
    # The tool's own fields.
    channel: str | None = Field(default=None, max_length=20)
    closed: date | None = None
    folder: str | None = Field(default=None, sa_column=Column(Text))
    #: Columns an imported workbook had that the log does not know, as a JSON object.
    extra: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime
    updated_at: datetime
    #: Bumped on every change; a write based on an older version is refused.
    row_version: int = Field(default=1)
    # The lifecycle beyond the 24 columns (migration 0002).
    stage2_acknowledged: date | None = None
    #: The resident was told of the extension and given the Ombudsman's details (Code 6.4).
    stage1_extension_told: bool | None = None
    stage2_extension_told: bool | None = None
    #: Compensation decided at Stage 2 (column 15 holds Stage 1's).
    stage2_compensation_pence: int | None = None
    stage2_compensation_reasons: str | None = Field(default=None, sa_column=Column(Text))
    #: The last update to the resident on outstanding actions.
    last_update: date | None = None
    #: ``HOS`` (Housing Ombudsman Service) or ``PRS`` (Property Redress Scheme).
    ombudsman_body: str | None = Field(default=None, max_length=10)
    ombudsman_referred: date | None = None
    ombudsman_requested: date | None = None
    ombudsman_evidence_sent: date | None = None
    #: Why a case with outstanding actions was closed anyway.
    close_reason: str | None = Field(default=None, sa_column=Column(Text))
    #: Stored deadlines, so ``due`` filters with an index: the earliest open milestone ...
    next_due: date | None = None
    next_milestone: str | None = Field(default=None, max_length=60)
    #: ... and the profile and calendar they were computed with (recomputed when it changes).
    deadlines_key: str | None = Field(default=None, max_length=64)
    #: Retention (migration 0003): a case under a legal hold is never purged.
    legal_hold: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    legal_hold_reason: str | None = Field(default=None, sa_column=Column(Text))
    # The whole process (migration 0004).
    #: ``complaint``, ``service dissatisfaction`` (informal) or ``petition``.
    kind: str = Field(
        default="complaint", max_length=30, sa_column_kwargs={"server_default": "complaint"}
    )
    #: Not accepted under the policy's exclusions (status ``Not accepted``): why, and when the
    #: resident was told of their right to go to the Ombudsman.
    not_accepted_reason: str | None = Field(default=None, sa_column=Column(Text))
    not_accepted_told: date | None = None
    #: When the events complained of happened (the policy's time limit counts from it).
    events_date: date | None = None
    #: A service dissatisfaction: when it was raised and answered; when it became a Stage 1
    #: complaint (``received`` is then the conversion date: the Stage 1 clock starts there).
    informal_received: date | None = None
    informal_responded: date | None = None
    converted_from_informal: date | None = None
    #: The case this complaint was raised from, as a new issue (Code 6.8).
    related_to_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("complaint.id", name="fk_complaint_related_to_id"), nullable=True
        ),
    )
    #: New issues folded into this open case during the investigation, one a line.
    folded_issues: str | None = Field(default=None, sa_column=Column(Text))
    #: Vulnerability and reasonable adjustments (Code 6.1): kept out of exports unless asked.
    vulnerable: bool | None = None
    contact_preference: str | None = Field(default=None, max_length=60)
    adjustments: str | None = Field(default=None, sa_column=Column(Text))
    vulnerability_notes: str | None = Field(default=None, sa_column=Column(Text))
    #: When the Complaint Review Panel met (Southern Housing 4.8.2).
    panel_meeting: date | None = None
    #: The Ombudsman's determination: its date and findings (orders are actions).
    ombudsman_determined: date | None = None
    ombudsman_findings: str | None = Field(default=None, sa_column=Column(Text))
    # Trust and reports (migration 0005).
    #: The team's category of the complaint (a word from the config's list).
    category: str | None = Field(default=None, sa_column=Column(Text))
    #: The TSM's stock type: low-cost rental, low-cost home ownership, other, unknown.
    tenure: str | None = Field(default=None, max_length=30)
    #: The outcome at each stage: upheld, partly upheld, not upheld, withdrawn, resolved.
    stage1_outcome: str | None = Field(default=None, max_length=30)
    stage2_outcome: str | None = Field(default=None, max_length=30)
    #: The resident withdrew the complaint (status ``Withdrawn``).
    withdrawn: date | None = None
    withdrawn_reason: str | None = Field(default=None, sa_column=Column(Text))
    #: Logged in error or a duplicate (status ``Void``): out of every list and figure.
    voided: date | None = None
    void_reason: str | None = Field(default=None, sa_column=Column(Text))
    duplicate_of_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer,
            ForeignKey("complaint.id", name="fk_complaint_duplicate_of_id"),
            nullable=True,
            index=True,
        ),
    )
    #: When each extension was agreed, and when the resident was told of it.
    stage1_extension_agreed: date | None = None
    stage1_extension_told_on: date | None = None
    stage2_extension_agreed: date | None = None
    stage2_extension_told_on: date | None = None
    #: When the compensation decided at each stage was paid.
    compensation_paid: date | None = None
    stage2_compensation_paid: date | None = None
    #: A Stage 2 escalation refused: when, why, when the resident was told (and signposted).
    stage2_refused: date | None = None
    stage2_refused_reason: str | None = Field(default=None, sa_column=Column(Text))
    stage2_refusal_told: date | None = None
    #: When the organisational learning was sent to the Senior Property Manager and the HoS.
    learning_sent: date | None = None


class OpenMilestone(SQLModel, table=True):
    """A milestone of an open case not done yet, as the case was last saved (migration 0006).

    Derived, never typed: written with the case by every save (``store/milestones.py``) from
    its dates, the profile and the calendar named by ``complaint.deadlines_key``; read by
    ``due`` through ``ix_open_milestone_due`` (migration 0008: by deadline, holding every
    column ``due`` reads, in the order it groups them; see
    :mod:`complaints_cli.domain.open_milestones` and ``store/due.stored_sql``).
    """

    __tablename__ = "open_milestone"
    __table_args__ = (
        Index(
            "ix_open_milestone_due",
            "deadline",
            "milestone",
            "label",
            "kind",
            "due",
            "while_open",
            "stage",
            "complaint_id",
        ),
    )

    complaint_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("complaint.id", name="fk_open_milestone_complaint_id"),
            primary_key=True,
        )
    )
    #: The profile's milestone key (``acknowledge``, ``stage1_response``, ...).
    milestone: str = Field(max_length=60, primary_key=True)
    label: str = Field(sa_column=Column(Text, nullable=False))
    #: The milestone's stage in the profile (``stage1``, ``stage2``, ...).
    stage: str = Field(max_length=20)
    #: ``deadline`` or ``window``.
    kind: str = Field(max_length=10)
    while_open: bool
    due: date
    deadline: date


class HistoryEntry(SQLModel, table=True):
    """One change to one case: when (UTC), who, which command, each field's old and new value."""

    __tablename__ = "history"
    __table_args__ = (
        # The ``reopen`` rows only (migration 0009): each case's past closures, read by the
        # reports and ``due --as-of`` (``store/closures.py``) without reading the history.
        Index(
            "ix_history_reopen",
            "complaint_id",
            sqlite_where=text("command = 'reopen'"),
            postgresql_where=text("command = 'reopen'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    at: datetime
    actor: str = Field(max_length=200)
    command: str = Field(max_length=60)
    #: JSON object ``{"field": [old, new], ...}``.
    changes: str = Field(sa_column=Column(Text, nullable=False))
    note: str | None = Field(default=None, sa_column=Column(Text))


class Action(SQLModel, table=True):
    """Something the landlord promised in a response; the case stays open until all are done."""

    __tablename__ = "action"
    __table_args__ = (UniqueConstraint("complaint_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    #: 1, 2, ... within the case: what ``complaints action done REF N`` names.
    number: int
    stage: str = Field(max_length=20)
    text: str = Field(sa_column=Column(Text, nullable=False))
    owner: str = Field(max_length=200)
    due: date
    done: date | None = None
    created_at: datetime
    #: ``action`` (promised in a response), or an Ombudsman determination's ``order`` or
    #: ``recommendation`` (migration 0004).
    kind: str = Field(
        default="action", max_length=20, sa_column_kwargs={"server_default": "action"}
    )


class Signatory(SQLModel, table=True):
    """One signatory of a petition (Southern Housing procedure 4.11): one case, many people."""

    __tablename__ = "signatory"

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    name: str = Field(sa_column=Column(Text, nullable=False))
    address: str = Field(sa_column=Column(Text, nullable=False))
    #: The lead petitioner, the one the landlord corresponds with (at most one per case).
    lead: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    added: date


class Compliment(SQLModel, table=True):
    """A compliment received (Spruce policy, section 3): counted in the EMT report."""

    __tablename__ = "compliment"

    id: int | None = Field(default=None, primary_key=True)
    received: date = Field(index=True)
    #: Who paid the compliment.
    from_name: str = Field(sa_column=Column(Text, nullable=False))
    #: The staff member or team it is about.
    about: str = Field(max_length=200)
    #: How it came in: phone, email, letter, website, social media, in person.
    channel: str | None = Field(default=None, max_length=20)
    details: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime
    #: Who recorded it.
    actor: str = Field(max_length=200)


class PurgeRecord(SQLModel, table=True):
    """A case removed under the retention policy: its reference and dates, never personal data.

    Kept so that a gap in the references can be explained ("purged on ... by ...").
    """

    __tablename__ = "purge_record"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=32)
    received: date
    closed: date | None = None
    purged_at: datetime
    actor: str = Field(max_length=200)
    retention_years: int


class Counter(SQLModel, table=True):
    """The last reference number handed out for a prefix."""

    __tablename__ = "counter"
    __table_args__ = (UniqueConstraint("prefix"),)

    id: int | None = Field(default=None, primary_key=True)
    prefix: str = Field(max_length=12)
    last_number: int = 0


class LogIdentity(SQLModel, table=True):
    """The log's own id (one row), checked against the marker in the case folders' root."""

    __tablename__ = "log_identity"

    id: int | None = Field(default=None, primary_key=True)
    log_id: str = Field(max_length=36, unique=True)
    created_at: datetime


class FolderRemoval(SQLModel, table=True):
    """A case folder a purge still has to remove (removed on the next run)."""

    __tablename__ = "folder_removal"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=32)
    folder: str = Field(sa_column=Column(Text, nullable=False))
    recorded_at: datetime
