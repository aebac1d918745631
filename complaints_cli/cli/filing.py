"""Correspondence into the case folder in one step (``file``), and what ``log --from-email``
reads from an e-mail. The file formats are :mod:`complaints_cli.files.correspondence`'s; the
history entries :mod:`complaints_cli.store.correspondence`'s.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from complaints_cli.cli.options import DateOpt, RefArg, Timeframes, new_app, open_raw, open_store
from complaints_cli.errors import ComplaintsError

if TYPE_CHECKING:
    from complaints_cli.config import Settings
    from complaints_cli.files.correspondence import EmailFacts

app = new_app()


@dataclass(frozen=True)
class _Source:
    """One file to file, read and named before anything is written."""

    path: Path
    data: bytes
    sha256: str
    stem: str
    suffix: str
    history: dict[str, object]


def _warn(message: str) -> None:
    from complaints_cli.domain.text import terminal_safe

    typer.echo(f"complaints: warning: {terminal_safe(message)}", err=True)


def _read(path: Path) -> bytes:
    from complaints_cli.files.correspondence import MAX_FILE_BYTES

    if not path.exists():
        raise ComplaintsError(f"{str(path)!r} does not exist")
    if not path.is_file():
        raise ComplaintsError(f"{str(path)!r} is not a file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ComplaintsError(
            f"{str(path)!r} is {size / 1024 / 1024:.0f} MiB: the largest file filed is "
            f"{MAX_FILE_BYTES // 1024 // 1024} MiB"
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ComplaintsError(f"cannot read {str(path)!r}: {exc.strerror or exc}") from None


def read_email_file(path: Path) -> tuple[bytes, EmailFacts]:
    """An ``.eml`` file's bytes and what it says about itself; ``.msg`` is refused."""
    from complaints_cli.files.correspondence import read_email

    if path.suffix.lower() == ".msg":
        raise ComplaintsError(
            f"{str(path)!r} is an Outlook .msg file, which is not read yet: save the e-mail "
            "as .eml, or give the details as options (--complainant, --received, ...)"
        )
    if path.suffix.lower() != ".eml":
        raise ComplaintsError(f"{str(path)!r} is not an e-mail file (.eml)")
    data = _read(path)
    try:
        return data, read_email(data)
    except ComplaintsError as exc:
        raise ComplaintsError(f"{str(path)!r}: {exc}") from None


def email_defaults(path: Path) -> dict[str, str | None]:
    """What ``log --from-email`` fills in: complainant (the sender's name), received (the
    date sent, in UK time, ISO), channel and summary (the subject)."""
    from complaints_cli.files.correspondence import uk_day

    _data, facts = read_email_file(path)
    return {
        "complainant": facts.sender_name,
        "received": uk_day(facts.sent).isoformat() if facts.sent else None,
        "channel": "email",
        "summary": facts.subject,
    }


def _prepare(path: Path, folder: Path, day: date, fallback_day: bool) -> _Source:
    from complaints_cli.files.correspondence import filed_name, read_email, sha256_hex, uk_day

    data = _read(path)
    digest = sha256_hex(data)
    history: dict[str, object] = {"original": path.name, "sha256": digest}
    if path.suffix.lower() == ".eml":
        try:
            facts = read_email(data)
        except ComplaintsError as exc:
            raise ComplaintsError(f"{str(path)!r}: {exc}") from None
        sent = uk_day(facts.sent) if facts.sent else None
        if sent is None:
            when = "--date" if not fallback_day else "the day it is filed"
            _warn(f"{path.name} has no readable Date header: dated by {when}")
        stem, suffix = filed_name(
            folder,
            day=sent or day,
            original=facts.subject or "",
            sender=facts.sender,
            email=True,
        )
        history.update(date=(sent or day).isoformat(), subject=facts.subject)
        history["from"] = facts.from_text()
    else:
        stem, suffix = filed_name(folder, day=day, original=path.name)
        history["date"] = day.isoformat()
        if path.suffix.lower() == ".msg":
            _warn(
                f"{path.name}: Outlook .msg files are filed as they are; sender and subject are not read yet"
            )
    return _Source(path, data, digest, stem, suffix, history)


def file_into_case(
    cfg: Settings,
    reference: str,
    paths: list[Path],
    *,
    day: date,
    fallback_day: bool,
    move: bool,
) -> list[tuple[Path, Path | None]]:
    """File ``paths`` into the case's folder and record each in its history; with ``move``,
    remove each original once it is filed and recorded. Returns ``(original, filed as)`` for
    each (``None``: the same file is already in the folder). Everything is checked before
    anything is written; a failure removes what this call wrote, and leaves the originals."""
    from complaints_cli.cli.roots import TeamRoot
    from complaints_cli.files.correspondence import sha256_hex
    from complaints_cli.files.safe_save import save_new
    from complaints_cli.store import reads
    from complaints_cli.store.correspondence import filed_files, record_filed

    with open_raw(cfg) as db:
        case = reads.get_case(db, reference)
        assert case.id is not None
        known = filed_files(db, case.id)
        folder = TeamRoot(cfg, db, claim=False).case_folder(case)
    sources: list[_Source] = []
    for path in paths:
        resolved = path.resolve()
        if resolved.parent == folder or folder in resolved.parents:
            raise ComplaintsError(f"{str(path)!r} is already in the case folder {folder.name!r}")
        if move and path.is_symlink():
            raise ComplaintsError(f"{str(path)!r} is a link: file it without --move")
        sources.append(_prepare(path, folder, day, fallback_day))
    done: list[tuple[Path, Path | None]] = []
    written: list[Path] = []
    records: list[dict[str, object]] = []
    seen: set[str] = set()
    try:
        for src in sources:
            earlier = known.get(src.sha256)
            there = folder / earlier if earlier else None
            same = (
                there is not None
                and there.is_file()
                and sha256_hex(there.read_bytes()) == src.sha256
            )
            if src.sha256 in seen or same:
                done.append((src.path, None))
                continue
            seen.add(src.sha256)
            target = save_new(folder, src.stem, src.suffix, src.data)
            written.append(target)
            records.append({**src.history, "file": target.name})
            done.append((src.path, target))
        if records:
            with open_store(cfg) as store:
                record_filed(store, case.reference, records, actor=cfg.user.value)
    except BaseException:
        for target in written:
            target.unlink(missing_ok=True)
        raise
    if move:
        for src in sources:
            try:
                os.unlink(src.path)
            except OSError as exc:
                _warn(f"{src.path} is filed, but could not be removed: {exc.strerror or exc}")
    return done


@app.command("file")
def file_cmd(
    ctx: typer.Context,
    reference: RefArg,
    paths: Annotated[
        list[Path],
        typer.Argument(help="E-mails (.eml), letters and attachments to file.", metavar="PATH..."),
    ],
    move: Annotated[
        bool, typer.Option("--move", help="Remove each original once it is filed and recorded.")
    ] = False,
    on: DateOpt = None,
) -> None:
    """File e-mails, letters and attachments into the case folder under dated names, in the history.

    An e-mail (.eml) is named by the date it was sent (UK time), its sender and its subject;
    anything else by --date (default: today) and its own name. Nothing is ever overwritten (a
    second file of the same name is '(2)'); the same file filed twice is filed once. Each is
    recorded in the case's history with its SHA-256, and listed in `complaints pack`.

    Example: complaints file SPRUCE001 "Re repair.eml" "Surveyor's report.pdf" --move
    """
    tf = Timeframes(ctx)
    day = tf.date(on, "--date")
    done = file_into_case(
        tf.settings, reference, paths, day=day, fallback_day=on is None, move=move
    )
    from complaints_cli.domain.text import terminal_safe

    for original, target in done:
        if target is None:
            typer.echo(
                terminal_safe(f"{original}: already filed (the same file); not copied again")
            )
        else:
            typer.echo(terminal_safe(f"Filed {original} as {target.name}"))


def from_email_values(
    path: Path,
    complainant: str | None,
    received: str | None,
    channel: str | None,
    summary: str | None,
) -> tuple[str | None, str, str, str | None]:
    """``log --from-email``: (complainant, received, channel, summary), each given option
    first, else what the e-mail says. Refused before anything is saved: an unreadable file,
    or no date to count from."""
    found = email_defaults(path)
    when = received or found["received"]
    if when is None:
        raise ComplaintsError(
            f"{str(path)!r} has no readable Date header: give --received (the day it arrived)"
        )
    return (
        complainant or found["complainant"],
        when,
        channel or "email",
        summary or found["summary"],
    )


def file_logged_email(cfg: Settings, reference: str, path: Path, day: date) -> str | None:
    """File the e-mail a case was logged from into its new folder; a failure is a warning
    (the case is logged) naming the command to run. Returns the name it was filed under."""
    try:
        done = file_into_case(cfg, reference, [path], day=day, fallback_day=False, move=False)
    except ComplaintsError as exc:
        _warn(
            f"{reference} is logged, but the e-mail was not filed ({exc}): "
            f'complaints file {reference} "{path}"'
        )
        return None
    target = done[0][1]
    return target.name if target is not None else None
