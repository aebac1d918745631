"""The tool in the handler's day: deadlines as a calendar (``feed``), a log that checks itself
(``check``), and one handler's week as an e-mail draft or Markdown (``digest``).

Imported on every run of these commands only; icalendar is imported inside ``feed``.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Annotated

import typer

from complaints_cli.cli.options import FormatOpt, Timeframes, check_format, new_app, open_raw
from complaints_cli.errors import ComplaintsError, ExitCode

app = new_app()

ForceOpt = Annotated[
    bool, typer.Option("--force", help="Replace the file if it exists (a scheduled task does).")
]


@app.command("feed")
def feed_cmd(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="The .ics file to write, e.g. on the shared drive."),
    ],
    handler: Annotated[
        str | None, typer.Option(help="Only this handler's milestones and actions.")
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Write every open deadline as an all-day calendar event (.ics) for Outlook.

    One event per open milestone and outstanding action, on its deadline, with a reminder on
    the working day before; milestones done (and cases finished) in the last 90 days are
    cancelled events. Each event keeps its identity (UID), so reading the file again updates
    the calendar instead of duplicating it. Events name the reference, the milestone and the
    resident's surname only.

    Example: complaints feed --output "Y:/Complaints/due.ics" --handler "Sam Patel" --force
    """
    from datetime import UTC, datetime

    from complaints_cli.domain.feed import feed_events
    from complaints_cli.store import reads

    if output.suffix.lower() != ".ics":
        raise ComplaintsError(f"--output {str(output)!r} must end in .ics (an iCalendar file)")
    tf = Timeframes(ctx)
    cfg = tf.settings
    with open_raw(cfg) as db:
        if handler is not None:  # a misspelt name is an error, never an empty calendar
            from complaints_cli.domain.filters import match_person

            match_person(handler, reads.people(db))
        cases = reads.list_cases(db)
        actions = reads.actions_by_case(db)
    events = feed_events(
        cases,
        actions,
        tf.profile,
        tf.calendar,
        today=tf.today,
        root=str(cfg.root_path),
        domain=f"{cfg.prefix.value.lower()}.complaints",
        handler=handler,
    )
    from complaints_cli.files.calendar_feed import feed_bytes, save_feed

    name = "Complaints deadlines" + (f": {' '.join(handler.split())}" if handler else "")
    data = feed_bytes(events, name=name, now=datetime.now(UTC))
    saved = save_feed(output, data, force=force)
    live = sum(1 for e in events if not e.cancelled)
    typer.echo(
        f"Wrote {saved.path}: {live} deadline(s), {len(events) - live} cancelled (done) event(s)"
    )
    if saved.locked:
        typer.echo(f"complaints: warning: {saved.left_unchanged(output, 'feed')}", err=True)


@app.command("check")
def check_cmd(ctx: typer.Context, fmt: FormatOpt = "table") -> None:
    """List every record that will make a report wrong, each with the command that fixes it.

    Met columns that disagree with the dates, answered cases left open, extensions agreed
    after their deadline, Stage 2 without an acknowledgement, a Stage 2 handler who handled
    Stage 1, missing outcomes or categories (once the log records them), case folders missing
    or duplicated, legal holds past retention, learning not sent. Read-only. Exit status 1
    when anything is found, 0 on a clean log.

    Example: complaints check --format json
    """
    from complaints_cli.cli.roots import TeamRoot
    from complaints_cli.domain.checks import LogFacts, Problem, check_log
    from complaints_cli.render.listing import output_rows
    from complaints_cli.store import reads
    from complaints_cli.store.check_queries import learning_added_since_sent
    from complaints_cli.store.folders import folder_cases

    fmt = check_format(fmt)
    tf = Timeframes(ctx)
    cfg = tf.settings
    with open_raw(cfg) as db:
        cases = reads.list_cases(db)
        actions = reads.actions_by_case(db)
        added = learning_added_since_sent(db)
        team = TeamRoot(cfg, db, claim=False)  # another log's root is refused
        counted = [c for c in folder_cases(db, team.log_id) if not c.void]
    facts = LogFacts(
        tf.profile,
        tf.calendar,
        tf.today,
        retention_years=cfg.retention_years.value,
        uses_outcomes=any(c.stage1_outcome or c.stage2_outcome for c in cases),
        uses_categories=any(c.category for c in cases),
    )
    root: Path = cfg.root_path
    folders: list[Problem] = []
    if not root.is_dir():
        if counted:
            folders.append(
                Problem(
                    "no folder",
                    None,
                    f"the complaints root {str(root)!r} is not a folder: no case has its folder",
                    "check --root or COMPLAINTS_ROOT (complaints config)",
                )
            )
    else:
        from complaints_cli.files.folder_check import check_folders

        for p in check_folders(root, counted):
            if p.problem == "no folder":
                folders.append(
                    Problem(
                        "no folder",
                        p.reference,
                        f"no folder under {root} ends in {p.reference}",
                        f"make the folder {p.expected!r} under the root",
                    )
                )
            elif p.problem == "two folders":
                folders.append(
                    Problem(
                        "two folders",
                        p.reference,
                        f"folders {p.folder}",
                        "move the files into one of them and remove the other",
                    )
                )
    problems = check_log(cases, actions, facts, learning_added=added, folder_problems=folders)
    output_rows(
        [p.__dict__ for p in problems],
        ("kind", "reference", "detail", "fix"),
        fmt,
        headers={
            "kind": "Problem",
            "reference": "Reference",
            "detail": "What is wrong",
            "fix": "What fixes it",
        },
        empty=f"No problems found in {len(cases)} case(s).",
        no_wrap=("reference",),
    )
    if problems:
        typer.echo(f"complaints: {len(problems)} problem(s) found", err=True)
        raise typer.Exit(ExitCode.PROBLEMS_FOUND)


@app.command("digest")
def digest_cmd(
    ctx: typer.Context,
    handler: Annotated[
        str | None, typer.Option(help="Whose week [default: the whole team's, by handler].")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="An .eml file (an e-mail draft) or .md file [default: print]."
        ),
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", help="The draft's recipient (an e-mail address).")
    ] = None,
    within: Annotated[int, typer.Option(help="Working days ahead to look.")] = 5,
    force: ForceOpt = False,
) -> None:
    """Write one handler's week (overdue, due soon, weekly updates, actions) as an e-mail draft or Markdown.

    For a scheduled task on Windows: an .eml draft opens in Outlook ready to send (X-Unsent).

    Example: complaints digest --handler "Sam Patel" --output "Y:/Complaints/Sam's week.eml" --to sam.patel@spruce.org.uk --force
    """
    from complaints_cli.cli.due import MAX_WITHIN
    from complaints_cli.domain.handler_mail import digest_message
    from complaints_cli.store.due import as_dicts, due_rows

    if not 0 <= within <= MAX_WITHIN:
        raise ComplaintsError(
            f"--within {within} must be 0 to {MAX_WITHIN} working days (about four years)"
        )
    kind = None if output is None else output.suffix.lower()
    if kind not in (None, ".eml", ".md", ".txt"):
        raise ComplaintsError(f"--output {str(output)!r} must end in .eml, .md or .txt")
    recipients: list[str] = []
    if to is not None:
        from complaints_cli.files.email_draft import check_addresses

        recipients = check_addresses([to], "--to")
    tf = Timeframes(ctx)
    with open_raw(tf.settings) as db:
        who = None
        if handler is not None:  # a misspelt name is refused, never an empty week
            from complaints_cli.domain.filters import match_person
            from complaints_cli.store.lookups import people

            who = match_person(handler, people(db))
        items = as_dicts(
            due_rows(
                db,
                tf.profile,
                tf.calendar,
                key=tf.key,
                as_of=tf.today,
                within=within,
                handler=who,
            )
        )
    message = digest_message(items, handler=handler, today=tf.today, within=within)
    if output is None:
        from complaints_cli.domain.text import terminal_safe

        typer.echo(terminal_safe(message.body), nl=False)
        return
    if kind == ".eml":
        from complaints_cli.files.email_draft import draft_bytes

        data = draft_bytes(to=recipients, subject=message.subject, body=message.body)
    else:
        data = message.body.encode("utf-8")
    from complaints_cli.files.safe_save import save_atomically

    def write(stream: IO[bytes]) -> None:
        stream.write(data)

    saved = save_atomically(output, write, force=force)
    typer.echo(f"Wrote {saved.path}: {len(items)} item(s)")
