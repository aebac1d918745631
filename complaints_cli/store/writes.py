"""Writing to the log: every command's changes in one short transaction, with history.

A :class:`Store` writes through the driver itself (:class:`~complaints_cli.store.db.RawDatabase`,
no ORM: ``log`` costs tens of milliseconds, not the ~0.5 s SQLAlchemy and pydantic take to
import). Each write runs in one transaction: on SQLite ``BEGIN IMMEDIATE`` takes the write
lock at the start, so two handlers never interleave; on PostgreSQL the counter row and the case
are locked with ``SELECT ... FOR UPDATE``. A failure anywhere rolls the whole command back.

Every change to a case is recorded in ``history`` with the same contract, whichever command
made it (the import's bulk path in :mod:`complaints_cli.store.bulk` included): when (UTC), who,
which command, and ``{"field": [old, new]}`` for each field of the
:class:`~complaints_cli.domain.case.Case` that changed, in the one JSON form
(:func:`changes_json`: ISO dates, money as ``"75.00"``, the log's words as text).

The store does no file-system work: a new case's folder is made by the caller after the
transaction commits (:meth:`Store.set_folder` records its name if it differs from the one
planned).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

from complaints_cli.domain.case import Action, Case
from complaints_cli.domain.intake import NewComplaint
from complaints_cli.domain.open_milestones import OpenMilestone
from complaints_cli.domain.presentation import json_default
from complaints_cli.domain.process import Compliment, signatory_key
from complaints_cli.domain.references import (
    MAX_NUMBER,
    format_reference,
    highest_number,
    normalise_reference,
)
from complaints_cli.domain.rules import Change
from complaints_cli.domain.vocabulary import CaseKind, Stage, Status
from complaints_cli.errors import ComplaintsError, ConflictError
from complaints_cli.store.db import RawDatabase
from complaints_cli.store.lookups import unknown_reference
from complaints_cli.store.milestones import Derivation
from complaints_cli.store.milestones import replace as replace_milestones
from complaints_cli.store.reads import (
    CASE_COLUMNS,
    Signatory,
    action_from_row,
    case_from_row,
    case_values,
    column_of,
    signatories,
)

__all__ = ["Derivation", "LoggedCase", "Rule", "Store", "changes_json", "utcnow"]

#: A rule: (the case as stored, its actions) -> the change to make.
Rule = Callable[[Case, Sequence[Action]], Change]

#: The fields ``log`` records in the history of a new case.
_LOGGED = (
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
    "category",
    "tenure",
)
#: Bookkeeping fields: never listed as a change in the history.
_BOOKKEEPING = frozenset(
    {"id", "created_at", "updated_at", "row_version", "next_due", "next_milestone", "deadlines_key"}
)


def utcnow() -> datetime:
    """Aware UTC: every timestamp the store keeps is UTC, on every backend."""
    return datetime.now(UTC)


def changes_json(changes: Mapping[str, tuple[object, object]]) -> str:
    """The history's ``changes``: ``{"field": [old, new]}``, sorted, in the one JSON form."""
    return json.dumps(
        {k: [old, new] for k, (old, new) in changes.items()},
        ensure_ascii=False,
        sort_keys=True,
        default=json_default,
    )


def case_diff(before: Case, after: Case) -> dict[str, tuple[object, object]]:
    """Every field that differs, as ``{field: (old, new)}`` (bookkeeping left out)."""
    return {
        f: (old, new)
        for f, old, new in zip(Case._fields, before, after, strict=True)
        if old != new and f not in _BOOKKEEPING
    }


@dataclass(frozen=True)
class LoggedCase:
    reference: str
    complaint_id: int
    #: The case as saved (its planned folder name included).
    case: Case


def _check_version(case: Case, expected_version: int | None) -> None:
    """Refuse a change to ``case`` (read under the write lock) when it has moved on since the
    handler read it at ``expected_version`` (``--expect-version``)."""
    if expected_version is not None and case.row_version != expected_version:
        ref = case.reference
        raise ConflictError(
            f"{ref} was changed by someone else since you read it (it is now at version "
            f"{case.row_version}, you read version {expected_version}); nothing was "
            f"saved: reload with `complaints show {ref}` and try again"
        )


class Store:
    """The log, open for writing."""

    def __init__(self, url: str, *, default_location: bool = False, create: bool = False) -> None:
        self.db = RawDatabase(url, default_location=default_location, create=create)
        self.url = url

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[RawDatabase]:
        """One command's writes: committed together or not at all."""
        with self.db.transaction() as tx:
            yield tx

    # -- references ------------------------------------------------------------------------
    def _counter(self, tx: RawDatabase, prefix: str) -> int:
        """The last number handed out for ``prefix``, its row locked for this transaction."""
        lock = f"SELECT last_number FROM counter WHERE prefix = :p{tx.for_update}"
        found = tx.scalar(lock, {"p": prefix})
        if found is not None:
            return int(found)
        refs = tx.column(
            "SELECT reference FROM complaint WHERE reference LIKE :like", {"like": f"{prefix}%"}
        )
        # ON CONFLICT DO NOTHING: two first-ever logs racing on PostgreSQL both succeed.
        tx.execute(
            "INSERT INTO counter (prefix, last_number) VALUES (:p, :n) "
            "ON CONFLICT (prefix) DO NOTHING",
            {"p": prefix, "n": highest_number(prefix, map(str, refs))},
        )
        return int(tx.scalar(lock, {"p": prefix}))

    def allocate_reference(self, tx: RawDatabase, prefix: str) -> str:
        """The next reference for ``prefix``: gap-free, as the counter rolls back with the case.

        :class:`ComplaintsError` when the counter has reached
        :data:`~complaints_cli.domain.references.MAX_NUMBER` (nothing is written)."""
        number = self._counter(tx, prefix) + 1
        if number > MAX_NUMBER:
            raise ComplaintsError(
                f"the references for {prefix} have reached {format_reference(prefix, MAX_NUMBER)}, "
                "the last the log can number: use another prefix (the prefix setting)"
            )
        tx.execute(
            "UPDATE counter SET last_number = :n WHERE prefix = :p", {"n": number, "p": prefix}
        )
        return format_reference(prefix, number)

    def advance_counter(self, tx: RawDatabase, prefix: str, number: int) -> None:
        """Make sure the next reference handed out for ``prefix`` is after ``number``."""
        if self._counter(tx, prefix) < number:
            tx.execute(
                "UPDATE counter SET last_number = :n WHERE prefix = :p",
                {"n": number, "p": prefix},
            )

    # -- history ---------------------------------------------------------------------------
    def record(
        self,
        tx: RawDatabase,
        complaint_id: int,
        *,
        actor: str,
        command: str,
        changes: Mapping[str, tuple[object, object]],
        note: str | None = None,
        at: datetime | None = None,
    ) -> None:
        """One history entry for one case."""
        tx.execute(
            "INSERT INTO history (complaint_id, at, actor, command, changes, note) "
            "VALUES (:id, :at, :actor, :command, :changes, :note)",
            {
                "id": complaint_id,
                "at": at or utcnow(),
                "actor": actor,
                "command": command,
                "changes": changes_json(changes),
                "note": note,
            },
        )

    # -- cases -----------------------------------------------------------------------------
    def _insert_case(self, tx: RawDatabase, case: Case) -> int:
        values = case_values(case)
        names = list(values)
        marks = ", ".join(f":{n}" for n in names)
        return int(
            tx.scalar(
                f"INSERT INTO complaint ({', '.join(names)}) VALUES ({marks}) RETURNING id",
                values,
            )
        )

    def _update_case(self, tx: RawDatabase, before: Case, after: Case) -> None:
        """Write the fields of ``after`` that differ from ``before`` (the stored case)."""
        new = case_values(after)
        old = case_values(before)
        changed = {c: v for c, v in new.items() if old[c] != v}
        if not changed:
            return
        sets = ", ".join(f"{c} = :{c}" for c in changed)
        tx.execute(
            f"UPDATE complaint SET {sets} WHERE id = :case_id", {**changed, "case_id": before.id}
        )

    def _locked_case(self, tx: RawDatabase, reference: str) -> Case:
        """The case ``reference``, locked for this transaction (unknown: the nearest named)."""
        ref = normalise_reference(reference)
        row = tx.execute(
            f"SELECT {', '.join(CASE_COLUMNS)} FROM complaint WHERE reference = :ref"
            f"{tx.for_update}",
            {"ref": ref},
        ).fetchone()
        if row is None:
            raise unknown_reference(tx, reference, writing=True)
        return case_from_row(row)

    def _id_of(self, tx: RawDatabase, reference: str) -> int:
        """The id of the case ``reference`` (an unknown one suggests the nearest)."""
        found = tx.scalar(
            "SELECT id FROM complaint WHERE reference = :ref",
            {"ref": normalise_reference(reference)},
        )
        if found is None:
            raise unknown_reference(tx, reference, writing=True)
        return int(found)

    def log(
        self,
        new: NewComplaint,
        *,
        prefix: str,
        actor: str,
        folder: Callable[[str], str],
        deadlines: Derivation | None = None,
    ) -> LoggedCase:
        """Record a new complaint under the next reference, in one transaction.

        ``folder(reference)`` names the case folder the caller will make once this commits
        (it must do no file-system work: the log's write lock is held while it runs).
        ``deadlines`` works out its derived columns and open milestones (without it the case
        is saved with its deadlines not worked out: ``due`` works them out when it runs).
        """
        with self.transaction() as tx:
            reference = self.allocate_reference(tx, prefix)
            now = utcnow()
            informal = new.kind is CaseKind.SERVICE_DISSATISFACTION
            case = Case(
                reference=reference,
                status=Status.OPEN,
                stage=Stage.INFORMAL if informal else Stage.STAGE_1,
                handler=new.handler,
                complainant=new.complainant,
                address=new.address,
                received=new.received,
                complaint_summary=new.summary,
                channel=new.channel,
                folder=folder(reference),
                created_at=now,
                updated_at=now,
                row_version=1,
                kind=new.kind,
                events_date=new.events_date,
                informal_received=new.received if informal else None,
                related_to_id=self._id_of(tx, new.related_to) if new.related_to else None,
                category=new.category,
                tenure=new.tenure,
            )
            milestones = None
            if deadlines is not None:
                case, milestones = deadlines(case)
            complaint_id = self._insert_case(tx, case)
            if milestones:
                replace_milestones(tx, {complaint_id: milestones}, new=True)
            if new.kind is CaseKind.PETITION:  # the complainant is the lead petitioner (4.11.1)
                self._insert_signatory(
                    tx, complaint_id, new.complainant, new.address, lead=True, added=new.received
                )
            changes: dict[str, tuple[object, object]] = {
                f: (None, getattr(case, f))
                for f in _LOGGED
                if getattr(case, f) is not None and (f, getattr(case, f)) != ("kind", "complaint")
            }
            if new.related_to:  # the case it was raised from, by reference, not id
                changes["related_to"] = (None, normalise_reference(new.related_to))
            self.record(tx, complaint_id, actor=actor, command="log", changes=changes, at=now)
        return LoggedCase(reference, complaint_id, case._replace(id=complaint_id))

    def set_folder(self, reference: str, name: str) -> None:
        """Record the name of the folder actually used for a case (bookkeeping: no history)."""
        self.set_folders({normalise_reference(reference): name})

    def set_folders(self, names: Mapping[str, str]) -> None:
        """Record the folders made for cases, ``{reference: folder name}``, in one short
        transaction (bookkeeping: no history, no new version)."""
        if not names:
            return
        with self.transaction() as tx:
            for reference, name in names.items():
                tx.execute(
                    "UPDATE complaint SET folder = :f WHERE reference = :ref",
                    {"f": name, "ref": reference},
                )

    def change(
        self,
        reference: str,
        *,
        actor: str,
        command: str,
        rule: Rule,
        deadlines: Derivation | None = None,
        expected_version: int | None = None,
    ) -> tuple[Case, Change]:
        """Apply one rule to one case, in one transaction, with its history.

        ``rule(case, actions)`` is a pure rule from the domain: it sees the case as stored
        *inside* the transaction (the write lock is held, so no other handler's change can slip
        in between the read and the write) and returns the change. ``expected_version``
        refuses the change when the case has moved on since the caller last read it. Returns
        the case as saved and the change.
        """
        with self.transaction() as tx:
            before = self._locked_case(tx, reference)
            assert before.id is not None
            _check_version(before, expected_version)
            rows = tx.execute(
                "SELECT number, stage, kind, text, owner, due, done FROM action "
                "WHERE complaint_id = :id ORDER BY number",
                {"id": before.id},
            ).fetchall()
            actions = [action_from_row(r) for r in rows]
            change = rule(before, actions)
            original = change.case.duplicate_of_id
            if original is not None and original != before.duplicate_of_id:
                from complaints_cli.domain.corrections import require_original_stays

                ref = tx.scalar("SELECT reference FROM complaint WHERE id = :id", {"id": original})
                require_original_stays(change.case, self._locked_case(tx, str(ref)))
            after = change.case._replace(id=before.id)
            if deadlines is not None:  # the Met columns and stored deadlines, worked out again
                after, milestones = deadlines(after)
            else:  # saved without them: marked as not worked out (``due`` works it out)
                after = after._replace(next_due=None, next_milestone=None, deadlines_key=None)
                milestones = []
            diff = case_diff(before, after)
            number = max((a.number for a in actions), default=0)
            now = utcnow()
            for new in change.new_actions:
                number += 1
                tx.execute(
                    "INSERT INTO action (complaint_id, number, stage, text, owner, due, "
                    "created_at, kind) VALUES (:id, :n, :stage, :text, :owner, :due, :at, :kind)",
                    {
                        "id": before.id,
                        "n": number,
                        "stage": after.stage,
                        "text": new.text,
                        "owner": new.owner,
                        "due": new.due,
                        "at": now,
                        "kind": new.kind,
                    },
                )
                diff[f"{new.kind} {number}"] = (None, f"{new.text} ({new.owner}, due {new.due})")
            for action in actions:
                done = change.done_actions.get(action.number)
                if done is not None:
                    tx.execute(
                        "UPDATE action SET done = :done WHERE complaint_id = :id AND number = :n",
                        {"done": done, "id": before.id, "n": action.number},
                    )
                    diff[f"action {action.number} done"] = (None, done)
            if diff:  # facts no column holds (the day reopened, learning recorded), with a change
                diff.update({name: (None, value) for name, value in change.recorded.items()})
            if diff or change.note:
                after = after._replace(row_version=before.row_version + 1, updated_at=now)
                self.record(
                    tx,
                    before.id,
                    actor=actor,
                    command=command,
                    changes=diff,
                    note=change.note,
                    at=now,
                )
            self._update_case(tx, before, after)
            replace_milestones(tx, {before.id: milestones})
            return after, change

    def recompute(
        self, derive: Derivation, *, actor: str, batch: int = 500
    ) -> list[tuple[str, dict[str, tuple[object, object]]]]:
        """Work out every case's derived columns again (after the profile, the nation or the
        office closures changed): ``(reference, {field: (old, new)})`` for each case whose
        recorded columns changed (each with a history entry, command ``recompute``); stored
        deadlines and every case's open milestones are written again silently. Short
        transactions of ``batch`` cases, so other handlers are never kept waiting long."""
        ids = [int(i) for i in self.db.column("SELECT id FROM complaint ORDER BY id")]
        changed: list[tuple[str, dict[str, tuple[object, object]]]] = []
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            marks = ", ".join(f":i{n}" for n in range(len(chunk)))
            params = {f"i{n}": v for n, v in enumerate(chunk)}
            with self.transaction() as tx:
                rows = tx.execute(
                    f"SELECT {', '.join(CASE_COLUMNS)} FROM complaint WHERE id IN ({marks})"
                    f"{tx.for_update}",
                    params,
                ).fetchall()
                now = utcnow()
                fresh: dict[int, Sequence[OpenMilestone]] = {}
                for row in rows:
                    before = case_from_row(row)
                    assert before.id is not None
                    after, fresh[before.id] = derive(before)
                    if after == before:
                        continue
                    diff = case_diff(before, after)
                    if diff:
                        after = after._replace(row_version=before.row_version + 1, updated_at=now)
                        self.record(
                            tx, before.id, actor=actor, command="recompute", changes=diff, at=now
                        )
                        changed.append((before.reference, diff))
                    self._update_case(tx, before, after)
                replace_milestones(tx, fresh)
        return changed

    # -- petitions and compliments ---------------------------------------------------------
    def _insert_signatory(
        self,
        tx: RawDatabase,
        complaint_id: int,
        name: str,
        address: str,
        *,
        lead: bool,
        added: date,
    ) -> None:
        tx.execute(
            "INSERT INTO signatory (complaint_id, name, address, lead, added) "
            "VALUES (:id, :name, :address, :lead, :added)",
            {"id": complaint_id, "name": name, "address": address, "lead": lead, "added": added},
        )

    def add_signatory(
        self,
        reference: str,
        *,
        name: str,
        address: str,
        lead: bool,
        added: date,
        actor: str,
        check: Callable[[Case], None],
        expected_version: int | None = None,
    ) -> tuple[str, list[Signatory]]:
        """Add a petition's signatory (``lead``: the lead petitioner, the case's complainant).

        ``check(case)`` refuses a case that is not a petition. The same name at the same address
        is refused (signed twice); so is a case no longer at ``expected_version``. Returns the
        reference and every signatory, lead first.
        """
        ref = normalise_reference(reference)
        with self.transaction() as tx:
            case = self._locked_case(tx, reference)
            assert case.id is not None
            _check_version(case, expected_version)
            check(case)
            existing = signatories(tx, case.id)
            for other in existing:
                if signatory_key(other.name, other.address) == signatory_key(name, address):
                    raise ConflictError(f"{name} at {address} has already signed {ref}'s petition")
            diff: dict[str, tuple[object, object]] = {"signatory": (None, f"{name}, {address}")}
            after = case
            if lead:
                current = next((s for s in existing if s.lead), None)
                if current is not None:
                    tx.execute(
                        "UPDATE signatory SET lead = :no WHERE complaint_id = :id",
                        {"no": False, "id": case.id},
                    )
                diff["lead petitioner"] = (current.name if current else None, name)
                if case.complainant != name:
                    diff["complainant"] = (case.complainant, name)
                    after = after._replace(complainant=name)
            self._insert_signatory(tx, case.id, name, address, lead=lead, added=added)
            now = utcnow()
            after = after._replace(row_version=case.row_version + 1, updated_at=now)
            self._update_case(tx, case, after)
            self.record(tx, case.id, actor=actor, command="signatory add", changes=diff, at=now)
            return ref, signatories(tx, case.id)

    def add_compliment(self, compliment: Compliment, *, actor: str) -> int:
        """Record a compliment (not a case: no reference, no folder, no deadlines)."""
        with self.transaction() as tx:
            return int(
                tx.scalar(
                    "INSERT INTO compliment (received, from_name, about, channel, details, "
                    "created_at, actor) VALUES (:received, :from_name, :about, :channel, "
                    ":details, :at, :actor) RETURNING id",
                    {
                        "received": compliment.received,
                        "from_name": compliment.from_name,
                        "about": compliment.about,
                        "channel": compliment.channel,
                        "details": compliment.details,
                        "at": utcnow(),
                        "actor": actor,
                    },
                )
            )


def field_column(field: str) -> str:
    """The complaint table's column for a case field (re-exported for the bulk import)."""
    return column_of(field)
