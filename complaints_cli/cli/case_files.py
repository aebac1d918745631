"""The case folder: draft letters (``letter``), the Ombudsman pack (``pack``), ``folders --check``.

Imported on every run, so only Typer is imported here; python-docx is imported inside
``letter`` and ``pack`` only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from complaints_cli.cli.options import (
    FormatOpt,
    RefArg,
    Timeframes,
    check_format,
    new_app,
    open_raw,
    settings,
    today,
)
from complaints_cli.errors import ComplaintsError, ExitCode


def _read_case(cfg: Any, reference: str) -> tuple[Any, list[Any], list[Any], Path]:
    """The case, its history, its actions and its claimed folder (or the one-line error
    saying why it has none and what to do)."""
    from complaints_cli.cli.roots import TeamRoot
    from complaints_cli.store import reads

    with open_raw(cfg) as db:
        case = reads.get_case(db, reference)
        assert case.id is not None
        entries = reads.history(db, case.id)
        actions = reads.actions(db, case.id)
        folder = TeamRoot(cfg, db, claim=False).case_folder(case)
    return case, entries, actions, folder


app = new_app()


@app.command("letter")
def letter_cmd(
    ctx: typer.Context,
    reference: RefArg,
    kind: Annotated[
        str,
        typer.Argument(help="acknowledgement, extension, stage1 or stage2.", metavar="KIND"),
    ],
) -> None:
    """Write a draft letter to the resident into the case folder, as a Word document.

    The letter carries what the Complaint Handling Code requires (6.9 at Stage 1, 6.19 at
    Stage 2: the stage, the complaint as defined, the decision and its reasons, the remedy,
    outstanding actions, how to escalate; the Ombudsman's contact details on an extension
    and at Stage 2), filled in from the log. What the log cannot know is left as a
    highlighted [instruction]. An existing file is never replaced.

    Example: complaints letter SPRUCE001 stage1
    """
    from complaints_cli.domain.deadlines import compute_milestones
    from complaints_cli.domain.letters import KINDS, build_letter, file_stem, letter_deadlines

    wanted = kind.strip().lower().replace(" ", "").replace("-", "")
    wanted = {"ack": "acknowledgement", "acknowledgment": "acknowledgement"}.get(wanted, wanted)
    if wanted not in KINDS:
        raise ComplaintsError(f"letter {kind!r} is not one of: {', '.join(KINDS)}")
    tf = Timeframes(ctx)
    case, _entries, actions, folder = _read_case(tf.settings, reference)
    milestones = compute_milestones(case, tf.profile, tf.calendar, as_of=tf.today)
    letter = build_letter(
        wanted,
        case,
        actions,
        letter_deadlines(milestones),
        today=tf.today,
        profile_limits={r.key: r.limit_text for r in tf.profile.milestones},
    )
    from complaints_cli.files.docx_writer import letter_docx, save_new

    path = save_new(folder, file_stem(letter), ".docx", letter_docx(letter))
    typer.echo(f"Wrote {path}")
    typer.echo("It is a draft: complete the highlighted [instructions] before sending.")


@app.command("pack")
def pack_cmd(ctx: typer.Context, reference: RefArg) -> None:
    """Write the case's chronology and an index of its folder into the folder (Word).

    For an Ombudsman evidence request: every date on the case and every history entry in
    date order, then every file in the case folder with its size and when it was modified.
    An existing pack is never replaced.

    Example: complaints pack SPRUCE001
    """
    from complaints_cli.domain.case_pack import CHRONOLOGY_HEADER, chronology
    from complaints_cli.files.folders import INDEX_HEADER, folder_index

    cfg = settings(ctx)
    day = today()
    case, entries, actions, folder = _read_case(cfg, reference)
    ref = case.reference
    events = chronology(case, entries, actions)
    files = folder_index(folder)
    from complaints_cli.files.docx_writer import save_new, table_docx

    data = table_docx(
        f"{ref}: case chronology and folder index",
        [
            f"Complainant: {case.complainant}",
            f"Address: {case.address}",
            f"Status: {case.status}, {case.stage}",
            f"Prepared on {day:%d/%m/%Y} from the complaints log and the case folder "
            f"{folder.name!r}.",
            "Case record: the dates the log holds for the case. History: who recorded "
            "each change, and when (UTC).",
        ],
        [
            ("Chronology", CHRONOLOGY_HEADER, [e.row() for e in events]),
            ("Index of the case folder", INDEX_HEADER, [f.row() for f in files]),
        ],
    )
    path = save_new(folder, f"{ref} Case pack {day.isoformat()}", ".docx", data)
    typer.echo(f"Wrote {path}: {len(events)} chronology entries, {len(files)} file(s) indexed")


@app.command("folders")
def folders_cmd(
    ctx: typer.Context,
    references: Annotated[
        list[str] | None,
        typer.Argument(help="With --adopt: only these cases' folders.", metavar="[REF]..."),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Find cases without a folder, folders without a case or without a marker, "
            "links, purged cases' folders still there and folders whose name no longer "
            "matches the address (exit status 1 when any is found).",
        ),
    ] = False,
    fix: Annotated[
        bool,
        typer.Option(
            "--fix",
            help="With --check: make missing folders, claim the empty folder an interrupted "
            "log left, remove purged cases' folders; then list what is left for a person.",
        ),
    ] = False,
    adopt: Annotated[
        bool,
        typer.Option(
            "--adopt",
            help="Claim folders made before markers (an imported log's, an older version's): "
            "each case's only unmarked folder whose name matches its address, or any named "
            "REF's; the root too.",
        ),
    ] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Compare the case folders under the root with the log; --fix and --adopt put right
    what can be put right safely.

    Without an option, list each case's folder (the one its marker claims). With --check,
    list the problems; exit status 0 when there are none, 1 when there are. --check --fix
    finishes what an interrupted log, import --create-folders or purge left, and is safe to
    run at any time: it never renames, moves or deletes a folder the log has not claimed.
    --adopt claims folders that have no marker yet (see the README's "Case folders").

    Example: complaints folders --check --fix
    """
    fmt = check_format(fmt)
    cfg = settings(ctx)
    if references and not adopt:
        raise ComplaintsError(
            "references are only given with --adopt (complaints folders --adopt REF)"
        )
    if fix and not check:
        check = True
    if adopt and check:
        raise ComplaintsError("give --adopt or --check, not both: adopt first, then check")
    if adopt:
        _adopt(cfg, references or [], fmt)
        return
    root: Path = cfg.root_path
    if not root.is_dir() and not fix:
        raise ComplaintsError(
            f"the complaints root {str(root)!r} is not a folder (check --root or COMPLAINTS_ROOT)"
        )
    from complaints_cli.cli.roots import TeamRoot
    from complaints_cli.store.folders import folder_cases, pending_removals

    with open_raw(cfg) as db:
        team = TeamRoot(cfg, db, claim=fix)
        cases = folder_cases(db, team.log_id)
        pending = pending_removals(db, team.log_id)
        if fix:
            _fix(cfg, db, team, cases, pending)
            pending = pending_removals(db, team.log_id)
    if not check:
        _list_folders(team, cases, fmt)
        return
    _report_problems(team, cases, [p.claim for p in pending], fmt)


def _list_folders(team: Any, cases: list[Any], fmt: str) -> None:
    from complaints_cli.files.folders import find_claimed, root_entries
    from complaints_cli.render.listing import output_rows

    entries = root_entries(team.path)
    listing = []
    for case in cases:
        try:
            found = find_claimed(team.path, case.claim, entries)
            name = found.name if found else None
        except ComplaintsError:
            name = "(two folders claim it: complaints folders --check)"
        listing.append({"reference": case.reference, "folder": name})
    output_rows(
        listing,
        ("reference", "folder"),
        fmt,
        headers={"reference": "Reference", "folder": "Folder"},
        empty="The log has no cases.",
    )


def _fix(cfg: Any, db: Any, team: Any, cases: list[Any], pending: list[Any]) -> None:
    """``folders --check --fix``: outside any write lock; each name recorded as it is made."""
    from complaints_cli.cli.excel import _progress
    from complaints_cli.files.folder_check import fix_folders
    from complaints_cli.store.folders import drop_removals
    from complaints_cli.store.writes import Store

    with _progress("Checking folders", len(cases)) as advance:
        result = fix_folders(team.path, cases, [p.claim for p in pending], advance)
    if result.names:
        with Store(cfg.db_url) as store:
            store.set_folders(result.names)
    done = {id(c) for c in result.removed}
    drop_removals(db, [p.id for p in pending if id(p.claim) in done])
    for line in result.done:
        typer.echo(line)
    for line in result.failed:
        typer.echo(f"complaints: warning: {line}", err=True)


def _report_problems(team: Any, cases: list[Any], pending: list[Any], fmt: str) -> None:
    from complaints_cli.files.folder_check import check_folders
    from complaints_cli.render.listing import output_rows

    problems = check_folders(team.path, cases, pending)
    output_rows(
        [p.__dict__ for p in problems],
        ("problem", "reference", "folder", "expected", "detail"),
        fmt,
        headers={
            "problem": "Problem",
            "reference": "Reference",
            "folder": "Folder",
            "expected": "Expected name",
            "detail": "What to do",
        },
        empty=f"All {len(cases)} case(s) have one folder each, claimed by its marker and named "
        "for their address; no other folders under the root.",
    )
    if problems:
        typer.echo(f"complaints: {len(problems)} folder problem(s) found", err=True)
        raise typer.Exit(ExitCode.PROBLEMS_FOUND)


def _adopt(cfg: Any, references: list[str], fmt: str) -> None:
    """``folders --adopt [REF]...``: claim the root and the folders made before markers."""
    from complaints_cli.config import shown_location
    from complaints_cli.files.folder_check import adopt_folders
    from complaints_cli.files.markers import claim_root, read_root_owner
    from complaints_cli.render.listing import output_rows
    from complaints_cli.store import reads
    from complaints_cli.store.folders import folder_cases, log_id

    root: Path = cfg.root_path
    if not root.is_dir():
        raise ComplaintsError(
            f"the complaints root {str(root)!r} is not a folder (check --root or COMPLAINTS_ROOT)"
        )
    with open_raw(cfg) as db:
        refs = [reads.get_case(db, r).reference for r in references]
        identity = log_id(db)
        cases = folder_cases(db, identity, refs or None)
    had_marker = read_root_owner(root) is not None
    claim_root(root, identity, shown_location(cfg.db_url))
    result = adopt_folders(root, cases, named=bool(refs))
    if not had_marker:
        typer.echo(f"Claimed the complaints root {root} for this log")
    for line in result.adopted:
        typer.echo(f"Adopted {line}")
    typer.echo(f"{len(result.adopted)} folder(s) adopted.")
    if result.left:
        output_rows(
            [{"reference": r, "folder": f, "detail": d} for r, f, d in result.left],
            ("reference", "folder", "detail"),
            fmt,
            headers={"reference": "Reference", "folder": "Folder", "detail": "Left, because"},
            title="Not adopted",
        )
        typer.echo(f"complaints: {len(result.left)} folder(s) not adopted", err=True)
        raise typer.Exit(ExitCode.PROBLEMS_FOUND)
