"""Putting a record right without losing it: ``correct``, ``withdraw``, ``void``.

The rules are in :mod:`complaints_cli.domain.corrections`; each command runs one rule on one
case in one transaction (the history keeps the old and new values and the reason).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from complaints_cli.cli.options import (
    DateOpt,
    ExpectVersionOpt,
    RefArg,
    Timeframes,
    apply_rule,
    new_app,
    new_handler_warning,
    open_raw,
    open_store,
    respelled_note,
    warn,
)
from complaints_cli.errors import ComplaintsError

if TYPE_CHECKING:
    from complaints_cli.domain.case import Case

app = new_app()


def _opt(name: str, help: str) -> Any:
    return typer.Option(name, help=help, show_default=False)


@app.command("correct")
def correct_cmd(
    ctx: typer.Context,
    reference: RefArg,
    reason: Annotated[
        str | None, _opt("--reason", "Why the record is corrected (required).")
    ] = None,
    complainant: Annotated[str | None, _opt("--complainant", "Column 5.")] = None,
    address: Annotated[
        str | None, _opt("--address", "Column 6 (the case folder is renamed to match).")
    ] = None,
    received: Annotated[str | None, _opt("--received", "Column 7: the date received.")] = None,
    handler: Annotated[str | None, _opt("--handler", "Column 4: the Stage 1 handler.")] = None,
    channel: Annotated[str | None, _opt("--channel", "How it came in.")] = None,
    summary: Annotated[str | None, _opt("--summary", "Column 9.")] = None,
    events_date: Annotated[
        str | None, _opt("--events-date", "When the events complained of happened.")
    ] = None,
    acknowledged: Annotated[str | None, _opt("--acknowledged", "Column 8.")] = None,
    responded: Annotated[str | None, _opt("--responded", "Column 11.")] = None,
    response_summary: Annotated[str | None, _opt("--response-summary", "Column 14.")] = None,
    compensation: Annotated[str | None, _opt("--compensation", "Column 15: the amount.")] = None,
    compensation_reason: Annotated[
        str | None, _opt("--compensation-reason", "Column 15: the reasons.")
    ] = None,
    compensation_paid: Annotated[
        str | None, _opt("--compensation-paid", "When the Stage 1 compensation was paid.")
    ] = None,
    outcome: Annotated[
        str | None,
        _opt("--outcome", "Stage 1 outcome: upheld, partly upheld, not upheld, resolved."),
    ] = None,
    escalation_received: Annotated[str | None, _opt("--escalation-received", "Column 17.")] = None,
    escalation_details: Annotated[str | None, _opt("--escalation-details", "Column 18.")] = None,
    review: Annotated[
        str | None, _opt("--review", "The Stage 2 review: manager, compensation, panel.")
    ] = None,
    stage2_handler: Annotated[str | None, _opt("--stage2-handler", "Column 19.")] = None,
    stage2_acknowledged: Annotated[
        str | None, _opt("--stage2-acknowledged", "The Stage 2 acknowledgement.")
    ] = None,
    stage2_responded: Annotated[str | None, _opt("--stage2-responded", "Column 20.")] = None,
    stage2_response: Annotated[str | None, _opt("--stage2-response", "Column 23.")] = None,
    stage2_compensation: Annotated[
        str | None, _opt("--stage2-compensation", "Compensation decided at Stage 2.")
    ] = None,
    stage2_compensation_reason: Annotated[
        str | None, _opt("--stage2-compensation-reason", "Its reasons.")
    ] = None,
    stage2_compensation_paid: Annotated[
        str | None, _opt("--stage2-compensation-paid", "When it was paid.")
    ] = None,
    stage2_outcome: Annotated[str | None, _opt("--stage2-outcome", "Stage 2 outcome.")] = None,
    closed: Annotated[str | None, _opt("--closed", "The closing date of a closed case.")] = None,
    extension_told: Annotated[
        str | None,
        _opt("--extension-told", "When the resident was told of the Stage 1 extension."),
    ] = None,
    stage2_extension_told: Annotated[
        str | None,
        _opt("--stage2-extension-told", "When the resident was told of the Stage 2 extension."),
    ] = None,
    category: Annotated[str | None, _opt("--category", "The complaint's category.")] = None,
    tenure: Annotated[
        str | None,
        _opt("--tenure", "LCRA (low-cost rental), LCHO (low-cost home ownership), other, unknown."),
    ] = None,
    ack_explanation: Annotated[
        str | None, _opt("--ack-explanation", "Column 10's explanation of a 'No'.")
    ] = None,
    response_explanation: Annotated[
        str | None, _opt("--response-explanation", "Column 13's explanation of a 'No'.")
    ] = None,
    stage2_explanation: Annotated[
        str | None, _opt("--stage2-explanation", "Column 22's explanation of a 'No'.")
    ] = None,
    expect_version: ExpectVersionOpt = None,
) -> None:
    """Correct logged columns of a case, with a reason; the history keeps the old values.

    Each value is read and checked as the command that first recorded it reads it (the same
    dates, the same order of events, a Stage 2 handler who was not involved at Stage 1); the
    Met columns and the deadlines are worked out again, and a change to a Met column is said.
    'none' empties an optional column. A corrected address renames the case folder.

    Example: complaints correct SPRUCE001 --complainant "Ann Leigh" --received 04/02/2025 --reason "Name and date misread from the letter"
    """
    from complaints_cli.domain.corrections import CORRECTABLE, correct, read_correction
    from complaints_cli.domain.filters import known_spelling

    given = {
        "--complainant": complainant,
        "--address": address,
        "--received": received,
        "--handler": handler,
        "--channel": channel,
        "--summary": summary,
        "--events-date": events_date,
        "--acknowledged": acknowledged,
        "--responded": responded,
        "--response-summary": response_summary,
        "--compensation": compensation,
        "--compensation-reason": compensation_reason,
        "--compensation-paid": compensation_paid,
        "--outcome": outcome,
        "--escalation-received": escalation_received,
        "--escalation-details": escalation_details,
        "--review": review,
        "--stage2-handler": stage2_handler,
        "--stage2-acknowledged": stage2_acknowledged,
        "--stage2-responded": stage2_responded,
        "--stage2-response": stage2_response,
        "--stage2-compensation": stage2_compensation,
        "--stage2-compensation-reason": stage2_compensation_reason,
        "--stage2-compensation-paid": stage2_compensation_paid,
        "--stage2-outcome": stage2_outcome,
        "--closed": closed,
        "--extension-told": extension_told,
        "--stage2-extension-told": stage2_extension_told,
        "--category": category,
        "--tenure": tenure,
        "--ack-explanation": ack_explanation,
        "--response-explanation": response_explanation,
        "--stage2-explanation": stage2_explanation,
    }
    assert set(given) == {c.option for c in CORRECTABLE}
    tf = Timeframes(ctx)
    values = dict(
        read_correction(option, text, today=tf.today, categories=tf.settings.categories.value)
        for option, text in given.items()
        if text is not None
    )
    # A handler's name close to one the log knows is warned of, as log and escalate do.
    from complaints_cli.store.lookups import name_uses, people

    fields = (("handler", "--handler"), ("stage2_handler", "--stage2-handler"))
    names = [(f, o) for f, o in fields if values.get(f)]
    handlers: list[str] = []
    if names:  # the log's handlers before the write
        with open_raw(tf.settings) as db:
            handlers = people(db, owners=False)
            # the log's spellings of each name given, and how many cases hold each
            uses = {
                h: name_uses(db, h)
                for f, _o in names
                for h in handlers
                if known_spelling(values[f], [h]) is not None
            }
    replaced: dict[str, Any] = {}
    respelled: dict[str, tuple[str, str]] = {}

    def rule(c: Case, _a: Any, r: Any) -> Any:
        replaced.update((f, getattr(c, f)) for f, _o in names)
        fixed = dict(values)
        for f, option in names:  # one person, one spelling, as log and escalate store it; the
            # case's own name, held by no other case, is no model (correcting its "sam patel"
            # to "Sam Patel" is meant)
            others = [h for h in handlers if h != getattr(c, f) or uses.get(h, 0) > 1]
            spelled = known_spelling(values[f], others)
            if spelled is not None:
                fixed[f] = spelled
                respelled[option] = (values[f], spelled)
        return correct(c, r, values=fixed, reason=reason)

    case, _change = apply_rule(ctx, reference, "correct", rule, tf, expected_version=expect_version)
    for option, (typed, spelled) in respelled.items():
        respelled_note(option, typed, spelled)
    if names:  # a name the correction replaced, held by no case now, is no suggestion
        with open_raw(tf.settings) as db:
            still = set(people(db, owners=False))
        gone = {replaced.get(f) for f, _o in names} - still
        handlers = [h for h in handlers if h not in gone]
    for field, option in names:
        typo = new_handler_warning(getattr(case, field), handlers, case.reference, option)
        if typo is not None:
            warn(typo)
    if "address" in values:
        _rename_folder(tf, case)


def _rename_folder(tf: Timeframes, case: Case) -> None:
    """The case folder (the one its marker claims) follows a corrected address, after the
    change is saved: a folder that cannot be renamed is a warning."""
    from complaints_cli.cli.roots import TeamRoot
    from complaints_cli.files.folders import find_claimed, rename_case_folder

    with open_store(tf.settings) as store:
        try:
            team = TeamRoot(tf.settings, store.db, claim=False)
            want = team.claim_of(case)
            found = find_claimed(team.path, want) if team.state == "ours" else None
        except ComplaintsError as exc:
            warn(f"{case.reference}: its folder was not renamed ({exc})")
            return
        if found is None:
            if case.folder:
                warn(f"{case.reference}: its folder was not renamed: no folder is claimed for it")
            return
        name, problem = rename_case_folder(team.path, found.name, case.address, want)
        if problem:
            warn(f"{case.reference}: {problem}")
        elif name != case.folder:
            store.set_folder(case.reference, name)
    if not problem and name != found.name:
        typer.echo(f"Folder renamed: {found.name} -> {name}")


@app.command("withdraw")
def withdraw_cmd(
    ctx: typer.Context,
    reference: RefArg,
    reason: Annotated[
        str | None, typer.Option(help="What the resident said, and how (required).")
    ] = None,
    on: DateOpt = None,
    expect_version: ExpectVersionOpt = None,
) -> None:
    """The resident withdrew the complaint: status Withdrawn, nothing chased; reopen reverses it.

    It is counted as received, never as responded; the stage's outcome is 'withdrawn'.

    Example: complaints withdraw SPRUCE001 --date 10/02/2025 --reason "Phoned: the repair is done and she is happy"
    """
    from complaints_cli.domain.corrections import withdraw

    tf = Timeframes(ctx)
    day = tf.date(on, "withdrawal date")
    apply_rule(
        ctx,
        reference,
        "withdraw",
        lambda c, _a, r: withdraw(c, r, on=day, reason=reason),
        tf,
        expected_version=expect_version,
    )


@app.command("void")
def void_cmd(
    ctx: typer.Context,
    reference: RefArg,
    reason: Annotated[
        str | None, typer.Option(help="Why it was logged in error (required).")
    ] = None,
    duplicate_of: Annotated[
        str | None,
        typer.Option("--duplicate-of", help="The case it duplicates.", metavar="REF"),
    ] = None,
    expect_version: ExpectVersionOpt = None,
) -> None:
    """Void a case logged in error or twice: kept with its history, out of every list and figure.

    Its reference is never used again. reopen reverses a void made by mistake.

    Example: complaints void SPRUCE014 --duplicate-of SPRUCE013 --reason "Logged twice from the same e-mail"
    """
    from complaints_cli.domain.corrections import void
    from complaints_cli.store import reads

    tf = Timeframes(ctx)
    other: tuple[int, str] | None = None
    if duplicate_of is not None:
        with open_raw(tf.settings) as db:
            original = reads.get_case(db, duplicate_of)
        assert original.id is not None
        other = (original.id, original.reference)
    apply_rule(
        ctx,
        reference,
        "void",
        lambda c, _a, r: void(c, r, reason=reason, duplicate_of=other),
        tf,
        expected_version=expect_version,
    )
