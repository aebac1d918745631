"""The case lifecycle and its deadlines: acknowledge, extend, respond, escalate, close, due."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from complaints_cli.cli.options import (
    ExpectVersionOpt,
    FormatOpt,
    check_format,
    open_raw,
    open_store,
    settings,
    today,
)
from complaints_cli.errors import ComplaintsError

if TYPE_CHECKING:
    from complaints_cli.domain.case import Action, Case
    from complaints_cli.domain.rules import Change, NewAction, Rules

#: A rule as the commands give it: (case, its actions, the rules) -> the change.
CaseRule = Callable[["Case", Sequence["Action"], "Rules"], "Change"]

RefArg = Annotated[str, typer.Argument(help="The complaint reference, e.g. SPRUCE001.")]
DateOpt = Annotated[
    str | None, typer.Option("--date", help="When: dd/mm/yyyy or yyyy-mm-dd [default: today].")
]


class Timeframes:
    """The team's profile and calendar for this run, and today's date."""

    def __init__(self, ctx: typer.Context) -> None:
        from complaints_cli.domain.timeframes import calendar_for, deadlines_key, profile_for

        self.settings = settings(ctx)
        self.today = today()
        self.profile = profile_for(self.settings)
        self.calendar = calendar_for(self.settings)
        self.key = deadlines_key(self.settings, self.profile)

    def rules(self) -> Rules:
        from complaints_cli.domain.rules import Rules

        return Rules(self.profile, self.calendar, self.today)

    def deadlines(self, case: Case) -> Case:
        from complaints_cli.domain.lifecycle import stored_deadlines

        return stored_deadlines(case, self.profile, self.calendar, self.key)

    def date(self, text: str | None, what: str) -> date:
        from complaints_cli.domain.dates import parse_date

        return self.today if text is None else parse_date(text, what=what, today=self.today)


def next_lines(case: Case, tf: Timeframes, as_of: date) -> list[str]:
    """``Next: Stage 1 response due Fri 21/02/2025 (4 working days)`` for each open milestone."""
    from complaints_cli.domain.deadlines import CaseDates, next_milestones

    out = []
    for m in next_milestones(CaseDates.of(case), tf.profile, tf.calendar, as_of=as_of):
        left = m.working_days_left
        when = "overdue by" if left is not None and left < 0 else "in"
        count = abs(left) if left is not None else 0
        out.append(f"Next: {m.label}, due {m.deadline:%a %d/%m/%Y} ({when} {count} working day(s))")
    return out


def _apply(
    ctx: typer.Context,
    reference: str,
    command: str,
    rule: CaseRule,
    tf: Timeframes | None = None,
    *,
    expected_version: int | None = None,
) -> None:
    """Run one lifecycle rule on one case in one transaction, then say what happened.

    With ``expected_version`` (``--expect-version``) the change is refused, and nothing saved,
    when another handler changed the case after this handler read it.
    """
    tf = tf or Timeframes(ctx)
    rules = tf.rules()
    with open_store(tf.settings) as store:
        case, change = store.change(
            reference,
            actor=tf.settings.user.value,
            command=command,
            rule=lambda c, actions: rule(c, actions, rules),
            deadlines=tf.deadlines,
            expected_version=expected_version,
        )
    typer.echo(f"{case.reference}: {command} recorded ({case.status}, {case.stage})")
    for message in change.messages:
        typer.echo(message)
    for warning in change.warnings:
        typer.echo(f"complaints: warning: {warning}", err=True)
    for line in next_lines(case, tf, tf.today):
        typer.echo(line)


def _actions(
    texts: list[str], dues: list[str], owners: list[str], default_owner: str | None, tf: Timeframes
) -> list[NewAction]:
    from complaints_cli.domain.rules import NewAction
    from complaints_cli.domain.text import optional_text, required_text

    if len(dues) != len(texts):
        raise ComplaintsError(
            f"give one --action-due for each --action ({len(texts)} action(s), {len(dues)} date(s))"
        )
    if owners and len(owners) != len(texts):
        raise ComplaintsError(
            "give one --action-owner for each --action, or none (the handler owns them)"
        )
    out = []
    for i, text in enumerate(texts):
        what = required_text(text, f"--action {i + 1}", hint=": give the action's text")
        due = tf.date(dues[i], f"due date of action {i + 1}")
        owner = optional_text(owners[i] if owners else default_owner, f"--action-owner {i + 1}")
        out.append(NewAction(what, owner or "handler", due))
    return out


def register(app: Any) -> None:
    """Add the lifecycle and deadline commands to ``app``."""
    action_app = typer.Typer(
        help="Actions promised in a response.", no_args_is_help=True, rich_markup_mode=None
    )
    app.add_typer(action_app, name="action")

    @app.command("acknowledge")
    def acknowledge_cmd(
        ctx: typer.Context,
        reference: RefArg,
        on: DateOpt = None,
        summary: Annotated[
            str | None,
            typer.Option(
                help="Summary of the complaint (column 9); required unless logged with one."
            ),
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
        _apply(
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
        reason: Annotated[str, typer.Option(help="Why more time is needed (column 12 or 21).")],
        days: Annotated[
            int | None,
            typer.Option(
                help="Working days beyond the original deadline [default: the profile's limit]."
            ),
        ] = None,
        new_date: Annotated[
            str | None, typer.Option("--new-date", help="The new deadline instead of --days.")
        ] = None,
        told: Annotated[
            bool,
            typer.Option(
                "--told",
                help="The resident was told, with the Ombudsman's contact details (Code 6.4).",
            ),
        ] = False,
        beyond_cap: Annotated[
            str | None,
            typer.Option(
                "--beyond-cap", help="Why an extension beyond the profile's limit is justified."
            ),
        ] = None,
        expect_version: ExpectVersionOpt = None,
    ) -> None:
        """Extend the response deadline of the stage the case is at, within the profile's limit.

        Example: complaints extend SPRUCE001 --reason "Awaiting the contractor's damp survey" --days 10 --told
        """
        from complaints_cli.domain import lifecycle

        tf = Timeframes(ctx)
        target = None if new_date is None else tf.date(new_date, "new date")
        if target is not None and target <= tf.today:
            raise ComplaintsError(f"the new date {target:%d/%m/%Y} must be after today")
        _apply(
            ctx,
            reference,
            "extend",
            lambda c, _a, r: lifecycle.extend(
                c, r, reason=reason, days=days, new_date=target, told=told, beyond_cap=beyond_cap
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
        expect_version: ExpectVersionOpt = None,
    ) -> None:
        """Record the response at the case's stage (Stage 1: columns 11, 13-15; Stage 2: 20, 22, 23).

        Example: complaints respond SPRUCE001 --date 14/02/2025 --summary "Upheld: repair booked" --compensation 50 --compensation-reason "time and trouble" --action "Replace extractor fan" --action-due 28/02/2025
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

        def rule(c: Case, _a: Sequence[Action], r: Rules) -> Change:
            owner = c.stage2_handler if c.stage is Stage.STAGE_2 else c.handler
            new = _actions(action or [], action_due or [], action_owner or [], owner, tf)
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
            )

        _apply(ctx, reference, "respond", rule, tf, expected_version=expect_version)

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

        tf = Timeframes(ctx)
        day = tf.date(received, "escalation date")
        _apply(
            ctx,
            reference,
            "escalate",
            lambda c, _a, r: lifecycle.escalate(
                c, r, received=day, review=review, details=details, handler=handler
            ),
            tf,
            expected_version=expect_version,
        )

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

        _apply(ctx, reference, "update", rule, tf, expected_version=expect_version)

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
        _apply(
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
            typer.Option(
                "--force", help="Close although actions are outstanding (needs --reason)."
            ),
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

        _apply(ctx, reference, "close", rule, tf, expected_version=expect_version)

    @app.command("reopen")
    def reopen_cmd(
        ctx: typer.Context,
        reference: RefArg,
        reason: Annotated[
            str | None, typer.Option(help="Why it is reopened (kept in the history).")
        ] = None,
        expect_version: ExpectVersionOpt = None,
    ) -> None:
        """Reopen a closed case (to escalate it, or to correct it).

        Example: complaints reopen SPRUCE001 --reason "Resident escalated within the time limit"
        """
        from complaints_cli.domain import lifecycle

        _apply(
            ctx,
            reference,
            "reopen",
            lambda c, _a, r: lifecycle.reopen(c, r, reason=reason),
            expected_version=expect_version,
        )

    @app.command("learning")
    def learning_cmd(
        ctx: typer.Context,
        reference: RefArg,
        text: Annotated[str, typer.Argument(help="What the organisation learned (column 24).")],
        replace: Annotated[
            bool, typer.Option("--replace", help="Replace the learning instead of adding to it.")
        ] = False,
        expect_version: ExpectVersionOpt = None,
    ) -> None:
        """Record organisational learning (column 24), at any time, on a closed case too.

        Example: complaints learning SPRUCE001 "Contractor appointments to be confirmed by text"
        """
        from complaints_cli.domain import lifecycle

        _apply(
            ctx,
            reference,
            "learning",
            lambda c, _a, r: lifecycle.learning(c, r, text=text, replace_existing=replace),
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
        from complaints_cli.domain import lifecycle

        tf = Timeframes(ctx)
        ref_d = None if referred is None else tf.date(referred, "referral date")
        req_d = None if requested is None else tf.date(requested, "evidence request date")
        sent_d = None if evidence_sent is None else tf.date(evidence_sent, "evidence date")
        _apply(
            ctx,
            reference,
            "ombudsman",
            lambda c, _a, r: lifecycle.ombudsman(
                c, r, referred=ref_d, requested=req_d, evidence_sent=sent_d, body=body
            ),
            tf,
            expected_version=expect_version,
        )

    @app.command("due")
    def due_cmd(
        ctx: typer.Context,
        within: Annotated[int, typer.Option(help="Working days ahead to look.")] = 5,
        overdue: Annotated[bool, typer.Option("--overdue", help="Only what is overdue.")] = False,
        handler: Annotated[
            str | None, typer.Option(help="Only this handler's cases and actions.")
        ] = None,
        as_of: Annotated[
            str | None, typer.Option("--as-of", help="Pretend today is this date.")
        ] = None,
        explain: Annotated[
            str | None,
            typer.Option(
                "--explain",
                help="Show how each deadline of this case was worked out.",
                metavar="REF",
            ),
        ] = None,
        fmt: FormatOpt = "table",
    ) -> None:
        """What is due and overdue, most urgent first (overdue red, due within 2 working days amber).

        Example: complaints due --within 10 --handler "Sam Patel"
        """
        from complaints_cli.store import due as due_core

        fmt = check_format(fmt)
        if within < 0:
            raise ComplaintsError(f"--within {within} must be 0 or more working days")
        tf = Timeframes(ctx)
        day = tf.date(as_of, "--as-of date")
        with open_raw(tf.settings) as db:
            if explain:
                _explain(db, explain, tf, day)
                return
            items = due_core.due_items(
                db,
                tf.profile,
                tf.calendar,
                key=tf.key,
                as_of=day,
                within=within,
                overdue_only=overdue,
                handler=handler,
            )
        from complaints_cli.render.listing import output_rows

        def style(item: dict[str, Any]) -> str | None:
            left = item["working_days_left"]
            return (
                "red"
                if item["state"] != "pending"
                else ("yellow" if left is not None and left <= 2 else None)
            )

        headers = {
            "reference": "Reference",
            "milestone": "Milestone",
            "due": "Due",
            "working_days_left": "Days left",
            "handler": "Handler",
            "stage": "Stage",
            "state": "State",
            "key": "Key",
        }
        columns = (
            due_core.DUE_FIELDS
            if fmt != "table"
            else ("reference", "milestone", "due", "working_days_left", "handler", "stage")
        )
        output_rows(
            items,
            columns,
            fmt,
            headers=headers,
            text=_due_text,
            styles=style,
            title=f"Due by {tf.calendar.add_working_days(day, within) if within else day:%a %d/%m/%Y} (as of {day:%d/%m/%Y})",
            empty="Nothing due." if not overdue else "Nothing overdue.",
            no_wrap=("reference", "due", "working_days_left", "stage"),
        )

    @app.command("calendar")
    def calendar_cmd(
        ctx: typer.Context,
        year: Annotated[int | None, typer.Option(help="The year [default: this year].")] = None,
        fmt: FormatOpt = "table",
    ) -> None:
        """The non-working weekdays in force (bank holidays, office closures) and where each comes from.

        Example: complaints calendar --year 2026
        """
        fmt = check_format(fmt)
        tf = Timeframes(ctx)
        y = year or tf.today.year
        if not 1990 <= y <= 2100:
            raise ComplaintsError(f"--year {y} is out of range (1990-2100)")
        from complaints_cli.render.listing import output_rows

        rows = [
            {"date": d.day, "weekday": d.day.strftime("%A"), "reason": d.reason, "source": d.source}
            for d in tf.calendar.non_working_days(y)
        ]
        output_rows(
            rows,
            ("date", "weekday", "reason", "source"),
            fmt,
            text=_due_text,
            title=f"Non-working weekdays in {y} ({tf.calendar.nation}); weekends are never working days",
        )


def _due_text(column: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%a %d/%m/%Y")
    return str(value)


def _explain(db: Any, reference: str, tf: Timeframes, as_of: date) -> None:
    from complaints_cli.domain.deadlines import explain_milestones
    from complaints_cli.store.reads import get_case

    case = get_case(db, reference)
    typer.echo(
        f"{case.reference}: {case.status}, {case.stage}; profile {tf.profile.name}, "
        f"{tf.calendar.nation}; as of {as_of:%a %d/%m/%Y}"
    )
    explained = explain_milestones(case, tf.profile, tf.calendar, as_of=as_of)
    if not explained:
        typer.echo("No deadlines apply.")
    for item in explained:
        for line in item.lines():
            typer.echo(line)
