"""What follows a response: ``compensation paid`` and ``refuse-escalation``.

The rules are in :mod:`complaints_cli.domain.after_response`; each command runs one rule on
one case in one transaction (the history keeps the change and who made it).
"""

from __future__ import annotations

from typing import Annotated

import typer

from complaints_cli.cli.options import (
    DateOpt,
    ExpectVersionOpt,
    RefArg,
    Timeframes,
    apply_rule,
    new_app,
)
from complaints_cli.errors import ComplaintsError

app = new_app()
compensation_app = new_app(
    name="compensation",
    help="Compensation awarded in a response: record when it was paid.",
    no_args_is_help=True,
)


@compensation_app.command("paid")
def paid_cmd(
    ctx: typer.Context,
    reference: RefArg,
    on: DateOpt = None,
    stage: Annotated[
        str | None,
        typer.Option(
            help="'1' or '2': whose award was paid [default: Stage 2's if unpaid, else Stage 1's]."
        ),
    ] = None,
    expect_version: ExpectVersionOpt = None,
) -> None:
    """Record the day a stage's compensation was paid (the annual report counts payments).

    Example: complaints compensation paid SPRUCE001 --date 21/02/2025
    """
    from complaints_cli.domain.after_response import record_payment
    from complaints_cli.domain.filters import parse_stage
    from complaints_cli.domain.vocabulary import Stage

    wanted = None if stage is None else parse_stage(stage)
    if wanted not in (None, Stage.STAGE_1, Stage.STAGE_2):
        raise ComplaintsError(f"--stage {stage!r} must be 1 or 2: compensation is decided there")
    tf = Timeframes(ctx)
    day = tf.date(on, "payment date")
    apply_rule(
        ctx,
        reference,
        "compensation paid",
        lambda c, _a, r: record_payment(c, r, on=day, stage=wanted),
        tf,
        expected_version=expect_version,
    )


@app.command("refuse-escalation")
def refuse_escalation_cmd(
    ctx: typer.Context,
    reference: RefArg,
    received: Annotated[
        str | None,
        typer.Option(help="When the resident asked for Stage 2 (dd/mm/yyyy) [required]."),
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option(help="Why it is refused: the policy exclusion that applies [required]."),
    ] = None,
    told: Annotated[
        str | None,
        typer.Option(help="When the resident was told in writing (may be added later)."),
    ] = None,
    expect_version: ExpectVersionOpt = None,
) -> None:
    """Record a refused Stage 2 escalation: when asked, why refused, when the resident was told.

    The Code requires Stage 2 when the resident remains unhappy (6.10); refuse only a
    complaint the policy excludes, and tell the resident in writing why and that they may
    refer it to the Housing Ombudsman (5.6). The annual report counts the refusals.

    Example: complaints refuse-escalation SPRUCE001 --received 03/03/2025 --reason "Subject of court proceedings (policy 5.2)" --told 05/03/2025
    """
    from complaints_cli.domain.after_response import refuse_escalation

    if received is None:
        raise ComplaintsError("--received is required: the date the resident asked for Stage 2")
    tf = Timeframes(ctx)
    asked = tf.date(received, "--received")
    told_on = None if told is None else tf.date(told, "--told")
    apply_rule(
        ctx,
        reference,
        "refuse-escalation",
        lambda c, _a, r: refuse_escalation(c, r, received=asked, reason=reason, told=told_on),
        tf,
        expected_version=expect_version,
    )
