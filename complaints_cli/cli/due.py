"""What is due (``due``) and the working days it is counted in (``calendar``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any

import typer

from complaints_cli.cli.options import (
    FormatOpt,
    Timeframes,
    check_format,
    new_app,
    open_raw,
    warn,
)
from complaints_cli.errors import ComplaintsError

app = new_app()

#: The furthest ahead ``due --within`` looks: about four years of working days.
MAX_WITHIN = 1000


@app.command("due")
def due_cmd(
    ctx: typer.Context,
    within: Annotated[int, typer.Option(help="Working days ahead to look.")] = 5,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only what is overdue.")] = False,
    handler: Annotated[
        str | None, typer.Option(help="Only this handler's cases and actions.")
    ] = None,
    category: Annotated[
        str | None, typer.Option(help="Only cases in this category (the categories setting).")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="What was due on this day, as the log stood then (cases closed since "
            "included, later steps ignored).",
        ),
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
    from complaints_cli.store import lookups

    fmt = check_format(fmt)
    if not 0 <= within <= MAX_WITHIN:
        raise ComplaintsError(
            f"--within {within} must be 0 to {MAX_WITHIN} working days (about four years)"
        )
    if explain and fmt != "table":
        # The working is prose for a person to check; a format that looks applied and is not
        # would mislead a script.
        raise ComplaintsError(
            f"--explain shows the working as text: leave out --format {fmt} (it applies to "
            "the list of what is due)"
        )
    tf = Timeframes(ctx)
    day = tf.date(as_of, "--as-of date")
    wanted = None
    if category is not None:
        from complaints_cli.domain.classification import parse_category

        wanted = parse_category(category, tf.settings.categories.value)
    from complaints_cli.memory import paused_gc

    # Tens of thousands of items on a big log, none in a reference cycle (see paused_gc).
    with paused_gc():
        with open_raw(tf.settings) as db:
            if explain:
                _explain(db, explain, tf, day)
                return
            if lookups.is_empty(db):
                from complaints_cli.cli.case import empty_log

                empty_log(tf.settings, fmt)
                return
            who = None
            if handler is not None:
                from complaints_cli.domain.filters import match_person

                who = match_person(handler, lookups.people(db))
            stale = due_core.stale_count(db, tf.key)
            items = due_core.due_rows(
                db,
                tf.profile,
                tf.calendar,
                key=tf.key,
                as_of=day,
                within=within,
                overdue_only=overdue,
                handler=who,
                today=tf.today,
                stale=stale,
            )
            if wanted is not None:
                # Of today or later, every item is an open case's (of a past day, one open
                # then, maybe closed since).
                in_category = set(
                    lookups.references_in_category(db, wanted, open_only=day >= tf.today)
                )
                items = [i for i in items if i[0] in in_category]
        if stale:
            warn(
                f"{stale} open case(s) had deadlines worked out with another profile, nation or "
                "closures: worked out again for this list; store them with complaints db recompute"
            )
        from complaints_cli.render.listing import output_rows

        def style(item: tuple[Any, ...]) -> str | None:
            left = item[3]  # working days left
            return (
                "red"
                if item[6] != "pending"  # its state
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
        shown: Sequence[tuple[Any, ...]] = items
        if fmt == "table" and not tf.calendar.is_working_day(day):
            shown = [_overdue_shown(i) for i in items]
        title = (
            f"Overdue (as of {day:%d/%m/%Y})"
            if overdue
            else f"Due by {tf.calendar.add_working_days(day, within) if within else day:%a %d/%m/%Y} (as of {day:%d/%m/%Y})"
        )
        output_rows(
            shown,
            columns,
            fmt,
            headers=headers,
            text=_due_text,
            styles=style,
            title=title,
            empty="Nothing due." if not overdue else "Nothing overdue.",
            no_wrap=("reference", "due", "working_days_left", "stage"),
            as_text=("reference", "milestone", "handler", "stage"),
            fields=due_core.DUE_FIELDS,
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
    y = tf.today.year if year is None else year
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
        title=f"Non-working weekdays in {y} ({tf.nation}: {tf.nation_why}); weekends are never "
        "working days",
    )


#: Each day's text, made once: a due list of thousands of items has a few hundred days, and
#: ``strftime`` costs ~3 µs a call.
_DAY_TEXT: dict[date, str] = {}


def _overdue_shown(item: tuple[Any, ...]) -> tuple[Any, ...]:
    """On a day that is not a working day, an item due on the last working day before it is
    overdue with no working day passed since (``working_days_between`` counts 0: see
    :meth:`~complaints_cli.domain.workdays.Calendar.working_days_between`); the table says
    ``overdue`` there, where a bare ``0`` would read as "due today" (the JSON keeps the count
    and says the state)."""
    if item[3] == 0 and item[6] != "pending":
        return (*item[:3], "overdue", *item[4:])
    return item


def _due_text(column: str, value: Any) -> str:
    """A cell's text: a day as ``Fri 27/11/2026``, nothing for ``None``, else ``str``.
    Called for every cell of ``due``'s table (~20,000 at 100k): plain text first."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if type(value) is date:  # not a datetime: two equal aware ones may differ in day
        text = _DAY_TEXT.get(value)
        if text is None:
            text = _DAY_TEXT[value] = value.strftime("%a %d/%m/%Y")
        return text
    if isinstance(value, date):
        return value.strftime("%a %d/%m/%Y")
    return str(value)


def _explain(db: Any, reference: str, tf: Timeframes, as_of: date) -> None:
    from complaints_cli.domain.explanations import explain_milestones
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
