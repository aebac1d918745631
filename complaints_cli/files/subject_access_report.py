"""Writing a subject-access answer: JSON for a system, Markdown for a person.

Saved with the one safe save (:func:`complaints_cli.files.safe_save.save_atomically`): a kill
or a full disk never leaves half an answer, and an existing file is replaced only when asked.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from complaints_cli.domain.presentation import describe_changes, json_default
from complaints_cli.domain.subject_access import Found
from complaints_cli.errors import ComplaintsError
from complaints_cli.files.safe_save import save_atomically

KINDS = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".txt": "markdown"}


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
                changes = describe_changes(h["changes"])
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


def write(found: Found, path: Path, kind: str, *, generated: date, force: bool) -> Path:
    """Write the answer in one step (see the module notes); returns where it went."""
    if kind == "json":
        text = json.dumps(
            as_json(found, generated), indent=2, ensure_ascii=False, default=json_default
        )
        text += "\n"
    else:
        text = as_markdown(found, generated)

    def fill(stream: IO[bytes]) -> None:
        stream.write(text.encode("utf-8"))

    return save_atomically(path, fill, force=force).path
