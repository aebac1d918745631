"""A case's record: ``log`` a new complaint, ``show`` one, ``list`` the log, its ``history``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from complaints_cli.cli.options import (
    FormatOpt,
    Timeframes,
    check_format,
    new_app,
    next_lines,
    open_raw,
    open_store,
    settings,
    today,
)
from complaints_cli.errors import ComplaintsError

app = new_app()


def _ask(
    name: str, value: str | None, *, no_input: bool, prompt: str, default: str | None = None
) -> str | None:
    if value is not None:
        return value
    if no_input:
        if default is not None:
            return default
        raise ComplaintsError(f"--{name} is required with --no-input")
    try:
        answer: str = typer.prompt(prompt, default=default, show_default=default is not None)
    except (EOFError, typer.Abort):
        raise ComplaintsError(
            f"--{name} is required (no answer could be read; give it as an option)"
        ) from None
    return answer


@app.command("log")
def log_cmd(
    ctx: typer.Context,
    complainant: Annotated[
        str | None, typer.Option(help="Who is complaining (one or more names).")
    ] = None,
    address: Annotated[
        str | None, typer.Option(help="The property's address; names the case folder.")
    ] = None,
    received: Annotated[
        str | None, typer.Option(help="Date received: dd/mm/yyyy or yyyy-mm-dd [default: today].")
    ] = None,
    handler: Annotated[str | None, typer.Option(help="Who handles Stage 1.")] = None,
    channel: Annotated[
        str | None,
        typer.Option(
            help="How it came in: email, phone, letter, in person, website, social media."
        ),
    ] = None,
    summary: Annotated[
        str | None, typer.Option(help="What the complaint is about (optional).")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            help="complaint (default), dissatisfaction (a service dissatisfaction, informal) "
            "or petition (the complainant is the lead petitioner)."
        ),
    ] = None,
    events_date: Annotated[
        str | None,
        typer.Option(
            "--events-date", help="When the events complained of happened (policy time limit)."
        ),
    ] = None,
    related_to: Annotated[
        str | None,
        typer.Option(
            "--related-to", help="The case this new issue was raised in (Code 6.8).", metavar="REF"
        ),
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never prompt; a missing value is an error.")
    ] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Log a new complaint: give it the next reference and make its folder.

    Required values not given as options are asked for, unless --no-input. The date received
    defaults to today.

    Example: complaints log --complainant "Ann Lee" --address "1 Essex Brewery" --received 03/02/2025 --handler "Sam Patel" --channel email
    """
    from complaints_cli.domain.intake import new_complaint
    from complaints_cli.domain.process import checks_on_log, parse_kind
    from complaints_cli.domain.references import format_reference
    from complaints_cli.domain.vocabulary import CaseKind
    from complaints_cli.files.folders import check_root, planned_name

    fmt = check_format(fmt, ("table", "json"))
    cfg = settings(ctx)
    day = today()
    case_kind = parse_kind(kind)
    # Every answer is gathered before the database is touched: no lock is held while typing.
    complainant = _ask("complainant", complainant, no_input=no_input, prompt="Complainant")
    address = _ask("address", address, no_input=no_input, prompt="Address")
    handler = _ask("handler", handler, no_input=no_input, prompt="Handler")
    channel = _ask(
        "channel",
        channel,
        no_input=no_input,
        prompt="Channel (email, phone, letter, in person, website, social media)",
    )
    new = new_complaint(
        complainant=complainant,
        address=address,
        received=received,
        handler=handler,
        channel=channel,
        summary=summary,
        today=day,
        kind=case_kind,
        events_date=events_date,
        related_to=related_to,
    )
    tf = Timeframes(ctx)
    warnings = checks_on_log(new, tf.profile)
    root = cfg.root_path
    # Before anything is written: a root that cannot hold case folders is refused.
    check_root(root, format_reference(cfg.prefix.value, 1))
    with open_store(cfg) as store:
        logged = store.log(
            new,
            prefix=cfg.prefix.value,
            actor=cfg.user.value,
            folder=lambda reference: planned_name(root, new.address, reference),
            deadlines=tf.derive,
        )
        # The folder is made after the log's write lock is released (a network share can be
        # slow); a crash in between leaves a case without its folder, which
        # `complaints folders --check` reports.
        folder, created = _case_folder(store, root, logged.case)
    for warning in warnings:
        typer.echo(f"complaints: warning: {warning}", err=True)
    case = logged.case
    if fmt == "json":
        import json

        from complaints_cli.domain.deadlines import CaseDates, next_milestones

        upcoming = next_milestones(CaseDates.of(case), tf.profile, tf.calendar, as_of=day)
        deadlines = [
            {"key": m.key, "milestone": m.label, "due": m.deadline.isoformat()} for m in upcoming
        ]
        typer.echo(
            json.dumps(
                {
                    "reference": logged.reference,
                    "folder": str(folder),
                    "folder_created": created,
                    "deadlines": deadlines,
                },
                ensure_ascii=False,
            )
        )
        return
    what = "" if new.kind is CaseKind.COMPLAINT else f"{new.kind}, "
    typer.echo(
        f"Logged {logged.reference}: {new.complainant}, {new.address} ({what}{case.stage}, Open)"
    )
    note = "" if created else " (existing folder reused)"
    typer.echo(f"Folder: {folder}{note}")
    for line in next_lines(case, tf, day):
        typer.echo(line)


def _case_folder(store: Any, root: Path, case: Any) -> tuple[Path, bool]:
    """Make (or find) a newly logged case's folder; record its name if it is not the one
    planned. A folder that cannot be made is a warning: the case is already logged."""
    from complaints_cli.files.folders import make_case_folder

    try:
        folder, created = make_case_folder(root, case.address, case.reference)
    except ComplaintsError as exc:
        typer.echo(
            f"complaints: warning: {case.reference} is logged, but its folder could not be "
            f"made ({exc}); make {case.folder!r} under {str(root)!r} by hand",
            err=True,
        )
        return root / str(case.folder), False
    if folder.name != case.folder:
        store.set_folder(case.reference, folder.name)
    return folder, created


@app.command("show")
def show_cmd(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="The complaint reference, e.g. SPRUCE001.")],
    fmt: FormatOpt = "table",
) -> None:
    """Show every column of one complaint, its folder and its history.

    Example: complaints show SPRUCE001
    """
    from complaints_cli.render import case_view
    from complaints_cli.store import reads

    fmt = check_format(fmt, ("table", "json"))
    tf = Timeframes(ctx)
    with open_raw(tf.settings) as db:
        case = reads.get_case(db, reference)
        assert case.id is not None
        entries = reads.history(db, case.id)
        actions = reads.actions(db, case.id)
        more = {**reads.related(db, case), "signatories": reads.signatories(db, case.id)}
    from complaints_cli.domain.deadlines import compute_milestones

    milestones = compute_milestones(case, tf.profile, tf.calendar, as_of=tf.today)
    case_view.show_case(case, entries, actions, milestones, tf.settings.root_path, fmt, more)


@app.command("list")
def list_cmd(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option(help="Only this status: Open, Closed or 'Not accepted'.")
    ] = None,
    stage: Annotated[
        str | None,
        typer.Option(help="Only this stage: Informal, 'Stage 1', 'Stage 2' or Ombudsman."),
    ] = None,
    handler: Annotated[
        str | None, typer.Option(help="Only cases this person handles (Stage 1 or 2).")
    ] = None,
    search: Annotated[
        str | None,
        typer.Option("--search", "-s", help="Free text in reference, names, address, summaries."),
    ] = None,
    fmt: FormatOpt = "table",
) -> None:
    """List the log, oldest first, with optional filters.

    Example: complaints list --status Open --stage "Stage 2" --format csv
    """
    from complaints_cli.render import case_view
    from complaints_cli.store import reads

    fmt = check_format(fmt)
    cfg = settings(ctx)
    with open_raw(cfg) as db:
        cases = reads.list_cases(db, status=status, stage=stage, handler=handler, text=search)
    case_view.list_cases(cases, fmt)


@app.command("history")
def history_cmd(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="The complaint reference.")],
    fmt: FormatOpt = "table",
) -> None:
    """Show a case's history: when (UTC), who, which command, each field from what to what.

    The history is append-only: the tool offers no way to edit it.

    Example: complaints history SPRUCE001
    """
    from complaints_cli.render.listing import output_rows
    from complaints_cli.store import reads

    fmt = check_format(fmt)
    with open_raw(settings(ctx)) as db:
        case = reads.get_case(db, reference)
        assert case.id is not None
        entries = reads.history(db, case.id)
    rows = [
        {
            **e,
            "changes": e["changes"]
            if fmt == "json"
            else "; ".join(
                f"{k}: {_short(o)} -> {_short(n)}" for k, (o, n) in e["changes"].items()
            ),
        }
        for e in entries
    ]

    def text(column: str, value: Any) -> str:
        if column == "at":
            return value.strftime("%d/%m/%Y %H:%M:%S")
        return "" if value is None else str(value)

    output_rows(
        rows,
        ("at", "actor", "command", "changes", "note"),
        fmt,
        text=text,
        headers={
            "at": "When (UTC)",
            "actor": "Who",
            "command": "Command",
            "changes": "Changes",
            "note": "Note",
        },
        no_wrap=("at",),
    )


def _short(value: Any) -> str:
    return "(blank)" if value in (None, "") else str(value)
