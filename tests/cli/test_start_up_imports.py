"""What ``due`` and ``show`` import on their way (issue 15): each module left out is start-up
time saved on every run, so a test keeps it out. ``due`` reads the stored open milestones and
formats them: the case model is not imported, nor the deadline and rules code unless a case
is worked out from its dates (stale stored deadlines, a past day). No command pays for
:mod:`hashlib` (OpenSSL) or :mod:`importlib.resources` to work out the deadline key or read
the packaged profiles."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

from complaints_cli.domain.profiles import get_profile
from complaints_cli.domain.timeframes import RULES_VERSION, deadlines_key, sha256_hex
from tests.conftest import LOG_ARGS, complaints_cmd

WATCHED = (
    "complaints_cli.domain.deadlines",
    "complaints_cli.domain.rules",
    "complaints_cli.domain.as_it_stood",
    "complaints_cli.domain.presentation",
    "complaints_cli.domain.case",
    "complaints_cli.store.reads",
    "hashlib",
    "importlib.resources",
)


def imported_by(*argv: str, env: dict[str, str] | None = None) -> tuple[list[str], str]:
    """Run the CLI in a fresh interpreter: (the watched modules it imported, its stdout)."""
    code = (
        f"import sys; sys.argv = ['complaints', *{list(argv)!r}]\n"
        "from complaints_cli.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print('WATCHED', [m for m in {WATCHED!r} if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env or dict(os.environ)
    )
    out, watched = done.stdout.rsplit("WATCHED", 1)
    return eval(watched), out  # type: ignore[no-any-return]


def test_due_from_stored_rows_imports_no_deadline_code() -> None:
    env = {**os.environ, "COMPLAINTS_TODAY": "2025-02-20"}
    assert subprocess.run([*complaints_cmd(), "log", *LOG_ARGS], env=env).returncode == 0
    watched, out = imported_by("due", env=env)
    assert watched == []
    assert "SPRUCE001" in out and "Stage 1 response" in out
    # A past day is worked out from the case's dates: the deadline code is imported then.
    watched, out = imported_by("due", "--as-of", "2025-02-10", env=env)
    assert "complaints_cli.domain.deadlines" in watched
    assert "SPRUCE001" in out
    # So is a case whose stored deadlines were worked out with another nation (stale).
    watched, out = imported_by("due", env={**env, "COMPLAINTS_NATION": "scotland"})
    assert "complaints_cli.domain.deadlines" in watched
    assert "SPRUCE001" in out


def test_show_reads_the_profiles_and_works_the_key_out_without_hashlib() -> None:
    assert subprocess.run([*complaints_cmd(), "log", *LOG_ARGS]).returncode == 0
    watched, out = imported_by("show", "SPRUCE001")
    assert "hashlib" not in watched
    assert "importlib.resources" not in watched
    assert "Ann Lee" in out


def test_the_deadline_key_is_hashlib_sha256() -> None:
    """The stored deadline keys stay valid: the same digest as hashlib's."""
    for data in (b"", b"spruce|england-and-wales||2026|2", "é漢".encode() * 1000):
        assert sha256_hex(data) == hashlib.sha256(data).hexdigest()
    profile = get_profile("spruce")
    text = "|".join((repr(profile), "scotland", "2026-12-24", "v1", RULES_VERSION))
    assert (
        deadlines_key(profile, "scotland", ["2026-12-24"], "v1")
        == (hashlib.sha256(text.encode()).hexdigest()[:16])
    )


def test_each_command_built_alone_is_the_one_its_module_group_builds() -> None:
    """``load_command`` builds only the command that runs; its parameters, help and callback
    are the ones Typer builds for the module's whole group."""
    import importlib

    import typer

    from complaints_cli.cli.app import COMMANDS, app, load_command

    root = typer.main.get_group(app)
    checked = 0
    for name, (module, attribute, _help) in COMMANDS.items():
        if attribute != "app":
            continue
        alone = load_command(name)
        typer_app = getattr(importlib.import_module(f"complaints_cli.cli.{module}"), attribute)
        in_group = typer.main.get_group(typer_app).commands[name]
        parent = typer.Context(root, info_name="complaints")
        ctx_alone = typer.Context(alone, info_name=name, parent=parent)
        ctx_group = typer.Context(in_group, info_name=name, parent=parent)
        assert _params(alone) == _params(in_group), name
        assert alone.get_help(ctx_alone) == in_group.get_help(ctx_group), name
        assert alone.callback.__wrapped__ is in_group.callback.__wrapped__, name
        checked += 1
    assert checked >= 30
    assert load_command("no-such-command") is None


def _params(command: object) -> list[tuple[object, ...]]:
    return [
        (
            p.name,
            p.opts,
            p.secondary_opts,
            p.required,
            repr(p.default),
            p.multiple,
            p.nargs,
            getattr(p, "is_flag", None),
            getattr(p, "help", None),
            p.type.name,
            type(p.type).__name__,
            getattr(p.type, "choices", None),
            p.envvar,
            getattr(p, "hidden", None),
        )
        for p in command.params  # type: ignore[attr-defined]
    ]
