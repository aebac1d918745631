"""Writing to the log: every command's changes in one short transaction, with history.

A :class:`Store` wraps a SQLAlchemy engine over the SQLModel tables. Each write runs inside
:meth:`Store.transaction`: on SQLite that is ``BEGIN IMMEDIATE`` (the write lock is taken at the
start, so two handlers never interleave), on PostgreSQL the counter row is locked with
``SELECT ... FOR UPDATE``. Nothing is half-written: a failure anywhere rolls the whole command
back, including a case folder it had just created.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col

from complaints_cli.domain.intake import NewComplaint
from complaints_cli.domain.lifecycle import Change
from complaints_cli.domain.process import PETITION, SERVICE_DISSATISFACTION
from complaints_cli.domain.references import (
    format_reference,
    highest_number,
    normalise_reference,
    not_found,
)
from complaints_cli.errors import ConflictError
from complaints_cli.files.folders import ensure_case_folder
from complaints_cli.store.db import RawDatabase, make_engine, translate_db_error
from complaints_cli.store.models import (
    Action,
    Complaint,
    Compliment,
    Counter,
    HistoryEntry,
    Signatory,
)

#: Works out a case's stored deadline columns from its fields (see lifecycle.stored_deadlines).
Deadlines = Callable[[dict[str, Any]], dict[str, Any]]
#: A lifecycle rule: (case, its actions) -> the change to make.
Apply = Callable[[dict[str, Any], list[dict[str, Any]]], Change]


def utcnow() -> datetime:
    """Aware UTC: every timestamp the store keeps is UTC, on every backend."""
    return datetime.now(UTC)


def to_json_value(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def changes_json(changes: Mapping[str, tuple[Any, Any]]) -> str:
    return json.dumps(
        {k: [to_json_value(old), to_json_value(new)] for k, (old, new) in changes.items()},
        ensure_ascii=False,
        sort_keys=True,
    )


@dataclass(frozen=True)
class LoggedCase:
    reference: str
    folder: Path
    folder_created: bool
    complaint_id: int


class Store:
    """The log, open for writing."""

    def __init__(self, url: str, *, default_location: bool = False) -> None:
        RawDatabase(url, default_location=default_location).close()  # creates/migrates
        self.url = url
        self.engine = make_engine(url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One command's writes: committed together or not at all."""
        try:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                yield session
        except DBAPIError as exc:
            translate_db_error(exc)
            raise

    # -- references ------------------------------------------------------------------------
    def _counter(self, session: Session, prefix: str) -> Counter:
        stmt = select(Counter).where(col(Counter.prefix) == prefix).with_for_update()
        counter = session.execute(stmt).scalar_one_or_none()
        if counter is not None:
            return counter
        refs = session.execute(
            select(col(Complaint.reference)).where(col(Complaint.reference).like(f"{prefix}%"))
        ).scalars()
        start = highest_number(prefix, refs)
        # INSERT ... ON CONFLICT DO NOTHING: two first-ever logs racing on PostgreSQL both succeed.
        dialect = session.get_bind().dialect.name
        insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(
            insert(Counter)
            .values(prefix=prefix, last_number=start)
            .on_conflict_do_nothing(index_elements=["prefix"])
        )
        return session.execute(stmt).scalar_one()

    def allocate_reference(self, session: Session, prefix: str) -> str:
        """The next reference for ``prefix``: gap-free, as the counter rolls back with the case."""
        counter = self._counter(session, prefix)
        counter.last_number += 1
        session.flush()
        return format_reference(prefix, counter.last_number)

    def advance_counter(self, session: Session, prefix: str, number: int) -> None:
        """Make sure the next reference handed out for ``prefix`` is after ``number``."""
        counter = self._counter(session, prefix)
        if counter.last_number < number:
            counter.last_number = number
            session.flush()

    # -- history ---------------------------------------------------------------------------
    def record(
        self,
        session: Session,
        complaint: Complaint,
        *,
        actor: str,
        command: str,
        changes: Mapping[str, tuple[Any, Any]],
        note: str | None = None,
        at: datetime | None = None,
    ) -> None:
        assert complaint.id is not None
        session.add(
            HistoryEntry(
                complaint_id=complaint.id,
                at=at or utcnow(),
                actor=actor,
                command=command,
                changes=changes_json(changes),
                note=note,
            )
        )

    # -- commands --------------------------------------------------------------------------
    def log(
        self,
        new: NewComplaint,
        *,
        prefix: str,
        root: Path,
        actor: str,
        deadlines: Deadlines | None = None,
    ) -> LoggedCase:
        """Record a new complaint, give it the next reference, and make its folder."""
        created_folder: Path | None = None
        try:
            with self.transaction() as session:
                reference = self.allocate_reference(session, prefix)
                folder, created = ensure_case_folder(root, new.address, reference)
                if created:
                    created_folder = folder
                now = utcnow()
                informal = new.kind == SERVICE_DISSATISFACTION
                complaint = Complaint(
                    reference=reference,
                    status="Open",
                    stage="Informal" if informal else "Stage 1",
                    handler=new.handler,
                    complainant=new.complainant,
                    address=new.address,
                    received=new.received,
                    complaint_summary=new.summary,
                    channel=new.channel,
                    folder=folder.name,
                    created_at=now,
                    updated_at=now,
                    row_version=1,
                    kind=new.kind,
                    events_date=new.events_date,
                    informal_received=new.received if informal else None,
                    related_to_id=self._id_of(session, new.related_to) if new.related_to else None,
                )
                if deadlines is not None:
                    for name, value in deadlines(complaint.model_dump()).items():
                        setattr(complaint, name, value)
                session.add(complaint)
                session.flush()
                if new.kind == PETITION:  # the complainant is the lead petitioner (4.11.1)
                    assert complaint.id is not None
                    session.add(
                        Signatory(
                            complaint_id=complaint.id,
                            name=new.complainant,
                            address=new.address,
                            lead=True,
                            added=new.received,
                        )
                    )
                fields = (
                    "reference",
                    "status",
                    "stage",
                    "handler",
                    "complainant",
                    "address",
                    "received",
                    "complaint_summary",
                    "channel",
                    "folder",
                    "kind",
                    "events_date",
                    "informal_received",
                )
                changes: dict[str, tuple[Any, Any]] = {
                    f: (None, getattr(complaint, f))
                    for f in fields
                    if getattr(complaint, f) is not None
                    and (f, getattr(complaint, f)) != ("kind", "complaint")
                }
                if new.related_to:  # the case it was raised from, by reference, not id
                    changes["related_to"] = (None, normalise_reference(new.related_to))
                self.record(
                    session,
                    complaint,
                    actor=actor,
                    command="log",
                    changes=changes,
                    at=now,
                )
                assert complaint.id is not None
                complaint_id = complaint.id
        except BaseException:
            if created_folder is not None:
                _remove_if_empty(created_folder)
            raise
        return LoggedCase(reference, folder, created, complaint_id)

    def _locked_case(self, session: Session, reference: str) -> Complaint:
        """The case ``reference``, locked for this transaction (unknown: the nearest named)."""
        ref = normalise_reference(reference)
        stmt = select(Complaint).where(col(Complaint.reference) == ref).with_for_update()
        complaint = session.execute(stmt).scalar_one_or_none()
        if complaint is None:
            known = session.execute(select(col(Complaint.reference))).scalars()
            raise not_found(reference, known)
        return complaint

    def _id_of(self, session: Session, reference: str) -> int:
        """The id of the case ``reference`` (an unknown one suggests the nearest)."""
        ref = normalise_reference(reference)
        found = session.execute(
            select(col(Complaint.id)).where(col(Complaint.reference) == ref)
        ).scalar_one_or_none()
        if found is None:
            raise not_found(reference, session.execute(select(col(Complaint.reference))).scalars())
        return int(found)

    def change(
        self,
        reference: str,
        *,
        actor: str,
        command: str,
        apply: Apply,
        deadlines: Deadlines | None = None,
        expected_version: int | None = None,
    ) -> tuple[dict[str, Any], Change]:
        """Apply one lifecycle command to one case, in one transaction, with its history.

        ``apply(case, actions)`` is a pure rule from :mod:`complaints_cli.domain.lifecycle`: it sees
        the case as stored *inside* the transaction (the write lock is held, so no other
        handler's change can slip in between the read and the write) and returns the change.
        ``expected_version`` refuses the change when the case has moved on since the caller
        last read it. Returns the case as saved and the change.
        """
        ref = normalise_reference(reference)
        with self.transaction() as session:
            complaint = self._locked_case(session, reference)
            assert complaint.id is not None
            if expected_version is not None and complaint.row_version != expected_version:
                raise ConflictError(
                    f"{ref} was changed by someone else since you read it (it is now at version "
                    f"{complaint.row_version}, you read version {expected_version}); nothing was "
                    f"saved: reload with `complaints show {ref}` and try again"
                )
            actions = list(
                session.execute(
                    select(Action)
                    .where(col(Action.complaint_id) == complaint.id)
                    .order_by(col(Action.number))
                ).scalars()
            )
            before = complaint.model_dump()
            change = apply(before, [a.model_dump() for a in actions])
            diff: dict[str, tuple[Any, Any]] = {
                k: (before.get(k), v) for k, v in change.fields.items() if before.get(k) != v
            }
            for name, value in change.fields.items():
                setattr(complaint, name, value)
            number = max((a.number for a in actions), default=0)
            now = utcnow()
            for new in change.new_actions:
                number += 1
                session.add(
                    Action(
                        complaint_id=complaint.id,
                        number=number,
                        stage=complaint.stage,
                        text=new.text,
                        owner=new.owner,
                        due=new.due,
                        created_at=now,
                        kind=new.kind,
                    )
                )
                diff[f"{new.kind} {number}"] = (None, f"{new.text} ({new.owner}, due {new.due})")
            for action in actions:
                if action.number in change.done_actions:
                    action.done = change.done_actions[action.number]
                    diff[f"action {action.number} done"] = (None, action.done)
            if deadlines is not None:
                for name, value in deadlines(complaint.model_dump()).items():
                    setattr(complaint, name, value)
            if diff or change.note:
                complaint.row_version += 1
                complaint.updated_at = now
                self.record(
                    session,
                    complaint,
                    actor=actor,
                    command=command,
                    changes=diff,
                    note=change.note,
                    at=now,
                )
            session.flush()
            return complaint.model_dump(), change

    def add_signatory(
        self,
        reference: str,
        *,
        name: str,
        address: str,
        lead: bool,
        added: date,
        actor: str,
        check: Callable[[dict[str, Any]], None],
    ) -> tuple[str, list[dict[str, Any]]]:
        """Add a petition's signatory (``lead``: the lead petitioner, the case's complainant).

        ``check(case)`` refuses a case that is not a petition. The same name at the same address
        is refused (signed twice). Returns the reference and every signatory, lead first.
        """
        ref = normalise_reference(reference)
        with self.transaction() as session:
            complaint = self._locked_case(session, reference)
            assert complaint.id is not None
            check(complaint.model_dump())
            existing = list(
                session.execute(
                    select(Signatory)
                    .where(col(Signatory.complaint_id) == complaint.id)
                    .order_by(col(Signatory.id))
                ).scalars()
            )
            squash = lambda s: " ".join(s.split()).casefold()  # noqa: E731
            for other in existing:
                if squash(other.name) == squash(name) and squash(other.address) == squash(address):
                    raise ConflictError(f"{name} at {address} has already signed {ref}'s petition")
            diff: dict[str, tuple[Any, Any]] = {"signatory": (None, f"{name}, {address}")}
            if lead:
                for other in existing:
                    if other.lead:
                        other.lead = False
                        diff["lead petitioner"] = (other.name, name)
                diff.setdefault("lead petitioner", (None, name))
                if complaint.complainant != name:
                    diff["complainant"] = (complaint.complainant, name)
                    complaint.complainant = name
            session.add(
                Signatory(
                    complaint_id=complaint.id, name=name, address=address, lead=lead, added=added
                )
            )
            now = utcnow()
            complaint.row_version += 1
            complaint.updated_at = now
            self.record(
                session, complaint, actor=actor, command="signatory add", changes=diff, at=now
            )
            session.flush()
            rows = session.execute(
                select(Signatory)
                .where(col(Signatory.complaint_id) == complaint.id)
                .order_by(col(Signatory.lead).desc(), col(Signatory.id))
            ).scalars()
            return ref, [r.model_dump() for r in rows]

    def add_compliment(self, fields: Mapping[str, Any], *, actor: str) -> int:
        """Record a compliment (not a case: no reference, no folder, no deadlines)."""
        with self.transaction() as session:
            row = Compliment(**fields, created_at=utcnow(), actor=actor)
            session.add(row)
            session.flush()
            assert row.id is not None
            return row.id

    def refresh_deadlines(self, ids: Iterable[int], deadlines: Deadlines) -> int:
        """Recompute the stored deadlines of the given cases (the profile or calendar changed).

        Not a change to the case: no history entry, no new version.
        """
        count = 0
        with self.transaction() as session:
            for complaint in session.execute(
                select(Complaint).where(col(Complaint.id).in_(list(ids)))
            ).scalars():
                for name, value in deadlines(complaint.model_dump()).items():
                    setattr(complaint, name, value)
                count += 1
        return count


def _remove_if_empty(folder: Path) -> None:
    """Undo a folder made for a case that was then not saved (never removes files)."""
    with contextlib.suppress(OSError):
        folder.rmdir()


__all__ = ["LoggedCase", "Store", "utcnow"]
