"""What every command shares: options, settings, opening the log, the team's timeframes, and
running one rule on one case.

Imported by every command module, so it imports only Typer at module level: the settings,
the store and the rules are imported when a command asks for them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from complaints_cli.errors import ComplaintsError

if TYPE_CHECKING:
    from complaints_cli.config import Settings
    from complaints_cli.domain.case import Action, Case
    from complaints_cli.domain.derived import Derived, Stamps
    from complaints_cli.domain.profiles import Profile
    from complaints_cli.domain.rules import Change, NewAction, Rules
    from complaints_cli.domain.workdays import Calendar
    from complaints_cli.store.db import RawDatabase
    from complaints_cli.store.writes import Store

FormatOpt = Annotated[
    str, typer.Option("--format", "-f", help="Output: table, json or csv.", metavar="FORMAT")
]

ExpectVersionOpt = Annotated[
    int | None,
    typer.Option(
        "--expect-version",
        metavar="N",
        min=1,
        help="Refuse the change if the case is no longer at version N (as `complaints show` "
        "printed it): another handler's change is never overwritten unseen.",
    ),
]

RefArg = Annotated[str, typer.Argument(help="The complaint reference, e.g. SPRUCE001.")]
CreateOpt = Annotated[
    bool,
    typer.Option("--create", help="Start a new log at the configured path if none is there."),
]

DateOpt = Annotated[
    str | None, typer.Option("--date", help="When: dd/mm/yyyy or yyyy-mm-dd [default: today].")
]

#: A rule as the commands give it: (case, its actions, the rules) -> the change.
CaseRule = Callable[["Case", Sequence["Action"], "Rules"], "Change"]


def new_app(**kwargs: Any) -> typer.Typer:
    """A command module's Typer app, configured as every one is: plain help (no rich)."""
    kwargs.setdefault("rich_markup_mode", None)
    kwargs.setdefault("add_completion", False)
    return typer.Typer(**kwargs)


def check_format(fmt: str, allowed: tuple[str, ...] = ("table", "json", "csv")) -> str:
    value = fmt.lower()
    if value not in allowed:
        raise ComplaintsError(f"format {fmt!r} is not one of: {', '.join(allowed)}")
    return value


def warn(message: str) -> None:
    """``complaints: warning: ...`` on stderr: the command still succeeds."""
    typer.echo(f"complaints: warning: {message}", err=True)


def new_handler_warning(
    name: str, known: Sequence[str], reference: str, field: str = "--handler"
) -> str | None:
    """The warning for a handler's name the log does not know but looks like a typo of one it
    does (``log --handler "Sarah Jonse"`` when "Sarah Jones" handles other cases), naming the
    fix: ``correct REF --handler "Sarah Jones" --reason TEXT`` (``field``: the ``correct``
    option for the column, ``--stage2-handler`` for ``escalate``). ``None`` when the name is
    known, or close to nobody (a new member of staff). ``known``: the names the log held
    before the write (``store.lookups.people``); the one rule is
    :func:`complaints_cli.domain.filters.new_person_near`."""
    from complaints_cli.domain.filters import new_person_near
    from complaints_cli.domain.text import one_line

    close = new_person_near(name, known)
    if close is None:
        return None
    return one_line(
        f"handler {name!r} is new to the log; did you mean {close}, who handles other cases? "
        f'If so: complaints correct {reference} {field} "{close}" --reason "typo"'
    )


def known_handler(name: str | None, known: Sequence[str]) -> str | None:
    """The log's spelling of ``name`` when it is typed otherwise (case, accents or spacing:
    ``sarah  JONES`` beside ``Sarah Jones``), else None. Nothing is said here: the command
    says :func:`respelled_note` once its change is saved (a refused command recorded nothing).
    ``known``: the names the log held before the write (``store.lookups.people``); the one
    rule is :func:`complaints_cli.domain.filters.known_spelling`."""
    from complaints_cli.domain.filters import known_spelling

    return None if name is None else known_spelling(name, known)


def respelled_note(what: str, typed: str, spelled: str) -> None:
    """The one line on stderr saying a name was recorded as the log already spells it."""
    from complaints_cli.domain.text import one_line

    typer.echo(
        one_line(
            f"complaints: note: {what} {typed!r} recorded as {spelled!r}, as the log spells it"
        ),
        err=True,
    )


def settings(ctx: typer.Context) -> Settings:
    """The settings in force for this run (flags from the root command's options)."""
    from complaints_cli.config import resolve

    flags = ctx.find_root().obj or {}
    return resolve(flags)


def today() -> date:
    """Today, or ``COMPLAINTS_TODAY`` (yyyy-mm-dd) for demos and tests."""
    fixed = os.environ.get("COMPLAINTS_TODAY")
    if fixed:
        from complaints_cli.domain.dates import parse_date

        return parse_date(fixed, what="COMPLAINTS_TODAY")
    return date.today()


def open_raw(cfg: Settings) -> RawDatabase:
    """The log for reading, through the driver (fast start); a log that does not exist is
    refused (the first run on the default location makes it)."""
    from complaints_cli.store.db import RawDatabase

    return RawDatabase(cfg.db_url, default_location=cfg.db.source == "default")


def log_exists(url: str) -> bool:
    """Whether the log at ``url`` is there to open: a SQLite file with something in it (a
    PostgreSQL log is checked when it is opened)."""
    from complaints_cli.config import sqlite_path

    path = sqlite_path(url)
    if path is None:
        return True
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def open_store(cfg: Settings, *, create: bool = False) -> Store:
    """The log for writing, through the driver; a warning when SQLite is on a network share.

    ``create`` (``log --create``, ``import --create``) makes a log that does not exist yet.
    """
    from complaints_cli.config import sqlite_path
    from complaints_cli.store.maintenance import network_location
    from complaints_cli.store.writes import Store

    path = sqlite_path(cfg.db_url)
    where = network_location(path) if path is not None else None
    if where:
        warn(
            f"the log {path} is on a network share ({where}); SQLite is not safe for several "
            "machines writing over a share: move the team to PostgreSQL (README, 'Working as "
            "a team')"
        )
    return Store(cfg.db_url, default_location=cfg.db.source == "default", create=create)


class Timeframes:
    """The team's profile, nation and calendar for this run, and today's date."""

    def __init__(self, ctx: typer.Context | None = None, *, cfg: Settings | None = None) -> None:
        from complaints_cli.domain.profiles import get_profile
        from complaints_cli.domain.timeframes import deadlines_key, team_nation
        from complaints_cli.domain.workdays import Calendar
        from complaints_cli.files.holiday_cache import cached_holidays, holidays_version

        assert ctx is not None or cfg is not None
        self.settings: Settings = cfg if cfg is not None else settings(ctx)  # type: ignore[arg-type]
        self.today = today()
        self.profile: Profile = get_profile(
            self.settings.profile.value, self.settings.profiles_file.value
        )
        self.nation, self.nation_why = team_nation(
            self.settings.nation.value, self.settings.nation.source, self.profile
        )
        self.calendar: Calendar = Calendar(
            self.nation, closures=self.settings.closures.value, holiday_source=cached_holidays
        )
        self.key = deadlines_key(
            self.profile, self.nation, self.settings.closures.value, holidays_version()
        )

    def code_profile(self) -> Profile:
        """The Complaint Handling Code's own timeframes, for the annual figures."""
        from complaints_cli.domain.profiles import get_profile
        from complaints_cli.domain.timeframes import CODE_PROFILE

        return get_profile(CODE_PROFILE)

    def rules(self) -> Rules:
        from complaints_cli.domain.rules import Rules

        return Rules(self.profile, self.calendar, self.today)

    def derive(self, case: Case) -> Derived:
        """``case`` with its Met columns and stored deadlines worked out, and its open
        milestones (``derived``): what the store saves."""
        from complaints_cli.domain.derived import derived

        return derived(case, self.profile, self.calendar, self.key)

    def stamps(self, case: Case | Mapping[str, Any]) -> Stamps:
        """The stored deadlines and open milestones of ``case`` (or of a new row's values):
        the import's, which keeps the Met columns a workbook recorded."""
        return self.stamper()(case)

    def stamper(self) -> Callable[[Case | Mapping[str, Any]], Stamps]:
        """:meth:`stamps` as one function, for the import's 100k calls (no import statement
        and attribute reads per row)."""
        from complaints_cli.domain.derived import deadline_stamps

        profile, calendar, key = self.profile, self.calendar, self.key

        def stamp(case: Case | Mapping[str, Any]) -> Stamps:
            return deadline_stamps(case, profile, calendar, key)

        return stamp

    def date(self, text: str | None, what: str) -> date:
        """``--date`` and the like: today when not given."""
        from complaints_cli.domain.dates import parse_date

        return self.today if text is None else parse_date(text, what=what, today=self.today)


def next_lines(case: Case, tf: Timeframes, as_of: date) -> list[str]:
    """``Next: Stage 1 response due Fri 21/02/2025 (4 working days)`` for each open milestone."""
    from complaints_cli.domain.dates import due_when
    from complaints_cli.domain.deadlines import CaseDates, next_milestones

    out = []
    for m in next_milestones(CaseDates.of(case), tf.profile, tf.calendar, as_of=as_of):
        # a weekend or holiday after the deadline: none passed yet, but overdue
        when = due_when(m.working_days_left, overdue=m.deadline < as_of)
        out.append(f"Next: {m.label}, due {m.deadline:%a %d/%m/%Y} ({when})")
    return out


def apply_rule(
    ctx: typer.Context,
    reference: str,
    command: str,
    rule: CaseRule,
    tf: Timeframes | None = None,
    *,
    expected_version: int | None = None,
) -> tuple[Case, Change]:
    """Run one rule on one case in one transaction, then say what happened; returns the case
    as saved and the change.

    With ``expected_version`` (``--expect-version``) the change is refused, and nothing saved,
    when another handler changed the case after this handler read it.
    """
    from complaints_cli.domain.text import terminal_safe

    tf = tf or Timeframes(ctx)
    rules = tf.rules()
    with open_store(tf.settings) as store:
        case, change = store.change(
            reference,
            actor=tf.settings.user.value,
            command=command,
            rule=lambda c, actions: rule(c, actions, rules),
            deadlines=tf.derive,
            expected_version=expected_version,
        )
    from complaints_cli.domain.derived import met_messages

    typer.echo(f"{case.reference}: {command} recorded ({case.status}, {case.stage})")
    for message in [*change.messages, *met_messages(change.case, case)]:
        typer.echo(terminal_safe(message))
    for warning in change.warnings:
        warn(terminal_safe(warning))
    for line in next_lines(case, tf, tf.today):
        typer.echo(line)
    return case, change


def new_actions(
    texts: list[str], dues: list[str], owners: list[str], default_owner: str | None, tf: Timeframes
) -> list[NewAction]:
    """``--action`` / ``--action-due`` / ``--action-owner`` as the actions to add."""
    from complaints_cli.domain.rules import NewAction
    from complaints_cli.domain.text import optional_text, required_text, single_spaced

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
        out.append(NewAction(what, single_spaced(owner) or "handler", due))
    return out
