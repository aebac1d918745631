"""The ``complaints`` command: the root options, the error boundary, and every command, loaded
only when it runs.

Each command group lives in its own module with its own ``typer.Typer()``
(:data:`COMMANDS` says which); the root imports and builds only the module of the command being
run, so ``complaints due`` never builds (or imports) the forty other commands, and
``complaints --help`` lists every command from :data:`COMMANDS` without importing any
(``tests/cli/test_docs.py`` checks that the table says what each command's own help says).

Every :class:`~complaints_cli.errors.ComplaintsError` becomes one line on stderr and its exit
status (:class:`~complaints_cli.errors.ExitCode`), in :class:`_Group` below, and nowhere else.
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

try:  # typer 0.28 carries its own click
    from typer._click import exceptions as _click_errors
    from typer._click.utils import make_default_short_help
    from typer.exceptions import Abort as _Abort
except ImportError:  # pragma: no cover - earlier typer uses the click package
    from click import exceptions as _click_errors  # type: ignore[no-redef]
    from click.exceptions import Abort as _Abort  # type: ignore[assignment]
    from click.utils import make_default_short_help  # type: ignore[no-redef]

from complaints_cli import __version__
from complaints_cli.errors import ComplaintsError, ExitCode, os_error_message

#: Every command, in the order ``--help`` lists them: name -> (module in ``complaints_cli.cli``,
#: its Typer app, the first paragraph of the command's help).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "log": ("case", "app", "Log a new complaint: give it the next reference and make its folder."),
    "show": ("case", "app", "Show every column of one complaint, its folder and its history."),
    "list": ("case", "app", "List the log, oldest first, with optional filters."),
    "config": (
        "database",
        "app",
        "Show each setting in force and where it came from (flag, environment, file, default).",
    ),
    "history": (
        "case",
        "app",
        "Show a case's history: when (UTC), who, which command, each field from what to what.",
    ),
    "correct": (
        "record",
        "app",
        "Correct logged columns of a case, with a reason; the history keeps the old values.",
    ),
    "withdraw": (
        "record",
        "app",
        "The resident withdrew the complaint: status Withdrawn, nothing chased; reopen reverses "
        "it.",
    ),
    "void": (
        "record",
        "app",
        "Void a case logged in error or twice: kept with its history, out of every list and "
        "figure.",
    ),
    "acknowledge": (
        "lifecycle",
        "app",
        "Record the acknowledgement (columns 8-10; at Stage 2, the Stage 2 acknowledgement).",
    ),
    "extend": (
        "lifecycle",
        "app",
        "Extend the response deadline of the stage the case is at, within the profile's limit.",
    ),
    "respond": (
        "lifecycle",
        "app",
        "Record the response at the case's stage (Stage 1: columns 11, 13-15; Stage 2: 20, 22, "
        "23).",
    ),
    "escalate": (
        "lifecycle",
        "app",
        "Escalate to Stage 2 (columns 16-19), reviewed by someone not involved at Stage 1.",
    ),
    "update": (
        "lifecycle",
        "app",
        "Record a contact with the resident about outstanding actions (weekly, Code 6.6).",
    ),
    "close": (
        "lifecycle",
        "app",
        "Close a case; refused while actions are outstanding unless forced with a reason.",
    ),
    "reopen": (
        "lifecycle",
        "app",
        "Reopen a closed case (to escalate it, or to correct it).",
    ),
    "learning": (
        "lifecycle",
        "app",
        "Record organisational learning (column 24), at any time, on a closed case too.",
    ),
    "ombudsman": (
        "lifecycle",
        "app",
        "Record a referral to the Ombudsman, its request for evidence, and our reply.",
    ),
    "due": (
        "due",
        "app",
        "What is due and overdue, most urgent first (overdue red, due within 2 working days "
        "amber).",
    ),
    "calendar": (
        "due",
        "app",
        "The non-working weekdays in force (bank holidays, office closures) and where each comes "
        "from.",
    ),
    "import": ("excel", "app", "Import an existing Complaints Log workbook into the log."),
    "export": (
        "excel",
        "app",
        "Export the log as the Spruce Complaints Log workbook (or CSV).",
    ),
    "purge": (
        "data_protection",
        "app",
        "Remove closed cases past the retention period: record, history, actions and folder.",
    ),
    "hold": (
        "data_protection",
        "app",
        "Put a case under a legal hold (never purged while held), or release it.",
    ),
    "subject-access": (
        "data_protection",
        "app",
        "Gather every case, history entry and folder listing that names a person.",
    ),
    "letter": (
        "case_files",
        "app",
        "Write a draft letter to the resident into the case folder, as a Word document.",
    ),
    "pack": (
        "case_files",
        "app",
        "Write the case's chronology and an index of its folder into the folder (Word).",
    ),
    "folders": (
        "case_files",
        "app",
        "Compare the case folders under the root with the log; --fix and --adopt put right "
        "what can be put right safely.",
    ),
    "not-accepted": (
        "process",
        "app",
        "Record that a complaint is not accepted under the policy (status 'Not accepted').",
    ),
    "convert": (
        "process",
        "app",
        "Convert a service dissatisfaction to a Stage 1 complaint (same reference, history kept).",
    ),
    "fold": (
        "process",
        "app",
        "Add a new issue raised during the investigation to this case (Code 6.8).",
    ),
    "link": (
        "process",
        "app",
        "Link a complaint to the case it was raised from as a new issue (Code 6.8).",
    ),
    "panel": (
        "process",
        "app",
        "Record when the Complaint Review Panel met (Southern Housing procedure 4.8.2).",
    ),
    "determination": (
        "process",
        "app",
        "Record the Ombudsman's determination; each order and recommendation is an action.",
    ),
    "vulnerability": (
        "process",
        "app",
        "Record vulnerability, preferred contact and reasonable adjustments (Code 6.1).",
    ),
    "compliment": (
        "process",
        "app",
        "Record a compliment (Spruce policy, section 3); the EMT report counts them.",
    ),
    "compliments": ("process", "app", "List compliments received, oldest first."),
    "feed": (
        "handler_day",
        "app",
        "Write every open deadline as an all-day calendar event (.ics) for Outlook.",
    ),
    "check": (
        "handler_day",
        "app",
        "List every record that will make a report wrong, each with the command that fixes it.",
    ),
    "file": (
        "filing",
        "app",
        "File e-mails, letters and attachments into the case folder under dated names, in the "
        "history.",
    ),
    "digest": (
        "handler_day",
        "app",
        "Write one handler's week (overdue, due soon, weekly updates, actions) as an e-mail "
        "draft or Markdown.",
    ),
    "refuse-escalation": (
        "after_response",
        "app",
        "Record a refused Stage 2 escalation: when asked, why refused, when the resident was told.",
    ),
    "compensation": (
        "after_response",
        "compensation_app",
        "Compensation awarded in a response: record when it was paid.",
    ),
    "db": ("database", "db_app", "Look after the database: where it is, and its schema."),
    "action": ("lifecycle", "action_app", "Actions promised in a response."),
    "signatory": (
        "process",
        "signatory_app",
        "A petition's signatories (one case, any number of people).",
    ),
    "report": (
        "report",
        "report_app",
        "Performance reports: the monthly EMT report, the annual Code and TSM figures.",
    ),
}


def load_command(name: str) -> Any:
    """The command ``name``, built from its module's Typer app (``None``: no such command)."""
    entry = COMMANDS.get(name)
    if entry is None:
        return None
    module, attribute, _help = entry
    typer_app = getattr(importlib.import_module(f"complaints_cli.cli.{module}"), attribute)
    if attribute == "app":  # one of the module's top-level commands: built alone
        return _build_one(typer_app, name)
    return typer.main.get_group(typer_app)  # a named group (db, action, signatory, ...)


def _build_one(typer_app: typer.Typer, name: str) -> Any:
    """The command ``name`` of a module's Typer app, built as :func:`typer.main.get_group`
    builds each of its commands (``None``: the module has no such command).

    Only the command that runs is built: building every command of ``cli/case.py`` (``log``
    with its many options, ``show``, ``list``, ``history``) to run ``show`` cost ~10 ms of
    CPU more (Typer reads each command's signature and annotations; measured 2026-11-30).
    """
    found = None
    for info in typer_app.registered_commands:  # the last one of a name wins, as in a group
        assert info.callback is not None
        if (info.name or typer.main.get_command_name(info.callback.__name__)) == name:
            found = info
    if found is None:
        return None
    return typer.main.get_command_from_info(
        command_info=found,
        pretty_exceptions_short=typer_app.pretty_exceptions_short,
        rich_markup_mode=typer_app.rich_markup_mode,
    )


def leaf_commands() -> list[tuple[tuple[str, ...], Any]]:
    """Every command that runs, as ``(its words, its click command)``, groups' subcommands
    included (``("db", "init")``), in ``--help`` order. Imports every command module: for
    the README test, the bounds tests and the option campaign, never a command's own run."""
    out: list[tuple[tuple[str, ...], Any]] = []

    def walk(path: tuple[str, ...], command: Any) -> None:
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                walk((*path, name), sub)
        else:
            out.append((path, command))

    for name in COMMANDS:
        walk((name,), load_command(name))
    return out


class _Group(TyperGroup):
    """The root: commands loaded on demand, and the one error boundary.

    Turns a :class:`ComplaintsError` raised anywhere below into one line on stderr and its
    exit code, and Ctrl-C into "nothing was saved".
    """

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        return load_command(cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """Every command with the first line of its help, without importing any of them."""
        width = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [(name, make_default_short_help(h, width)) for name, (_, _, h) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ComplaintsError as exc:
            _error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("complaints: interrupted; nothing was saved", err=True)
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except OSError as exc:  # a full disk, a read-only drive, a name too long: one line
            if exc.errno == errno.EPIPE:  # the reader went away (``| head``): click's own way
                raise
            _error(os_error_message(exc))
            raise typer.Exit(ExitCode.ERROR) from None

    def main(  # type: ignore[override]
        self, args: Any = None, prog_name: str | None = None, **kwargs: Any
    ) -> Any:
        """Run the command; a usage error (an unknown option, a missing one, a value of the
        wrong type, a bad choice) is one line and exit status 1, as every other error."""
        if not kwargs.pop("standalone_mode", True):
            return super().main(args, prog_name, standalone_mode=False, **kwargs)
        stdout = sys.stdout
        try:
            self._main(args, prog_name, **kwargs)
        except BrokenPipeError:  # the reader went away while we printed outside a command
            closed_pipe()
        except SystemExit:
            # Click ends a command whose output pipe was closed (``| head``) with status 1,
            # after swapping sys.stdout for a wrapper that hides the next flush's error: that
            # swap is the sign. It is no error of the user's: the closed pipe's own status.
            if sys.stdout is not stdout:
                closed_pipe()
            raise

    def _main(self, args: Any, prog_name: str | None, **kwargs: Any) -> NoReturn:
        try:
            result = super().main(args, prog_name, standalone_mode=False, **kwargs)
        except (
            _click_errors.NoArgsIsHelpError
        ) as exc:  # ``complaints`` or ``complaints db`` alone: the help
            typer.echo(exc.ctx.get_help() if exc.ctx else exc.format_message())
            sys.exit(ExitCode.OK)
        except _click_errors.ClickException as exc:
            _error(usage_message(exc))
            sys.exit(ExitCode.USAGE)
        except _Abort:  # Ctrl-C or end of input at a prompt
            typer.echo("complaints: interrupted; nothing was saved", err=True)
            sys.exit(ExitCode.INTERRUPTED)
        except ValueError as exc:
            # A file name holding a NUL: the OS refuses it before any command runs (click's
            # path check, os.stat); no file can have such a name.
            if "null byte" not in str(exc):
                raise
            _error("a file name holds a NUL character (U+0000), which no file name can: remove it")
            sys.exit(ExitCode.USAGE)
        # Not standalone, click returns the code of a typer.Exit, or the command's own result.
        code = result if isinstance(result, int) and not isinstance(result, bool) else 0
        sys.exit(int(code))


def closed_pipe() -> NoReturn:
    """End quietly because the program reading stdout closed it (``| head -1``): stdout is
    silenced (:func:`silence_stdout`) and the process ends with
    :attr:`ExitCode.CLOSED_PIPE`. Never a message: nobody is reading, and the shell knows the
    status. Raises :class:`SystemExit`."""
    silence_stdout()
    sys.exit(ExitCode.CLOSED_PIPE)


def silence_stdout() -> None:
    """Point stdout's file descriptor at :data:`os.devnull`, so the output still buffered is
    dropped instead of failing again when the interpreter flushes it (the Python
    documentation's advice: :mod:`signal`, "Note on SIGPIPE")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        finally:
            os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no file descriptor (a test's captured
        pass  # stdout): nothing will be flushed to a pipe


#: The longest error line shown: a value a user pasted (a whole document) is cut short.
MAX_ERROR = 500


def _error(message: str) -> None:
    """``complaints: error: ...`` on stderr: always one line, safe for the terminal."""
    from complaints_cli.domain.text import one_line

    typer.echo(f"complaints: error: {one_line(message, MAX_ERROR)}", err=True)


def usage_message(exc: Any) -> str:
    """Click's message for a mistake on the command line, with where to find the options:
    ``no such option: --bogus; see complaints list -h``."""
    message = " ".join(exc.format_message().split()).rstrip(".")
    message = message[:1].lower() + message[1:]
    ctx = getattr(exc, "ctx", None)
    below = ctx.command_path.split()[1:] if ctx is not None else []  # the root's name aside
    path = " ".join(["complaints", *below])
    return f"{message}; see {path} -h"


HELP = """Track housing complaints against the Housing Ombudsman's timeframes.

Replaces the Spruce Complaints Log workbook: log a complaint, see what is due, keep one folder
per complaint.

Example: complaints log --complainant "Ann Lee" --address "1 Essex Brewery" --handler "Sam Patel" --channel email
"""

app = typer.Typer(
    cls=_Group,
    help=HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"complaints {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    db: Annotated[
        str | None, typer.Option("--db", help="Database file or URL [env COMPLAINTS_DB].")
    ] = None,
    root: Annotated[
        Path | None, typer.Option("--root", help="Folder of case folders [env COMPLAINTS_ROOT].")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="Team config file (TOML) [env COMPLAINTS_CONFIG]."),
    ] = None,
    prefix: Annotated[
        str | None, typer.Option("--prefix", help="Reference prefix [env COMPLAINTS_PREFIX].")
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            "--as", help="Who is making the change (default: the OS user) [env COMPLAINTS_USER]."
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    ctx.obj = {
        "db": db,
        "root": str(root) if root else None,
        "config": str(config) if config else None,
        "prefix": prefix,
        "user": actor,
    }


def main() -> None:
    """Run the command line named by ``sys.argv``; ends with :class:`SystemExit` (its exit
    status) as every click program does. :func:`run` is the console script."""
    if sys.platform == "win32":  # pragma: no cover - Windows consoles
        for stream in (sys.stdout, sys.stderr):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure:
                reconfigure(errors="replace")
    app(prog_name="complaints")


def run() -> NoReturn:
    """The console script and ``python -m complaints_cli``: :func:`main`, then the process ends
    without tearing the interpreter down.

    Freeing every module and object one by one at exit costs a command ~10-40 ms of CPU (more
    after a big import) for nothing: the operating system reclaims the memory at once. So once
    the command has finished (its transaction committed, its files closed), stdout and stderr
    are flushed and the process ends with :func:`os._exit` and the command's exit status.
    The ordinary interpreter exit is kept whenever it could do something that matters:
    flushing fails, a thread is still running, or anything registered an :mod:`atexit`
    handler (``tempfile``'s clean-up, a coverage tool's report, say). A reader that closed
    the pipe before the last output was flushed ends the process quietly with
    :attr:`ExitCode.CLOSED_PIPE` (:func:`closed_pipe`), as a closed pipe during the command
    does.
    Exit statuses are Python's: ``None`` 0, an int itself, anything else printed, then 1.
    """
    import atexit

    try:
        main()
        status: object = None
    except SystemExit as exc:
        status = exc.code
    except BrokenPipeError:  # met outside the command line's own boundary
        silence_stdout()
        status = ExitCode.CLOSED_PIPE
    if isinstance(status, int) or status is None:
        code = int(status or 0)
    else:  # what the interpreter does with SystemExit("message")
        print(status, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()  # the last of the output: the reader may have gone meanwhile
    except BrokenPipeError:
        silence_stdout()
        code = code or ExitCode.CLOSED_PIPE  # an error's own status stands
    except (OSError, ValueError):  # the interpreter's exit reports it, as it always has
        pass
    threading = sys.modules.get("threading")
    if atexit._ncallbacks() == 0 and (threading is None or threading.active_count() == 1):
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):  # the interpreter's exit reports it, as it always has
            pass
        else:
            os._exit(code)
    sys.exit(code)
