"""A case's rows in the log's other tables, as an import reads and writes them: its actions
and a petition's signatories (the workbook's ``Actions`` and ``Petition signatories`` cells).
Split from :mod:`complaints_cli.store.bulk` (the 600-line rule, tests/test_architecture.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from complaints_cli.domain.case import Action, Signatory
from complaints_cli.domain.process import signatory_key
from complaints_cli.store.db import RawDatabase, placeholders
from complaints_cli.store.reads import action_from_row, to_date

__all__ = ["case_rows", "earlier_identities", "write_actions", "write_signatories"]


def case_rows(tx: RawDatabase, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Each case's ``actions`` (in number order) and ``signatories`` (the lead petitioner
    first, then in the order they were added), by case id, as tuples (``None``: none), as
    the ``Actions`` and ``Petition signatories`` cells read them: two queries a 500 cases."""
    actions: dict[int, list[Action]] = {}
    signed: dict[int, list[Signatory]] = {}
    for start in range(0, len(ids), 500):
        marks, params = placeholders("c", ids[start : start + 500])
        rows = tx.execute(
            "SELECT complaint_id, number, stage, kind, text, owner, due, done FROM action "
            f"WHERE complaint_id IN ({marks})",
            params,
        ).fetchall()
        for row in rows:
            actions.setdefault(int(row[0]), []).append(action_from_row(row[1:]))
        rows = tx.execute(
            "SELECT complaint_id, name, address, lead, added FROM signatory "
            f"WHERE complaint_id IN ({marks}) ORDER BY complaint_id, lead DESC, id",
            params,
        ).fetchall()
        for case_id, name, address, lead, added in rows:
            signatory = Signatory(str(name), str(address), bool(lead), to_date(added) or added)
            signed.setdefault(int(case_id), []).append(signatory)
    return {
        i: {
            "actions": tuple(sorted(actions[i])) if i in actions else None,
            "signatories": tuple(signed[i]) if i in signed else None,
        }
        for i in ids
    }


def write_actions(
    tx: RawDatabase,
    complaint_id: int,
    new: Sequence[Any],
    stored: Sequence[Any] | None,
    now: datetime,
) -> None:
    """Insert the file's actions a case does not have, and update those whose number it has.
    An action the file lacks is kept: an import never deletes an action."""
    have = {a.number for a in stored or ()}
    for a in new:
        values = {
            "id": complaint_id,
            "n": a.number,
            "stage": a.stage,
            "kind": a.kind,
            "text": a.text,
            "owner": a.owner,
            "due": a.due,
            "done": a.done,
        }
        if a.number in have:
            tx.execute(
                "UPDATE action SET stage = :stage, kind = :kind, text = :text, owner = :owner, "
                "due = :due, done = :done WHERE complaint_id = :id AND number = :n",
                values,
            )
        else:
            tx.execute(
                "INSERT INTO action (complaint_id, number, stage, kind, text, owner, due, done, "
                "created_at) VALUES (:id, :n, :stage, :kind, :text, :owner, :due, :done, :at)",
                {**values, "at": now},
            )


def write_signatories(
    tx: RawDatabase,
    complaint_id: int,
    new: Sequence[Signatory],
    stored: Sequence[Signatory] | None,
) -> None:
    """Add the file's signatories a petition does not have (the same person:
    :func:`~complaints_cli.domain.process.signatory_key`), and set the lead petitioner and
    the date added of those it has. A signatory the file lacks is kept: an import never
    removes one. When the file names a lead petitioner, no one else stays lead."""
    have = {signatory_key(s.name, s.address): s for s in stored or ()}
    if any(s.lead for s in new):
        tx.execute(
            "UPDATE signatory SET lead = :no WHERE complaint_id = :id",
            {"no": False, "id": complaint_id},
        )
    for s in new:
        values = {"id": complaint_id, "lead": s.lead, "added": s.added}
        old = have.get(signatory_key(s.name, s.address))
        if old is None:
            tx.execute(
                "INSERT INTO signatory (complaint_id, name, address, lead, added) "
                "VALUES (:id, :name, :address, :lead, :added)",
                {**values, "name": s.name, "address": s.address},
            )
        else:
            tx.execute(
                "UPDATE signatory SET lead = :lead, added = :added "
                "WHERE complaint_id = :id AND name = :name AND address = :address",
                {**values, "name": old.name, "address": old.address},
            )


def earlier_identities(tx: RawDatabase, ids: Sequence[int]) -> dict[int, dict[str, list[str]]]:
    """Each case's earlier complainant, address and date received (ISO), from the history of
    the changes made to them (``correct --address`` ...), by case id: an export made before
    a correction holds the earlier value, and is the same complaint (a trial: it was a
    clash, and ``--renumber-clashes`` added the complaint a second time)."""
    out: dict[int, dict[str, list[str]]] = {}
    for start in range(0, len(ids), 500):
        marks, params = placeholders("i", ids[start : start + 500])
        rows = tx.execute(
            f"SELECT complaint_id, changes FROM history WHERE complaint_id IN ({marks}) AND "
            "(changes LIKE '%\"address\"%' OR changes LIKE '%\"complainant\"%' OR "
            "changes LIKE '%\"received\"%')",
            params,
        ).fetchall()
        for complaint_id, changes in rows:
            try:
                decoded = json.loads(changes)
            except (TypeError, ValueError):
                continue
            if not isinstance(decoded, dict):
                continue
            for name in ("complainant", "address", "received"):
                change = decoded.get(name)
                if isinstance(change, list) and len(change) == 2 and change[0] not in (None, ""):
                    out.setdefault(int(complaint_id), {}).setdefault(name, []).append(
                        str(change[0])
                    )
    return out
