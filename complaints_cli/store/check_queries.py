"""What ``complaints check`` reads besides the cases: learning added since it was sent.

Read-only, through the driver (:class:`~complaints_cli.store.db.RawDatabase`).
"""

from __future__ import annotations

import contextlib
import json
from datetime import date

from complaints_cli.store.db import RawDatabase
from complaints_cli.store.reads import to_datetime

__all__ = ["learning_added_since_sent"]


def learning_added_since_sent(db: RawDatabase) -> dict[int, date]:
    """Case id -> the day its learning (column 24) was last changed (the day the history
    records it was, ``learning_recorded``, else the entry's UTC day), for each case whose
    history records the learning as sent (``learning_sent``) and then changes the learning
    again, by any command (``learning``, ``import``, ...). History order decides, not dates:
    a sending recorded with an earlier ``--date`` still comes before a later change."""
    last_change: dict[int, tuple[int, date]] = {}
    last_sent: dict[int, int] = {}
    rows = db.execute(
        "SELECT id, complaint_id, at, changes FROM history "
        "WHERE changes LIKE :learning OR changes LIKE :sent ORDER BY id",
        {"learning": '%"learning"%', "sent": '%"learning_sent"%'},
    ).fetchall()
    for entry_id, complaint_id, at, changes in rows:
        try:
            decoded = json.loads(changes)
        except (TypeError, ValueError):
            continue
        stamp = to_datetime(at)
        if not isinstance(decoded, dict) or stamp is None:
            continue
        case_id = int(complaint_id)
        if "learning_sent" in decoded:
            last_sent[case_id] = int(entry_id)
        if "learning" in decoded:
            day = stamp.date()
            recorded = decoded.get("learning_recorded") or decoded.get("learning_replaced")
            if isinstance(recorded, list) and len(recorded) == 2 and recorded[1]:
                with contextlib.suppress(ValueError, TypeError):
                    day = date.fromisoformat(str(recorded[1]))  # the tool's day (--date)
            last_change[case_id] = (int(entry_id), day)
    return {
        case_id: day
        for case_id, (entry_id, day) in last_change.items()
        if case_id in last_sent and entry_id > last_sent[case_id]
    }
