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


def _case_folder(root: Path, reference: str) -> Path:
    """The case's folder, or the error telling the handler how to find out what is wrong."""
    from complaints_cli.files.folders import find_case_folder

    folder = find_case_folder(root, reference)
    if folder is None:
        raise ComplaintsError(
            f"{reference} has no case folder under {str(root)!r}: run complaints folders "
            "--check to see which folders are missing or misnamed"
        )
    return folder


def _read_case(cfg: Any, reference: str) -> tuple[Any, list[Any], list[Any]]:
    from complaints_cli.store import reads

    with open_raw(cfg) as db:
        case = reads.get_case(db, reference)
        assert case.id is not None
        entries = reads.history(db, case.id)
        actions = reads.actions(db, case.id)
    return case, entries, actions


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
    case, _entries, actions = _read_case(tf.settings, reference)
    milestones = compute_milestones(case, tf.profile, tf.calendar, as_of=tf.today)
    letter = build_letter(
        wanted,
        case,
        actions,
        letter_deadlines(milestones),
        today=tf.today,
        profile_limits={r.key: r.limit_text for r in tf.profile.milestones},
    )
    folder = _case_folder(tf.settings.root_path, case.reference)
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
    case, entries, actions = _read_case(cfg, reference)
    ref = case.reference
    folder = _case_folder(cfg.root_path, ref)
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
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Find cases without a folder, folders without a case and folders whose "
            "name no longer matches the address (exit status 1 when any is found).",
        ),
    ] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Compare the case folders under the root with the log (read-only: nothing is changed).

    Without --check, list each case's folder. With --check, list the problems; exit
    status 0 when there are none, 1 when there are.

    Example: complaints folders --check --format csv
    """
    from complaints_cli.files.folder_check import check_folders
    from complaints_cli.files.folders import case_folders
    from complaints_cli.render.listing import output_rows

    fmt = check_format(fmt)
    cfg = settings(ctx)
    root: Path = cfg.root_path
    if not root.is_dir():
        raise ComplaintsError(
            f"the complaints root {str(root)!r} is not a folder (check --root or COMPLAINTS_ROOT)"
        )
    from complaints_cli.store.reads import references_and_addresses

    with open_raw(cfg) as db:
        cases = references_and_addresses(db)
    if not check:
        by_ref, _strays = case_folders(root)
        listing = [
            {"reference": ref, "folder": " | ".join(by_ref.get(ref.upper(), [])) or None}
            for ref, _address in cases
        ]
        output_rows(
            listing,
            ("reference", "folder"),
            fmt,
            headers={"reference": "Reference", "folder": "Folder"},
            empty="The log has no cases.",
        )
        return
    problems = check_folders(root, cases)
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
        empty=f"All {len(cases)} case(s) have one folder each, named for their address; "
        "no other folders under the root.",
    )
    if problems:
        typer.echo(f"complaints: {len(problems)} folder problem(s) found", err=True)
        raise typer.Exit(ExitCode.PROBLEMS_FOUND)
