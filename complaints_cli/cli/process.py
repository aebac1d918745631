"""The rest of the process: not accepted, service dissatisfactions, related issues, petitions,
the panel meeting, the Ombudsman's determination, vulnerability, compliments.

The rules are in :mod:`complaints_cli.domain.process` and :mod:`complaints_cli.domain.informal`;
each command here parses, runs one rule in one transaction
(:func:`~complaints_cli.cli.options.apply_rule`) and prints what happened.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

import typer

from complaints_cli.cli.options import (
    DateOpt,
    ExpectVersionOpt,
    FormatOpt,
    RefArg,
    Timeframes,
    apply_rule,
    check_format,
    new_app,
    open_raw,
    open_store,
    settings,
    today,
)
from complaints_cli.errors import ComplaintsError

app = new_app()
signatory_app = new_app(
    name="signatory",
    help="A petition's signatories (one case, any number of people).",
    no_args_is_help=True,
)


def _date_or_none(tf: Timeframes, text: str | None, what: str) -> date | None:
    return None if text is None else tf.date(text, what)


def _on_day(
    ctx: typer.Context,
    reference: str,
    command: str,
    on: str | None,
    what: str,
    rule: Callable[[Any, Any, date], Any],
    expect_version: int | None,
) -> None:
    """Run ``rule(case, rules, day)`` on one case, ``day`` being ``--date`` (default today)."""
    tf = Timeframes(ctx)
    day = tf.date(on, what)
    apply_rule(
        ctx,
        reference,
        command,
        lambda c, _a, r: rule(c, r, day),
        tf,
        expected_version=expect_version,
    )


@app.command("not-accepted")
def not_accepted_cmd(
    ctx: typer.Context,
    reference: RefArg,
    reason: Annotated[
        str | None,
        typer.Option(help="Which exclusion of the policy applies (Spruce policy 2.2)."),
    ] = None,
    told: Annotated[
        str | None,
        typer.Option(help="When the resident was told of their right to go to the Ombudsman."),
    ] = None,
    on: DateOpt = None,
    expect_version: ExpectVersionOpt = None,
) -> None:
    """Record that a complaint is not accepted under the policy (status 'Not accepted').

    Give --told later, on its own, once the resident has been told why and of their right
    to go to the Ombudsman. Reverse the decision with complaints reopen.

    Example: complaints not-accepted SPRUCE004 --reason "Legal proceedings have started (policy 2.2)" --told 07/02/2025
    """
    from complaints_cli.domain import process

    told_d = _date_or_none(Timeframes(ctx), told, "date told")
    _on_day(
        ctx,
        reference,
        "not accepted",
        on,
        "decision date",
        lambda c, r, day: process.not_accepted(c, r, reason=reason, told=told_d, on=day),
        expect_version,
    )


@app.command("convert")
def convert_cmd(
    ctx: typer.Context,
    reference: RefArg,
    on: DateOpt = None,
    expect_version: ExpectVersionOpt = None,
) -> None:
    """Convert a service dissatisfaction to a Stage 1 complaint (same reference, history kept).

    The Stage 1 clock starts on the date of conversion; the date it was raised is kept.

    Example: complaints convert SPRUCE005 --date 14/02/2025
    """
    from complaints_cli.domain import informal

    _on_day(
        ctx,
        reference,
        "convert",
        on,
        "conversion date",
        lambda c, r, day: informal.convert(c, r, on=day),
        expect_version,
    )


@app.command("fold")
def fold_cmd(
    ctx: typer.Context,
    reference: RefArg,
    issue: Annotated[str, typer.Option(help="The new issue the resident raised.")],
    on: DateOpt = None,
    expect_version: ExpectVersionOpt = None,
) -> None:
    """Add a new issue raised during the investigation to this case (Code 6.8).

    Refused once the stage's response is issued: log it as a new complaint with
    complaints log ... --related-to REF instead.

    Example: complaints fold SPRUCE001 --issue "Also reports the bathroom extractor fan is broken"
    """
    from complaints_cli.domain import process

    _on_day(
        ctx,
        reference,
        "fold",
        on,
        "date raised",
        lambda c, r, day: process.fold(c, r, issue=issue, on=day),
        expect_version,
    )


@app.command("link")
def link_cmd(
    ctx: typer.Context,
    reference: RefArg,
    to: Annotated[str, typer.Option("--to", help="The case the new issue was raised in.")],
    expect_version: ExpectVersionOpt = None,
) -> None:
    """Link a complaint to the case it was raised from as a new issue (Code 6.8).

    Example: complaints link SPRUCE012 --to SPRUCE001
    """
    from complaints_cli.domain import process
    from complaints_cli.store import reads

    cfg = settings(ctx)
    with open_raw(cfg) as db:
        other = reads.get_case(db, to)
    assert other.id is not None
    to_id = other.id
    apply_rule(
        ctx,
        reference,
        "link",
        lambda c, _a, r: process.link(c, r, to_id=to_id, to_reference=other.reference),
        expected_version=expect_version,
    )


@app.command("panel")
def panel_cmd(
    ctx: typer.Context,
    reference: RefArg,
    on: DateOpt = None,
    expect_version: ExpectVersionOpt = None,
) -> None:
    """Record when the Complaint Review Panel met (Southern Housing procedure 4.8.2).

    Example: complaints panel SPRUCE002 --date 20/03/2025
    """
    from complaints_cli.domain import process

    _on_day(
        ctx,
        reference,
        "panel",
        on,
        "meeting date",
        lambda c, r, day: process.panel_meeting(c, r, on=day),
        expect_version,
    )


@app.command("determination")
def determination_cmd(
    ctx: typer.Context,
    reference: RefArg,
    findings: Annotated[
        str, typer.Option(help="What the Ombudsman found (e.g. maladministration).")
    ],
    on: DateOpt = None,
    order: Annotated[
        list[str] | None,
        typer.Option(
            "--order",
            help="An order as 'TEXT;OWNER;DUE' (repeat for several; empty owner: handler).",
        ),
    ] = None,
    recommendation: Annotated[
        list[str] | None,
        typer.Option("--recommendation", help="A recommendation as 'TEXT;OWNER;DUE' (repeatable)."),
    ] = None,
    body: Annotated[
        str | None,
        typer.Option(help="HOS (Housing Ombudsman) or PRS [default: as referred, or HOS]."),
    ] = None,
    expect_version: ExpectVersionOpt = None,
) -> None:
    """Record the Ombudsman's determination; each order and recommendation is an action.

    They appear in complaints due until done (complaints action done REF N); the case
    cannot be closed while any is outstanding (Southern Housing procedure 4.10.7-4.10.8).

    Example: complaints determination SPRUCE002 --date 01/09/2025 --findings "Maladministration in repairs handling" --order "Pay £300 compensation;Sam Patel;29/09/2025" --recommendation "Review damp procedure;Jordan Blake;01/12/2025"
    """
    from complaints_cli.domain import process

    tf = Timeframes(ctx)
    day = tf.date(on, "determination date")

    from complaints_cli.domain.vocabulary import ActionKind

    def rule(c: Any, _a: Any, r: Any) -> Any:
        owner = c.stage2_handler or c.handler or "handler"
        new = [
            process.parse_action_spec(spec, kind, owner, tf.date, i)
            for kind, specs in (
                (ActionKind.ORDER, order),
                (ActionKind.RECOMMENDATION, recommendation),
            )
            for i, spec in enumerate(specs or [], 1)
        ]
        return process.determination(c, r, on=day, findings=findings, actions=new, body=body)

    apply_rule(ctx, reference, "determination", rule, tf, expected_version=expect_version)


@app.command("vulnerability")
def vulnerability_cmd(
    ctx: typer.Context,
    reference: RefArg,
    vulnerable: Annotated[
        bool | None,
        typer.Option("--vulnerable/--not-vulnerable", help="Whether the resident is vulnerable."),
    ] = None,
    contact: Annotated[
        str | None,
        typer.Option(help="Preferred contact method, e.g. 'phone, mornings' or 'large print'."),
    ] = None,
    adjustment: Annotated[
        list[str] | None,
        typer.Option("--adjustment", help="A reasonable adjustment agreed (repeatable)."),
    ] = None,
    notes: Annotated[
        str | None, typer.Option(help="Notes on the vulnerability ('' clears them).")
    ] = None,
    expect_version: ExpectVersionOpt = None,
) -> None:
    """Record vulnerability, preferred contact and reasonable adjustments (Code 6.1).

    Shown by complaints show; kept out of exports unless asked for.

    Example: complaints vulnerability SPRUCE003 --vulnerable --contact "phone, mornings" --adjustment "Letters in large print"
    """
    from complaints_cli.domain import process

    apply_rule(
        ctx,
        reference,
        "vulnerability",
        lambda c, _a, r: process.vulnerability(
            c,
            r,
            vulnerable=vulnerable,
            contact=contact,
            adjustments=adjustment or [],
            notes=notes,
        ),
        expected_version=expect_version,
    )


@signatory_app.command("add")
def signatory_add_cmd(
    ctx: typer.Context,
    reference: RefArg,
    name: Annotated[str, typer.Option(help="The signatory's name.")],
    address: Annotated[str, typer.Option(help="The signatory's address with postcode.")],
    lead: Annotated[
        bool,
        typer.Option("--lead", help="The lead petitioner (becomes the case's complainant)."),
    ] = False,
    on: DateOpt = None,
    fmt: FormatOpt = "table",
    expect_version: ExpectVersionOpt = None,
) -> None:
    """Add a signatory to a petition (Southern Housing procedure 4.11.1).

    Example: complaints signatory add SPRUCE006 --name "Raj Singh" --address "Flat 3, 1 Essex Brewery, E17 3AB"
    """
    from complaints_cli.domain import process

    fmt = check_format(fmt)
    tf = Timeframes(ctx)
    day = tf.date(on, "date added")
    if day > tf.today:
        raise ComplaintsError(f"date added {day:%d/%m/%Y} is in the future")
    who, where = process.signatory(name, address)
    with open_store(tf.settings) as store:
        ref, rows = store.add_signatory(
            reference,
            name=who,
            address=where,
            lead=lead,
            added=day,
            actor=tf.settings.user.value,
            check=process.require_petition,
            expected_version=expect_version,
        )
    if fmt == "table":
        from complaints_cli.domain.text import terminal_safe

        typer.echo(terminal_safe(f"{ref}: {who} added{' as the lead petitioner' if lead else ''}"))
    _signatories(ref, [r._asdict() for r in rows], fmt)


@signatory_app.command("list")
def signatory_list_cmd(ctx: typer.Context, reference: RefArg, fmt: FormatOpt = "table") -> None:
    """List a petition's signatories, the lead petitioner first.

    Example: complaints signatory list SPRUCE006
    """
    from complaints_cli.domain import process
    from complaints_cli.store import reads

    fmt = check_format(fmt)
    with open_raw(settings(ctx)) as db:
        case = reads.get_case(db, reference)
        assert case.id is not None
        process.require_petition(case)
        rows = [r._asdict() for r in reads.signatories(db, case.id)]
    _signatories(case.reference, rows, fmt)


@app.command("compliment")
def compliment_cmd(
    ctx: typer.Context,
    from_name: Annotated[str, typer.Option("--from", help="Who paid the compliment.")],
    about: Annotated[str, typer.Option(help="The staff member or team it is about.")],
    received: Annotated[
        str | None, typer.Option(help="When it was received [default: today].")
    ] = None,
    channel: Annotated[
        str | None,
        typer.Option(help="How: email, phone, letter, in person, website, social media."),
    ] = None,
    details: Annotated[str | None, typer.Option(help="What was said.")] = None,
) -> None:
    """Record a compliment (Spruce policy, section 3); the EMT report counts them.

    Example: complaints compliment --from "Ann Lee" --about "Sam Patel" --received 10/03/2025 --channel email --details "Thanked Sam for the quick repair"
    """
    from complaints_cli.domain import process
    from complaints_cli.domain.dates import parse_date

    cfg = settings(ctx)
    day = today()
    when = day if received is None else parse_date(received, what="date received", today=day)
    found = process.compliment(
        from_name=from_name,
        about=about,
        received=when,
        channel=channel,
        details=details,
        today=day,
    )
    with open_store(cfg) as store:
        number = store.add_compliment(found, actor=cfg.user.value)
    typer.echo(
        f"Compliment {number} recorded: from {found.from_name} about {found.about}, "
        f"received {when:%d/%m/%Y}. Acknowledge it and tell {found.about} (policy 3.3)."
    )


@app.command("compliments")
def compliments_cmd(
    ctx: typer.Context,
    month: Annotated[
        str | None, typer.Option(help="Only this month: yyyy-mm or mm/yyyy.", metavar="MONTH")
    ] = None,
    about: Annotated[str | None, typer.Option(help="Only those about this person/team.")] = None,
    fmt: FormatOpt = "table",
) -> None:
    """List compliments received, oldest first.

    Example: complaints compliments --month 2025-03
    """
    from complaints_cli.render.listing import output_rows
    from complaints_cli.store import reads

    fmt = check_format(fmt)
    start, end = (None, None) if month is None else _month(month)
    with open_raw(settings(ctx)) as db:
        who = None
        if about is not None:  # a misspelt name is an error, never "No compliments"
            from complaints_cli.domain.filters import match_person

            who = match_person(
                about,
                reads.compliment_subjects(db),
                "--about",
                noun="anyone a compliment is about",
                nobody="no compliment has been recorded yet",
            )
        rows = reads.compliments(db, start=start, end=end, about=who)
    output_rows(
        rows,
        ("id", "received", "from_name", "about", "channel", "details")
        if fmt == "table"
        else ("id", "received", "from_name", "about", "channel", "details", "actor"),
        fmt,
        headers={
            "id": "#",
            "received": "Received",
            "from_name": "From",
            "about": "About",
            "channel": "Channel",
            "details": "Details",
        },
        text=_text,
        title=f"{len(rows)} compliment{'s' * (len(rows) != 1)}"
        + (f" in {start:%B %Y}" if start else ""),
        empty="No compliments recorded." if month is None else "No compliments that month.",
        no_wrap=("id", "received"),
    )


def _month(text: str) -> tuple[date, date]:
    """``2025-03`` or ``03/2025`` -> the first day of that month and of the next."""
    import re

    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*|\s*(\d{1,2})/(\d{4})\s*", text)
    if m is None:
        raise ComplaintsError(f"--month {text!r} must be yyyy-mm or mm/yyyy, e.g. 2025-03")
    year, month = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), int(m[3]))
    if not 1 <= month <= 12:
        raise ComplaintsError(f"--month {text!r}: there is no month {month}")
    from complaints_cli.domain.dates import MAX_YEAR, MIN_YEAR

    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ComplaintsError(
            f"--month {text!r} is not between {MIN_YEAR} and {MAX_YEAR}: check the year"
        )
    start = date(year, month, 1)
    return start, date(year + (month == 12), month % 12 + 1, 1)


def _text(_column: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "lead" if value else ""
    return str(value)


def _signatories(reference: str, rows: list[dict[str, Any]], fmt: str) -> None:
    from complaints_cli.render.listing import output_rows

    output_rows(
        rows,
        ("name", "address", "lead", "added"),
        fmt,
        headers={"name": "Name", "address": "Address", "lead": "Lead", "added": "Added"},
        text=_text,
        title=f"{reference}: {len(rows)} signator{'ies' if len(rows) != 1 else 'y'}",
        empty=f"{reference} has no signatories yet.",
    )
