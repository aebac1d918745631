"""The case's life through the log's 24 columns: acknowledge, extend, respond, escalate, update,
close, reopen, learning, the Ombudsman, and actions (``action done``).

Each command parses its options, runs one rule of :mod:`complaints_cli.domain.lifecycle` on one
case in one transaction (:func:`~complaints_cli.cli.options.apply_rule`) and prints what
happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from complaints_cli.cli.options import (
    DateOpt,
    ExpectVersionOpt,
    RefArg,
    Timeframes,
    apply_rule,
    known_handler,
    new_actions,
    new_app,
    new_handler_warning,
    open_raw,
    respelled_note,
    warn,
)
from complaints_cli.errors import ComplaintsError

if TYPE_CHECKING:
    from complaints_cli.domain.case import Action, Case
    from complaints_cli.domain.rules import Change, Rules

app = new_app()
action_app = new_app(name="action", help="Actions promised in a response.", no_args_is_help=True)


@app.command("acknowledge")
def acknowledge_cmd(
    ctx: typer.Context,
    reference: RefArg,
    on: DateOpt = None,
    summary: Annotated[
        str | None,
        typer.Option(help="Summary of the complaint (column 9); required unless logged with one."),
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option(help="Why it was late: required when the timeframe was missed."),
    ] = None,
    expect_version: ExpectVersionOpt = None,
) -> None:
    """Record the acknowledgement (columns 8-10; at Stage 2, the Stage 2 acknowledgement).

    Whether it met the timeframe is worked out from the profile, never typed.

    Example: complaints acknowledge SPRUCE001 --date 05/02/2025 --summary "Damp in the bathroom not repaired"
    """
    from complaints_cli.domain import lifecycle

    tf = Timeframes(ctx)
    day = tf.date(on, "acknowledgement date")
    apply_rule(
        ctx,
        reference,
        "acknowledge",
        lambda c, _a, r: lifecycle.acknowledge(c, r, on=day, summary=summary, reason=reason),
        tf,
        expected_version=expect_version,
    )


@app.command("extend")
def extend_cmd(
    ctx: typer.Context,
    reference: RefArg,
    reason: Annotated[
        str | None,
        typer.Option(
            help="Why more time is needed (column 12 or 21); not needed with --told alone."
        ),
    ] = None,
    days: Annotated[
        int | None,
        typer.Option(
            help="Working days beyond the original deadline [default: the profile's limit]."
        ),
    ] = None,
    new_date: Annotated[
        str | None, typer.Option("--new-date", help="The new deadline instead of --days.")
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="When the extension was agreed (or, with --told alone, when the resident was "
            "told) [default: today].",
        ),
    ] = None,
    told: Annotated[
        bool,
        typer.Option(
            "--told",
            help="The resident was told, with the Ombudsman's contact details (Code 6.4); without "
            "it the extension does not count until told. Alone (no --reason): record that for "
            "the extension already recorded.",
        ),
    ] = False,
    late: Annotated[
        str | None,
        typer.Option(
            "--late",
            help="Record an extension agreed after the deadline it extends, and why (it does "
            "not count).",
            metavar="REASON",
        ),
    ] = None,
    beyond_cap: Annotated[
        str | None,
        typer.Option(
            "--beyond-cap", help="Why an extension beyond the profile's limit is justified."
        ),
    ] = None,
    expect_version: ExpectVersionOpt = None,
) -> None:
    """Extend the response deadline of the stage the case is at, within the profile's limit.

    The extension must be agreed (and the resident told) within the deadline it extends (Code
    6.4): one agreed later is refused unless --late REASON, and then it does not count. Record
    afterwards that the resident was told with --told alone.

    Example: complaints extend SPRUCE001 --reason "Awaiting the contractor's damp survey" --days 10 --told
    """
    from complaints_cli.domain import extensions

    tf = Timeframes(ctx)
    day = tf.date(on, "--date")
    if reason is None and told and days is None and new_date is None and late is None:
        apply_rule(
            ctx,
            reference,
            "extension told",
            lambda c, _a, r: extensions.extension_told(c, r, on=day),
            tf,
            expected_version=expect_version,
        )
        return
    if reason is None:
        raise ComplaintsError(
            "--reason is required: the log records why the extension was needed (or give "
            "--told alone to record that the resident was told)"
        )
    target = None if new_date is None else tf.date(new_date, "new date")
    if target is not None and target <= day:
        agreed = "today" if day == tf.today else f"the day it was agreed ({day:%d/%m/%Y})"
        raise ComplaintsError(f"the new date {target:%d/%m/%Y} must be after {agreed}")
    apply_rule(
        ctx,
        reference,
        "extend",
        lambda c, _a, r: extensions.extend(
            c,
            r,
            reason=reason,
            days=days,
            new_date=target,
            told=told,
            beyond_cap=beyond_cap,
            agreed=day,
            late=late,
        ),
        tf,
        expected_version=expect_version,
    )


@app.command("respond")
def respond_cmd(
    ctx: typer.Context,
    reference: RefArg,
    summary: Annotated[
        str, typer.Option(help="What the response decided, and why (column 14 or 23).")
    ],
    on: DateOpt = None,
    stage: Annotated[
        str | None, typer.Option(help="'1' or '2': refuse if the case is not at this stage.")
    ] = None,
    compensation: Annotated[
        str | None, typer.Option(help="Compensation offered, in pounds: 250 or £1,250.00.")
    ] = None,
    compensation_reason: Annotated[
        str | None,
        typer.Option("--compensation-reason", help="Why, under the compensation framework."),
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option(help="Why it was late: required when the timeframe was missed."),
    ] = None,
    action: Annotated[
        list[str] | None,
        typer.Option("--action", help="An action promised (repeat for several)."),
    ] = None,
    action_due: Annotated[
        list[str] | None,
        typer.Option("--action-due", help="When each action is due, in order."),
    ] = None,
    action_owner: Annotated[
        list[str] | None,
        typer.Option("--action-owner", help="Who owns each action [default: the handler]."),
    ] = None,
    outcome: Annotated[
        str | None,
        typer.Option(
            help="What the stage decided: upheld, partly upheld, not upheld or resolved "
            "(reported to the governing body, Code 8.1)."
        ),
    ] = None,
    paid: Annotated[
        str | None,
        typer.Option(
            help="When the compensation was paid, if already paid [later: complaints "
            "compensation paid]."
        ),
    ] = None,
    expect_version: ExpectVersionOpt = None,
) -> None:
    """Record the response at the case's stage (Stage 1: columns 11, 13-15; Stage 2: 20, 22, 23).

    Example: complaints respond SPRUCE001 --date 14/02/2025 --summary "Upheld: repair booked" --outcome upheld --compensation 50 --compensation-reason "time and trouble" --action "Replace extractor fan" --action-due 28/02/2025
    """
    from complaints_cli.domain import lifecycle

    tf = Timeframes(ctx)
    day = tf.date(on, "response date")
    from complaints_cli.domain.money import parse_amount
    from complaints_cli.domain.vocabulary import Stage

    wanted = None
    if stage is not None:
        wanted = {
            "1": Stage.STAGE_1,
            "2": Stage.STAGE_2,
            "stage 1": Stage.STAGE_1,
            "stage 2": Stage.STAGE_2,
        }.get(stage.strip().lower())
        if wanted is None:
            raise ComplaintsError(f"--stage {stage!r} must be 1 or 2")
    amount = None if compensation is None else parse_amount(compensation)
    from complaints_cli.domain.classification import parse_outcome, recorded_outcomes

    decided = None if outcome is None else parse_outcome(outcome, shown=recorded_outcomes)
    paid_on = None if paid is None else tf.date(paid, "payment date")

    def rule(c: Case, _a: Sequence[Action], r: Rules) -> Change:
        owner = c.stage2_handler if c.stage is Stage.STAGE_2 else c.handler
        new = new_actions(action or [], action_due or [], action_owner or [], owner, tf)
        return lifecycle.respond(
            c,
            r,
            on=day,
            summary=summary,
            stage=wanted,
            compensation=amount,
            compensation_reason=compensation_reason,
            reason=reason,
            actions=new,
            outcome=decided,
            paid=paid_on,
        )

    apply_rule(ctx, reference, "respond", rule, tf, expected_version=expect_version)


@app.command("escalate")
def escalate_cmd(
    ctx: typer.Context,
    reference: RefArg,
    received: Annotated[
        str, typer.Option(help="When the escalation request was received (column 17).")
    ],
    review: Annotated[
        str, typer.Option(help="What the resident seeks: manager, compensation (or panel).")
    ],
    details: Annotated[str, typer.Option(help="Why the resident remains unhappy (column 18).")],
    handler: Annotated[
        str, typer.Option(help="The Stage 2 handler: never the Stage 1 handler (column 19).")
    ],
    expect_version: ExpectVersionOpt = None,
) -> None:
    """Escalate to Stage 2 (columns 16-19), reviewed by someone not involved at Stage 1.

    Example: complaints escalate SPRUCE001 --received 03/03/2025 --review manager --details "Repair still not done" --handler "Jordan Blake"
    """
    from complaints_cli.domain import lifecycle
    from complaints_cli.store.lookups import people

    tf = Timeframes(ctx)
    day = tf.date(received, "escalation date")
    with open_raw(tf.settings) as db:  # the log's handlers before this one: a typo is warned of
        handlers = people(db, owners=False)
    typed, respelled = " ".join(handler.split()), known_handler(handler, handlers)
    handler = respelled or handler
    case, _change = apply_rule(
        ctx,
        reference,
        "escalate",
        lambda c, _a, r: lifecycle.escalate(
            c, r, received=day, review=review, details=details, handler=handler
        ),
        tf,
        expected_version=expect_version,
    )
    if respelled is not None:  # said once the escalation is saved
        respelled_note("Stage 2 handler", typed, respelled)
    typo = new_handler_warning(
        case.stage2_handler or handler, handlers, case.reference, "--stage2-handler"
    )
    if typo is not None:
        warn(typo)


@app.command("update")
def update_cmd(
    ctx: typer.Context,
    reference: RefArg,
    note: Annotated[
        str, typer.Option(help="What the resident was told about the outstanding actions.")
    ],
    on: DateOpt = None,
    expect_version: ExpectVersionOpt = None,
) -> None:
    """Record a contact with the resident about outstanding actions (weekly, Code 6.6).

    Example: complaints update SPRUCE001 --note "Phoned: fan fitting booked for Tuesday"
    """
    from complaints_cli.domain import lifecycle

    tf = Timeframes(ctx)
    day = tf.date(on, "update date")

    def rule(c: Case, actions: Sequence[Action], r: Rules) -> Change:
        outstanding = sum(1 for a in actions if a.done is None)
        return lifecycle.update(c, r, on=day, note=note, outstanding=outstanding)

    apply_rule(ctx, reference, "update", rule, tf, expected_version=expect_version)


@action_app.command("done")
def action_done_cmd(
    ctx: typer.Context,
    reference: RefArg,
    number: Annotated[
        int, typer.Argument(help="The action's number, as `complaints show` lists it.")
    ],
    on: DateOpt = None,
    expect_version: ExpectVersionOpt = None,
) -> None:
    """Mark an action done.

    Example: complaints action done SPRUCE001 1
    """
    from complaints_cli.domain import lifecycle

    tf = Timeframes(ctx)
    day = tf.date(on, "completion date")
    apply_rule(
        ctx,
        reference,
        "action done",
        lambda c, a, r: lifecycle.action_done(c, r, number=number, on=day, actions=a),
        tf,
        expected_version=expect_version,
    )


@app.command("close")
def close_cmd(
    ctx: typer.Context,
    reference: RefArg,
    on: DateOpt = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Close although actions are outstanding (needs --reason)."),
    ] = False,
    reason: Annotated[
        str | None, typer.Option(help="Why a case with outstanding actions is closed.")
    ] = None,
    expect_version: ExpectVersionOpt = None,
) -> None:
    """Close a case; refused while actions are outstanding unless forced with a reason.

    Example: complaints close SPRUCE001
    """
    from complaints_cli.domain import lifecycle

    tf = Timeframes(ctx)
    day = tf.date(on, "closing date")
    if force and not (reason or "").strip():
        raise ComplaintsError("--force needs --reason: why close with actions outstanding")

    def rule(c: Case, actions: Sequence[Action], r: Rules) -> Change:
        outstanding = sum(1 for a in actions if a.done is None)
        return lifecycle.close(
            c, r, on=day, outstanding=outstanding, force_reason=reason if force else None
        )

    apply_rule(ctx, reference, "close", rule, tf, expected_version=expect_version)


@app.command("reopen")
def reopen_cmd(
    ctx: typer.Context,
    reference: RefArg,
    reason: Annotated[
        str | None, typer.Option(help="Why it is reopened (kept in the history).")
    ] = None,
    on: DateOpt = None,
    expect_version: ExpectVersionOpt = None,
) -> None:
    """Reopen a closed case (to escalate it, or to correct it).

    Example: complaints reopen SPRUCE001 --reason "Resident escalated within the time limit"
    """
    from complaints_cli.domain import lifecycle

    tf = Timeframes(ctx)
    day = tf.date(on, "reopening date")
    apply_rule(
        ctx,
        reference,
        "reopen",
        lambda c, a, r: lifecycle.reopen(
            c, r, reason=reason, outstanding=sum(1 for x in a if x.done is None), on=day
        ),
        tf,
        expected_version=expect_version,
    )


@app.command("learning")
def learning_cmd(
    ctx: typer.Context,
    reference: RefArg,
    text: Annotated[
        str | None, typer.Argument(help="What the organisation learned (column 24).")
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace the learning instead of adding to it.")
    ] = False,
    draft_email: Annotated[
        bool,
        typer.Option(
            "--draft-email",
            help="Also write the learning as an e-mail draft (.eml) to the config's "
            "learning_recipients into the case folder.",
        ),
    ] = False,
    sent: Annotated[
        bool, typer.Option("--sent", help="Record that the learning was sent (--date: when).")
    ] = False,
    on: DateOpt = None,
    expect_version: ExpectVersionOpt = None,
) -> None:
    """Record organisational learning (column 24), at any time, on a closed case too.

    --date is the day the learning was recorded (and, with --sent, sent); default today.

    Example: complaints learning SPRUCE001 "Contractor appointments to be confirmed by text"
    """
    from complaints_cli.domain import lifecycle

    if text is None and not (draft_email or sent):
        raise ComplaintsError("give the learning's TEXT (or --draft-email, or --sent)")
    tf = Timeframes(ctx)
    draft = None
    if draft_email:
        from complaints_cli.cli.handler_mail import LearningDraft

        draft = LearningDraft(ctx, reference)  # refused here, before anything is saved
    if text is not None:
        learned = tf.date(on, "learning date")
        apply_rule(
            ctx,
            reference,
            "learning",
            lambda c, _a, r: lifecycle.learning(
                c, r, text=text, replace_existing=replace, on=learned
            ),
            tf,
            expected_version=expect_version,
        )
        expect_version = None  # the version checked; the next change follows this one
    if draft is not None:
        draft.write()
    if sent:
        from complaints_cli.domain.handler_mail import mark_learning_sent

        day = tf.date(on, "date sent")
        apply_rule(
            ctx,
            reference,
            "learning sent",
            lambda c, _a, r: mark_learning_sent(c, r, on=day),
            tf,
            expected_version=expect_version,
        )


@app.command("ombudsman")
def ombudsman_cmd(
    ctx: typer.Context,
    reference: RefArg,
    referred: Annotated[
        str | None, typer.Option(help="When the resident referred the case.")
    ] = None,
    requested: Annotated[
        str | None,
        typer.Option(help="When the Ombudsman asked for evidence (due in 15 working days)."),
    ] = None,
    evidence_sent: Annotated[
        str | None, typer.Option("--evidence-sent", help="When the evidence was sent.")
    ] = None,
    body: Annotated[
        str | None,
        typer.Option(help="HOS (Housing Ombudsman, default) or PRS (Property Redress Scheme)."),
    ] = None,
    expect_version: ExpectVersionOpt = None,
) -> None:
    """Record a referral to the Ombudsman, its request for evidence, and our reply.

    Example: complaints ombudsman SPRUCE001 --requested 02/06/2025
    """
    from complaints_cli.domain import ombudsman_stage

    tf = Timeframes(ctx)
    ref_d = None if referred is None else tf.date(referred, "referral date")
    req_d = None if requested is None else tf.date(requested, "evidence request date")
    sent_d = None if evidence_sent is None else tf.date(evidence_sent, "evidence date")
    apply_rule(
        ctx,
        reference,
        "ombudsman",
        lambda c, _a, r: ombudsman_stage.ombudsman(
            c, r, referred=ref_d, requested=req_d, evidence_sent=sent_d, body=body
        ),
        tf,
        expected_version=expect_version,
    )
