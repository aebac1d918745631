"""Subject-access requests: everything the log holds that names a person.

Under UK GDPR a resident may ask for every record that names them. :func:`gather` finds:

- every case where any text field names the person (complainant, address, summaries, the
  Stage 2 details, learning, imported extra columns, ...), or where a row of any table that
  belongs to a case does (history, actions, signatories of a petition, ... - found through the
  schema's foreign keys, so a table a later migration adds is searched too);
- for each such case, its whole history (each entry marked when it mentions the person) and the
  listing of its folder (file names, sizes, modified dates; never the contents);
- rows of any other table that name the person (a compliment from them, say).

Matching is on whole words, ignoring case and accents (``"zoe"`` finds ``"Zoë"``, ``"Ann Lee"``
finds ``"ann lee"`` and ``"Lee, Ann"`` but not ``"Anne Lee"``). Reads go through the raw driver:
no write lock is taken while a request is gathered.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from complaints_cli.domain.presentation import json_default
from complaints_cli.errors import ComplaintsError
from complaints_cli.store.reads import case_record
from complaints_cli.store.tables import CASE_TABLE, raw_case_links, raw_tables

HISTORY_TABLE = "history"
KINDS = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".txt": "markdown"}


def fold(text: str) -> str:
    """Lower case without accents: ``"Zoë Ó Briain"`` -> ``"zoe o briain"``."""
    if text.isascii():  # most text: no accents to remove (and 20x faster)
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_pattern(name: str) -> re.Pattern[str]:
    """Whole words of ``name`` in order, or surname first (``"Lee, Ann"``), on folded text."""
    words = re.findall(r"\w+", fold(name))
    if not words:
        raise ComplaintsError(f"the name {name!r} has no letters to search for")
    # Surname first ("Lee, Ann"; "Ní Bhriain, Zoë"): every split of the name, swapped round.
    orders = [words[k:] + words[:k] for k in range(len(words))]
    alternatives = "|".join(r"\W+".join(map(re.escape, order)) for order in orders)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _mentions(pattern: re.Pattern[str], row: dict[str, Any]) -> list[str]:
    """The columns of ``row`` whose text names the person."""
    return [k for k, v in row.items() if isinstance(v, str) and pattern.search(fold(v))]


@dataclass
class FolderListing:
    path: str
    exists: bool
    files: list[dict[str, Any]] = field(default_factory=list)
    note: str | None = None


@dataclass
class CaseFound:
    case: dict[str, Any]
    #: Where the person is named: ``complainant``, ``history``, ``signatory.name``, ...
    matched: list[str]
    history: list[dict[str, Any]]
    linked: dict[str, list[dict[str, Any]]]
    folder: FolderListing | None


@dataclass
class Found:
    name: str
    cases: list[CaseFound]
    other: list[dict[str, Any]]

    @property
    def history_count(self) -> int:
        return sum(1 for c in self.cases for h in c.history if h["mentions"])

    @property
    def folder_count(self) -> int:
        return sum(1 for c in self.cases if c.folder and c.folder.exists)

    @property
    def file_count(self) -> int:
        return sum(len(c.folder.files) for c in self.cases if c.folder)


def gather(db: Any, name: str, root: Path) -> Found:
    """Everything in the log (and its case folders) that names ``name``.

    Two passes, so a 100k-case log is searched in streamed batches: first every row of the
    cases and of each table that belongs to a case is scanned for the name; then the whole
    record of each matched case (its rows in every linked table) is read by id.
    """
    pattern = name_pattern(name)
    links = raw_case_links(db)
    matched: dict[int, list[str]] = {}
    case_rows: dict[int, dict[str, Any]] = {}
    for row in db.iter_rows(f"SELECT * FROM {CASE_TABLE} ORDER BY id"):
        where = _mentions(pattern, row)
        if where:
            matched[row["id"]] = where
            case_rows[row["id"]] = row
    for table, columns in links.items():
        for row in db.iter_rows(f'SELECT * FROM "{table}" ORDER BY id'):
            where = _mentions(pattern, row)
            if not where:
                continue
            label = HISTORY_TABLE if table == HISTORY_TABLE else f"{table}.{where[0]}"
            for column in columns:
                if row.get(column) is not None:
                    found = matched.setdefault(row[column], [])
                    if label not in found:
                        found.append(label)
    ids = sorted(matched)
    missing = [i for i in ids if i not in case_rows]
    for row in _rows_by_id(db, CASE_TABLE, "id", missing):
        case_rows[row["id"]] = row
    belongs: dict[int, dict[str, list[dict[str, Any]]]] = {i: {} for i in ids}
    for table, columns in links.items():
        for column in columns:
            for row in _rows_by_id(db, table, column, ids):
                belongs[row[column]].setdefault(table, []).append(row)
    other = []
    for table in raw_tables(db):
        if table == CASE_TABLE or table in links:
            continue
        for row in db.iter_rows(f'SELECT * FROM "{table}"'):
            where = _mentions(pattern, row)
            if where:
                other.append({"table": table, "matched": where, "record": row})
    result = []
    for case_id in ids:
        row = case_rows.get(case_id)
        if row is None:  # a link to a case that is not there (db check reports it)
            continue
        linked = belongs[case_id]
        history = [
            {**_history_entry(h), "mentions": bool(_mentions(pattern, h))}
            for h in sorted(linked.pop(HISTORY_TABLE, []), key=lambda h: h["id"])
        ]
        result.append(
            CaseFound(
                case=case_record(row),
                matched=matched[case_id],
                history=history,
                linked={
                    t: sorted(rows, key=lambda r: r.get("id") or 0) for t, rows in linked.items()
                },
                folder=list_folder(root, row.get("folder")),
            )
        )
    return Found(name, result, other)


def _rows_by_id(db: Any, table: str, column: str, ids: list[int]) -> list[dict[str, Any]]:
    """The rows of ``table`` whose ``column`` is one of ``ids`` (asked 500 at a time)."""
    out: list[dict[str, Any]] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        params = {f"i{n}": v for n, v in enumerate(chunk)}
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        out += db.rows(f'SELECT * FROM "{table}" WHERE "{column}" IN ({marks})', params)
    return out


def _history_entry(row: dict[str, Any]) -> dict[str, Any]:
    changes = row.get("changes")
    at = row.get("at")
    if isinstance(at, str):  # SQLite keeps UTC timestamps as text without the offset
        at = datetime.fromisoformat(at)
    if isinstance(at, datetime) and at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return {
        "at": at,
        "actor": row.get("actor"),
        "command": row.get("command"),
        "changes": json.loads(changes) if isinstance(changes, str) and changes else {},
        "note": row.get("note"),
    }


def list_folder(root: Path, folder: str | None) -> FolderListing | None:
    """A case folder's files (relative names, sizes, modified UTC); never their contents."""
    if not folder:
        return None
    path = root / folder
    if len(Path(folder).parts) != 1 or Path(folder).is_absolute() or path.is_symlink():
        return FolderListing(str(path), False, note="not a folder inside the root: not listed")
    if not path.is_dir():
        return FolderListing(str(path), False, note="the folder does not exist")
    files: list[dict[str, Any]] = []
    for here, dirs, names in os.walk(path, followlinks=False):
        dirs.sort()
        for name in sorted(names):
            full = Path(here) / name
            try:
                info = full.lstat()
            except OSError as exc:
                files.append({"name": full.relative_to(path).as_posix(), "error": exc.strerror})
                continue
            files.append(
                {
                    "name": full.relative_to(path).as_posix(),
                    "size": info.st_size,
                    "modified": datetime.fromtimestamp(info.st_mtime, UTC).isoformat(
                        timespec="seconds"
                    ),
                }
            )
    return FolderListing(str(path), True, files)


# --- writing the answer ------------------------------------------------------------------------
def output_kind(path: Path) -> str:
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise ComplaintsError(
            f"cannot tell the format of {path.name!r}: name it .json (JSON) or .md / .txt "
            "(a readable report)"
        )
    if not path.parent.is_dir():
        raise ComplaintsError(f"the folder {str(path.parent)!r} does not exist")
    return kind


def as_json(found: Found, generated: date) -> dict[str, Any]:
    return {
        "subject": found.name,
        "generated": generated.isoformat(),
        "summary": {
            "cases": len(found.cases),
            "history_entries_mentioning": found.history_count,
            "folders": found.folder_count,
            "files": found.file_count,
            "other_records": len(found.other),
        },
        "cases": [
            {
                "reference": c.case["reference"],
                "matched": c.matched,
                "case": c.case,
                "history": c.history,
                "linked": c.linked,
                "folder": None
                if c.folder is None
                else {
                    "path": c.folder.path,
                    "exists": c.folder.exists,
                    "note": c.folder.note,
                    "files": c.folder.files,
                },
            }
            for c in found.cases
        ],
        "other_records": found.other,
    }


def _cell(value: Any) -> str:
    if value is None or value == "" or value == {}:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M UTC")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, default=json_default)
    return str(value).replace("|", "\\|").replace("\n", " ")


def as_markdown(found: Found, generated: date) -> str:
    lines = [
        f"# Subject access: {found.name}",
        "",
        f"Generated {generated:%d/%m/%Y} by complaints. Matching: whole words, ignoring case "
        "and accents. Folder listings give file names, sizes and dates, not contents.",
        "",
        f"- Cases: {len(found.cases)}",
        f"- History entries that mention the person: {found.history_count}",
        f"- Case folders: {found.folder_count}, files: {found.file_count}",
        f"- Other records: {len(found.other)}",
    ]
    for c in found.cases:
        lines += ["", f"## {c.case['reference']}", "", f"Named in: {', '.join(c.matched)}", ""]
        lines += ["| Field | Value |", "| --- | --- |"]
        lines += [f"| {k} | {_cell(v)} |" for k, v in c.case.items() if _cell(v)]
        if c.history:
            lines += ["", "### History", "", "| When | Who | Command | Changes | Note | Names |"]
            lines += ["| --- | --- | --- | --- | --- | --- |"]
            for h in c.history:
                changes = "; ".join(
                    f"{k}: {_cell(o)} -> {_cell(n)}" for k, (o, n) in h["changes"].items()
                )
                lines.append(
                    f"| {_cell(h['at'])} | {_cell(h['actor'])} | {_cell(h['command'])} | "
                    f"{_cell(changes)} | {_cell(h['note'])} | {'yes' if h['mentions'] else ''} |"
                )
        for table, rows in c.linked.items():
            lines += ["", f"### {table}", ""]
            lines += [f"- {_cell({k: v for k, v in r.items() if v is not None})}" for r in rows]
        if c.folder is not None:
            lines += ["", f"### Folder: {c.folder.path}", ""]
            if c.folder.note:
                lines.append(c.folder.note)
            elif not c.folder.files:
                lines.append("(empty)")
            else:
                lines += ["| File | Size (bytes) | Modified (UTC) |", "| --- | ---: | --- |"]
                lines += [
                    f"| {_cell(f['name'])} | {f.get('size', '')} | "
                    f"{f.get('modified', f.get('error', ''))} |"
                    for f in c.folder.files
                ]
    if found.other:
        lines += ["", "## Other records", ""]
        lines += [f"- {o['table']}: {_cell(o['record'])}" for o in found.other]
    return "\n".join(lines) + "\n"


def write(found: Found, path: Path, kind: str, *, generated: date) -> None:
    """Write the answer atomically: a temporary file beside ``path``, then renamed over it."""
    if kind == "json":
        text = json.dumps(
            as_json(found, generated), indent=2, ensure_ascii=False, default=json_default
        )
        text += "\n"
    else:
        text = as_markdown(found, generated)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise ComplaintsError(f"cannot write {str(path)!r}: {exc.strerror}") from None
    finally:
        tmp.unlink(missing_ok=True)
