"""Correspondence filed in a case folder, in the case's history (``complaints file``).

Each filed file is one history entry with the command ``file`` and, as its changes (the one
JSON form, :func:`complaints_cli.store.writes.changes_json`, through
:meth:`~complaints_cli.store.writes.Store.record`): ``file`` (its name in the case folder),
``sha256``, ``date`` (ISO: the e-mail's date in UK time, or the date it was filed under),
``original`` (the name it had), and for an e-mail ``from`` and ``subject``, each as
``[null, value]``. Filing changes no column of the case, so its version does not move.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from complaints_cli.domain.references import normalise_reference
from complaints_cli.store.db import RawDatabase
from complaints_cli.store.lookups import unknown_reference
from complaints_cli.store.writes import Store

__all__ = ["filed_files", "record_filed"]

#: The history command of a filed file.
COMMAND = "file"


def record_filed(
    store: Store, reference: str, filed: Sequence[Mapping[str, object]], *, actor: str
) -> None:
    """One history entry per filed file (``{"file": name, "sha256": ..., ...}``), all in one
    transaction."""
    with store.transaction() as tx:
        found = tx.scalar(
            "SELECT id FROM complaint WHERE reference = :ref",
            {"ref": normalise_reference(reference)},
        )
        if found is None:
            raise unknown_reference(tx, reference, writing=True)
        for values in filed:
            store.record(
                tx,
                int(found),
                actor=actor,
                command=COMMAND,
                changes={k: (None, v) for k, v in values.items() if v is not None},
            )


def filed_files(db: RawDatabase, complaint_id: int) -> dict[str, str]:
    """SHA-256 -> the name it was filed under, for every file the case's history records."""
    out: dict[str, str] = {}
    rows = db.execute(
        "SELECT changes FROM history WHERE complaint_id = :id AND command = :command ORDER BY id",
        {"id": complaint_id, "command": COMMAND},
    ).fetchall()
    for (changes,) in rows:
        try:
            decoded = json.loads(changes)
            out[str(decoded["sha256"][1])] = str(decoded["file"][1])
        except (TypeError, ValueError, KeyError, IndexError):
            continue
    return out
