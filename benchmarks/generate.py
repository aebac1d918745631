"""Generate a realistic complaints log of N cases, across every stage, for benchmarks.

    python benchmarks/generate.py --cases 100000 --db benchmarks/data/log-100k.db

Cases are received over four years up to the given date, with the proportions a housing
association sees: most closed at Stage 1, some escalated, a few with the Ombudsman; late
acknowledgements, extensions, compensation and learning on some. Rows are written with bulk
Core inserts (``session.add`` per row would take ~14 s and 1 GB at 100k).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

STREETS = [
    "Essex Brewery",
    "Mill Road",
    "High Street",
    "Station Approach",
    "The Maltings",
    "Church Lane",
    "Victoria Court",
    "Albion Place",
    "Orchard Way",
    "Kingsway House",
]
FIRST = ["Ann", "Bo", "Chris", "Dee", "Eli", "Fay", "Gus", "Hana", "Ivan", "Jo", "Kim", "Lee"]
LAST = ["Lee", "Diaz", "Patel", "Okafor", "Nowak", "Smith", "Khan", "Jones", "Brown", "Ali"]
HANDLERS = ["Sam Patel (SPM)", "Kim Ho (SPM)", "Alex Reid (HoS)"]
STAGE2 = ["Jordan Blake (HoS)", "Morgan Carter (Executive Director)"]
TOPICS = [
    "Damp and mould in the bathroom",
    "Repair to the roof not done",
    "Noise from the flat above",
    "Service charge query not answered",
    "Contractor missed the appointment",
    "Heating not working for two weeks",
    "Rude behaviour by a contractor",
]


def cases(n: int, until: date, seed: int, open_share: float = 0.005) -> Iterator[dict[str, Any]]:
    """``open_share``: the share of cases older than 60 days left open (a team that closes
    what it has finished leaves ~0.5% open; the "heavy" benchmark log leaves 30%)."""
    rng = random.Random(seed)
    span = 4 * 365
    now = datetime.now(UTC)
    for i in range(1, n + 1):
        received = until - timedelta(days=int(span * (1 - i / n)) + rng.randint(0, 2))
        received = min(received, until)
        age = (until - received).days
        row: dict[str, Any] = {
            "reference": f"SPRUCE{i:03d}",
            "status": "Open",
            "stage": "Stage 1",
            "handler": rng.choice(HANDLERS),
            "complainant": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "address": f"{rng.randint(1, 250)} {rng.choice(STREETS)}",
            "received": received,
            "channel": rng.choice(["email", "phone", "letter", "in person", "website"]),
            "created_at": now,
            "updated_at": now,
            "row_version": 1,
        }
        row["folder"] = f"{row['address']} – {row['reference']}"
        if age >= 2 or rng.random() < 0.5:
            late = rng.random() < 0.08
            row["acknowledged"] = received + timedelta(
                days=rng.randint(5, 9) if late else rng.randint(0, 3)
            )
            row["complaint_summary"] = rng.choice(TOPICS)
            row["ack_met"] = not late
            row["ack_met_note"] = "handler on leave" if late else None
        if age > 20 and "acknowledged" in row:
            extended = rng.random() < 0.12
            row["stage1_extension"] = extended
            if extended:
                row["stage1_extension_reason"] = "awaiting contractor report"
                row["stage1_extended_to"] = row["acknowledged"] + timedelta(days=28)
            row["stage1_responded"] = row["acknowledged"] + timedelta(days=rng.randint(3, 20))
            row["stage1_met"] = rng.random() > 0.1
            row["stage1_response_summary"] = "Upheld in part; repair booked"
            if rng.random() < 0.2:
                row["compensation_pence"] = rng.choice([2500, 5000, 10000, 125000])
                row["compensation_reasons"] = "time and trouble"
            if rng.random() < 0.05:
                row["learning"] = "Contractor appointments to be confirmed by text"
            row["escalated"] = False
            if rng.random() < 0.15 and age > 40:
                row.update(
                    escalated=True,
                    stage="Stage 2",
                    stage2_handler=rng.choice(STAGE2),
                    escalation_received=row["stage1_responded"] + timedelta(days=10),
                    escalation_details="Unhappy with the repair timescale",
                    review_type=rng.choice(["manager", "compensation"]),
                )
                if age > 80:
                    row["stage2_responded"] = row["escalation_received"] + timedelta(days=25)
                    row["stage2_extension"] = False
                    row["stage2_met"] = rng.random() > 0.15
                    row["stage2_response_details"] = "Review upheld the Stage 1 decision"
                    if rng.random() < 0.1:
                        row["stage"] = "Ombudsman"
            # A working team closes what it has finished: a few old cases stay open (actions
            # outstanding, forgotten), and Ombudsman cases stay open for up to a year.
            if row["stage"] == "Ombudsman":
                closing = age > 365
            else:
                closing = age > 60 and rng.random() < 1 - open_share
            if closing:
                row["status"] = "Closed"
                row["closed"] = (
                    row.get("stage2_responded") or row["stage1_responded"]
                ) + timedelta(days=21)
        yield row


def generate(db: Path, n: int, until: date, seed: int = 1, open_share: float = 0.005) -> None:
    from complaints_cli.store.db import make_engine
    from complaints_cli.store.models import Complaint, Counter, HistoryEntry, OpenMilestone
    from complaints_cli.store.reads import case_from_mapping
    from complaints_cli.store.writes import Store, changes_json

    if db.exists():
        db.unlink()
    db.parent.mkdir(parents=True, exist_ok=True)
    from complaints_cli.cli.options import Timeframes
    from complaints_cli.config import resolve
    from complaints_cli.domain.derived import derived

    tf = Timeframes(cfg=resolve({}, {}))
    profile, calendar, key = tf.profile, tf.calendar, tf.key
    url = f"sqlite:///{db}"
    Store(url, create=True).close()  # makes the schema
    engine = make_engine(url)
    # Columns with a server default (legal_hold, kind) are left to it: None would break NOT NULL.
    table = Complaint.__table__  # type: ignore[attr-defined]
    columns = [c.name for c in table.columns if c.name != "id" and c.server_default is None]
    batch: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    milestones: list[dict[str, Any]] = []
    with engine.begin() as conn:
        for i, row in enumerate(cases(n, until, seed, open_share), start=1):
            case, open_ones = derived(case_from_mapping(row), profile, calendar, key, met=False)
            milestones += [
                {
                    "complaint_id": i,
                    "milestone": m.key,
                    "label": m.label,
                    "stage": m.stage,
                    "kind": "window" if m.window else "deadline",
                    "while_open": m.while_open,
                    "due": m.due,
                    "deadline": m.deadline,
                }
                for m in open_ones
            ]
            row.update(
                next_due=case.next_due,
                next_milestone=case.next_milestone,
                deadlines_key=case.deadlines_key,
            )
            batch.append({c: row.get(c) for c in columns})
            history.append(
                {
                    "complaint_id": i,
                    "at": row["created_at"],
                    "actor": "generator",
                    "command": "log",
                    "changes": changes_json({"reference": (None, row["reference"])}),
                    "note": None,
                }
            )
            if len(batch) == 5000 or i == n:
                conn.execute(Complaint.__table__.insert(), batch)  # type: ignore[attr-defined]
                conn.execute(HistoryEntry.__table__.insert(), history)  # type: ignore[attr-defined]
                if milestones:
                    conn.execute(OpenMilestone.__table__.insert(), milestones)  # type: ignore[attr-defined]
                batch, history, milestones = [], [], []
        conn.execute(Counter.__table__.insert(), [{"prefix": "SPRUCE", "last_number": n}])  # type: ignore[attr-defined]
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--until", type=date.fromisoformat, default=date(2026, 11, 20))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--open-share",
        type=float,
        default=0.005,
        help="share of cases older than 60 days left open (0.3: the heavy log)",
    )
    args = parser.parse_args()
    generate(args.db, args.cases, args.until, args.seed, args.open_share)
    print(f"wrote {args.cases} cases to {args.db}")


if __name__ == "__main__":
    main()
