"""A case's record: ``log`` a new complaint, ``show`` one, ``list`` the log, its ``history``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from complaints_cli.cli.options import (
    CreateOpt,
    FormatOpt,
    Timeframes,
    check_format,
    known_handler,
    log_exists,
    new_app,
    new_handler_warning,
    next_lines,
    open_raw,
    open_store,
    respelled_note,
    settings,
    today,
)
from complaints_cli.errors import ComplaintsError

app = new_app()


def _interview(
    cfg: Any, day: date, *, no_input: bool, **given: str | None
) -> dict[str, str | None]:
    """``{complainant, address, received, handler, channel, summary, category}``: as given, the
    missing ones asked for in that order (each checked as it is answered, see :mod:`.ask`), or, with
    --no-input, a missing required one refused."""
    required = ("complainant", "address", "handler", "channel")
    missing = [name for name in required if given[name] is None]
    order = ("complainant", "address", "received", "handler", "channel", "summary", "category")
    if not missing:
        return dict(given)
    if no_input:
        raise ComplaintsError(f"--{missing[0]} is required with --no-input")
    from complaints_cli.cli.ask import Question, ask, handler_note
    from complaints_cli.domain.classification import parse_category
    from complaints_cli.domain.intake import parse_channel, read_received
    from complaints_cli.domain.text import optional_text, required_text

    known: list[str] = []
    if log_exists(cfg.db_url):
        from complaints_cli.store import reads

        with open_raw(cfg) as db:
            known = sorted(reads.people(db, owners=False))
    shown = f" (known: {', '.join(known[:8])}{' ...' if len(known) > 8 else ''})" if known else ""
    questions = {
        "complainant": Question(
            "--complainant", "Complainant", lambda t: required_text(t, "complainant")
        ),
        "address": Question("--address", "Address", lambda t: required_text(t, "address")),
        "received": Question(
            "--received",
            "Date received",
            lambda t: read_received(t, day),
            default=f"{day:%d/%m/%Y}",
        ),
        "handler": Question("--handler", f"Handler{shown}", lambda t: required_text(t, "handler")),
        "channel": Question(
            "--channel",
            "Channel (email, phone, letter, in person, website, social media)",
            parse_channel,
        ),
        "summary": Question(
            "--summary", "Summary", lambda t: optional_text(t, "summary"), optional=True
        ),
        "category": Question(
            "--category",
            f"Category ({', '.join(cfg.categories.value)})",
            lambda t: parse_category(t, cfg.categories.value),
            optional=True,
        ),
    }
    out: dict[str, str | None] = dict(given)
    for name in order:
        if out[name] is None:
            suggest = handler_note(known) if name == "handler" else None
            out[name] = ask(questions[name], suggest=suggest) or None
    return out


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
    category: Annotated[
        str | None,
        typer.Option(help="The team's category (the categories setting: complaints config)."),
    ] = None,
    tenure: Annotated[
        str | None,
        typer.Option(
            help="The home's stock type for TSM CH01/CH02: LCRA (low-cost rental), LCHO "
            "(low-cost home ownership), other or unknown."
        ),
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never prompt; a missing value is an error.")
    ] = False,
    create: CreateOpt = False,
    from_email: Annotated[
        Path | None,
        typer.Option(
            "--from-email",
            metavar="FILE",
            help="An e-mail (.eml): complainant, date received (UK time), channel and summary "
            "from it; it is filed in the new folder.",
        ),
    ] = None,
    fmt: FormatOpt = "table",
) -> None:
    """Log a new complaint: give it the next reference and make its folder.

    Required values not given as options are asked for, unless --no-input. The date received
    defaults to today.

    Example: complaints log --complainant "Ann Lee" --address "1 Essex Brewery" --received 03/02/2025 --handler "Sam Patel" --channel email
    """
    from complaints_cli.cli.roots import TeamRoot
    from complaints_cli.domain.intake import new_complaint
    from complaints_cli.domain.process import checks_on_log, parse_kind
    from complaints_cli.domain.references import format_reference
    from complaints_cli.domain.vocabulary import CaseKind
    from complaints_cli.files.folders import check_root, planned_name
    from complaints_cli.store import reads

    fmt = check_format(fmt, ("table", "json"))
    cfg = settings(ctx)
    day = today()
    case_kind = parse_kind(kind)
    if from_email is not None:
        from complaints_cli.cli.filing import from_email_values

        complainant, received, channel, summary = from_email_values(
            from_email, complainant, received, channel, summary
        )
    # Every answer is gathered before the database is touched: no lock is held while typing.
    answers = _interview(
        cfg,
        day,
        no_input=no_input,
        complainant=complainant,
        address=address,
        received=received,
        handler=handler,
        channel=channel,
        summary=summary,
        category=category,
    )
    new = new_complaint(
        **answers,
        today=day,
        kind=case_kind,
        events_date=events_date,
        related_to=related_to,
        tenure=tenure,
        categories=cfg.categories.value,
    )
    tf = Timeframes(ctx)
    warnings = checks_on_log(new, tf.profile)
    handlers: list[str] = []  # the log's handlers before this case: a typo is warned of
    respelled: str | None = None  # the log's spelling of a handler typed otherwise
    typed = ""
    if log_exists(cfg.db_url):
        from dataclasses import replace

        with open_raw(cfg) as db:
            known = reads.people(db, owners=False)
        # one person, one spelling: a name the log knows typed otherwise is the log's spelling
        respelled = known_handler(new.handler, known)
        if respelled is not None:
            typed, new = " ".join(new.handler.split()), replace(new, handler=respelled)
        if handler is not None:  # one answered at the prompt was confirmed there
            handlers = known
    root = cfg.root_path
    # Before anything is written: a root that cannot hold case folders is refused.
    check_root(root, format_reference(cfg.prefix.value, 1))
    with open_store(cfg, create=create) as store:
        # ... and so is one that is another log's, or holds folders no log has claimed.
        team = TeamRoot(cfg, store.db, claim=True)
        logged = store.log(
            new,
            prefix=cfg.prefix.value,
            actor=cfg.user.value,
            folder=lambda reference: planned_name(root, new.address, reference),
            deadlines=tf.derive,
        )
        if respelled is not None:  # said once the case is saved
            respelled_note("handler", typed, respelled)
        twice = reads.same_complaint(
            store.db,
            new.complainant,
            new.address,
            new.received,
            logged_before=logged.complaint_id,
        )
        # The folder is made after the log's write lock is released (a network share can be
        # slow); a kill in between leaves a case without its folder (or an empty folder
        # without its marker), which `complaints folders --check --fix` finishes.
        folder, created = _case_folder(store, team, logged.case)
    filed = None
    if from_email is not None and folder is not None:
        from complaints_cli.cli.filing import file_logged_email

        filed = file_logged_email(cfg, logged.reference, from_email, day)
    if twice:
        warnings.append(
            f"{', '.join(twice)} has the same complainant, address and date received: if "
            f"{logged.reference} is the same complaint logged twice, void it with complaints "
            f"void {logged.reference} --duplicate-of {twice[0]} --reason TEXT"
        )
    if handlers:
        typo = new_handler_warning(new.handler, handlers, logged.reference)
        if typo is not None:
            warnings.append(typo)
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
                    "folder": None if folder is None else str(folder),
                    "folder_created": created,
                    "deadlines": deadlines,
                    **({"filed": filed} if from_email is not None else {}),
                },
                ensure_ascii=False,
            )
        )
        return
    from complaints_cli.domain.text import terminal_safe

    what = "" if new.kind is CaseKind.COMPLAINT else f"{new.kind}, "
    typer.echo(
        terminal_safe(
            f"Logged {logged.reference}: {new.complainant}, {new.address}, received "
            f"{new.received:%d/%m/%Y} ({what}{case.stage}, Open)"
        )
    )
    if folder is None:
        typer.echo(
            "Folder: none made (see the warning); complaints folders --check --fix makes it "
            "once the name is free"
        )
    else:
        typer.echo(
            terminal_safe(f"Folder: {folder}{'' if created else ' (existing folder reused)'}")
        )
    if filed:
        typer.echo(terminal_safe(f"Filed {from_email} as {filed}"))
    for line in next_lines(case, tf, day):
        typer.echo(line)


def _case_folder(store: Any, team: Any, case: Any) -> tuple[Path | None, bool]:
    """Make (or find) a newly logged case's folder and claim it with its marker; record its
    name if it is not the one planned. A folder that cannot be made is a warning (``None``): the case is
    already logged. A folder that ends in the reference but is not claimed for this case is
    never reused."""
    from complaints_cli.files.folders import make_case_folder

    root = team.path
    try:
        folder, created, notes = make_case_folder(root, case.address, team.claim_of(case))
    except ComplaintsError as exc:
        typer.echo(
            f"complaints: warning: {case.reference} is logged, but its folder was not made ({exc})",
            err=True,
        )
        return None, False
    for note in notes:
        typer.echo(f"complaints: warning: {note}", err=True)
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
        str | None,
        typer.Option(help="Only this status: Open, Closed, 'Not accepted', Withdrawn or Void."),
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
    category: Annotated[
        str | None, typer.Option(help="Only this category (the categories setting).")
    ] = None,
    outcome: Annotated[
        str | None,
        typer.Option(
            help="Only cases that ended so (Stage 2's outcome, else Stage 1's): upheld, "
            "partly upheld, not upheld, resolved, withdrawn, or none (not recorded)."
        ),
    ] = None,
    fmt: FormatOpt = "table",
) -> None:
    """List the log, oldest first, with optional filters.

    Example: complaints list --status Open --stage "Stage 2" --format csv
    """
    from complaints_cli.domain.filters import match_person, parse_stage, parse_status
    from complaints_cli.render import case_view
    from complaints_cli.store import reads

    fmt = check_format(fmt)
    cfg = settings(ctx)
    wanted_status = None if status is None else parse_status(status)
    wanted_stage = None if stage is None else parse_stage(stage)
    from complaints_cli.domain.classification import (
        matches,
        parse_category,
        parse_outcome_filter,
    )

    wanted_category = None if category is None else parse_category(category, cfg.categories.value)
    wanted_outcome = None if outcome is None else parse_outcome_filter(outcome)
    with open_raw(cfg) as db:
        if reads.is_empty(db):
            empty_log(cfg, fmt)
            return
        who = None if handler is None else match_person(handler, reads.people(db, owners=False))
        cases = reads.list_cases(
            db, status=wanted_status, stage=wanted_stage, handler=who, text=search
        )
    if wanted_category is not None or wanted_outcome is not None:
        cases = [c for c in cases if matches(c, category=wanted_category, outcome=wanted_outcome)]
    case_view.list_cases(cases, fmt)


def empty_log(cfg: Any, fmt: str) -> None:
    """Say the log is empty, and where it is: an empty answer is never silent."""
    from complaints_cli.config import shown_location

    if fmt != "table":
        typer.echo("[]" if fmt == "json" else "", nl=fmt == "json")
    where = shown_location(cfg.db_url)
    message = (
        f"the log {where} is empty: log a complaint (complaints log) or import your workbook "
        "(complaints import FILE)"
    )
    if fmt == "table":
        typer.echo(message[0].upper() + message[1:])
    else:
        typer.echo(f"complaints: {message}", err=True)


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
    from complaints_cli.domain.presentation import describe_changes
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
            "changes": e["changes"] if fmt == "json" else describe_changes(e["changes"]),
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
