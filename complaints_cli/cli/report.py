"""``complaints report emt`` and ``complaints report annual``: the team's performance figures.

Imported on every run, so only Typer is imported here; the report modules (and openpyxl, for
``--output``) are imported inside the commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from complaints_cli.cli.options import Timeframes, check_format, new_app, open_raw
from complaints_cli.errors import ComplaintsError

FORMATS = ("table", "json", "markdown")

ReportFormatOpt = Annotated[
    str,
    typer.Option("--format", "-f", help="Output: table, json or markdown.", metavar="FORMAT"),
]


def _output_opt(what: str) -> Any:
    return typer.Option(
        "--output", "-o", help=f"Also write the report as an Excel workbook (.xlsx): {what}."
    )


EmtOutputOpt = Annotated[
    Path | None,
    _output_opt(
        "a summary, the trend with charts, and a sheet listing the cases behind each figure"
    ),
]
AnnualOutputOpt = Annotated[
    Path | None,
    _output_opt("a summary and a sheet listing the cases counted in and out of each figure"),
]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Replace the --output (or --docx) file if it exists.")
]
DocxOpt = Annotated[
    Path | None,
    typer.Option(
        "--docx",
        help="Also write the annual complaints performance and service improvement report "
        "(Code section 8) as a Word document (.docx) to complete and present.",
    ),
]


def _check_target(target: Path | None, option: str, suffix: str, what: str, force: bool) -> None:
    """Refuse a bad --output/--docx before the report is worked out (the save checks again)."""
    if target is None:
        return
    if target.suffix.lower() != suffix:
        raise ComplaintsError(f"{option} {target.name!r} must be {what}")
    if target.exists() and not force and not target.is_dir():
        raise ComplaintsError(f"{str(target)!r} already exists: use --force to replace it")


def _check_output(output: Path | None, force: bool) -> None:
    _check_target(output, "--output", ".xlsx", "an .xlsx workbook", force)


def _saved(saved: Any, target: Path, what: str) -> None:
    if saved.locked:
        typer.echo(f"complaints: warning: {saved.left_unchanged(target, what)}", err=True)
    typer.echo(f"Saved the {what} to {saved.path}", err=True)


def _deliver(
    report: Any, fmt: str, output: Path | None, force: bool, docx: Path | None = None
) -> None:
    """Save the workbook and the document (when asked) before printing, so a refusal prints
    nothing."""
    if output is not None:
        from complaints_cli.reports.workbook import save_report

        _saved(save_report(report, output, force=force), output, "report")
    if docx is not None:
        from complaints_cli.files.annual_report_docx import save_document
        from complaints_cli.reports.annual_document import annual_document

        _saved(save_document(annual_document(report), docx, force=force), docx, "document")
    from complaints_cli.reports.output import print_report

    print_report(report, fmt)


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def _emt(ctx: typer.Context, month: str, fmt: str, output: Path | None, force: bool) -> None:
    from complaints_cli.domain.periods import month as parse_month
    from complaints_cli.memory import paused_gc
    from complaints_cli.reports.emt import emt_report

    fmt = check_format(fmt, FORMATS)
    _check_output(output, force)
    period = parse_month(month)
    tf = Timeframes(ctx)
    with paused_gc(), open_raw(tf.settings) as db:
        report = emt_report(
            db,
            period,
            profile=tf.profile,
            calendar=tf.calendar,
            today=tf.today,
            generated_at=_now(),
            categories=tf.settings.categories.value,
        )
    with paused_gc():
        _deliver(report, fmt, output, force)


def _annual(
    ctx: typer.Context,
    year: int | None,
    start: str | None,
    end: str | None,
    homes: tuple[int | None, int | None, int | None],
    fmt: str,
    output: Path | None,
    force: bool,
    docx: Path | None,
) -> None:
    from complaints_cli.domain.code_in_force import CODE_2022, CODE_2024, CODE_2024_FROM
    from complaints_cli.domain.dates import parse_date
    from complaints_cli.domain.periods import between, financial_year
    from complaints_cli.domain.profiles import get_profile
    from complaints_cli.memory import paused_gc
    from complaints_cli.reports.annual import annual_report
    from complaints_cli.reports.tsm import Homes

    fmt = check_format(fmt, FORMATS)
    _check_output(output, force)
    _check_target(docx, "--docx", ".docx", "a Word document (.docx)", force)
    if docx is not None and output is not None and docx.resolve() == output.resolve():
        raise ComplaintsError("--docx and --output must name different files")
    if year is not None and (start or end):
        raise ComplaintsError("give --year, or --from and --to, not both")
    if year is None and not (start and end):
        if start or end:
            raise ComplaintsError("give both --from and --to (or --year)")
        raise ComplaintsError("give --year 2025 (April 2025 to March 2026), or --from and --to")
    if year is not None:
        period = financial_year(year)
    else:
        assert start is not None and end is not None
        period = between(parse_date(start, what="--from"), parse_date(end, what="--to"))
    for option, value in zip(("--homes", "--homes-lcra", "--homes-lcho"), homes, strict=True):
        if value is not None and value < 1:
            raise ComplaintsError(f"{option} {value} must be at least 1")
    total, lcra, lcho = homes
    tf = Timeframes(ctx)
    owned = Homes(
        total if total is not None else tf.settings.homes.value,
        lcra if lcra is not None else tf.settings.homes_lcra.value,
        lcho if lcho is not None else tf.settings.homes_lcho.value,
    )
    with paused_gc(), open_raw(tf.settings) as db:
        report = annual_report(
            db,
            period,
            codes={name: get_profile(name) for name in (CODE_2022, CODE_2024)},
            calendar=tf.calendar,
            homes=owned,
            today=tf.today,
            generated_at=_now(),
            categories=tf.settings.categories.value,
        )
    if period.start < CODE_2024_FROM:
        typer.echo(
            f"complaints: warning: the period starts before {CODE_2024_FROM:%d/%m/%Y}: steps "
            "whose clock started before then are judged by the Housing Ombudsman Complaint "
            "Handling Code 2022, in force then (Stage 2 counted from the escalation request), "
            "not by the 2024 Code; the report's notes say which Code applied",
            err=True,
        )
    with paused_gc():
        _deliver(report, fmt, output, force, docx)


report_app = new_app(
    name="report",
    help="Performance reports: the monthly EMT report, the annual Code and TSM figures.",
    no_args_is_help=True,
)


@report_app.command("emt")
def emt_cmd(
    ctx: typer.Context,
    month: Annotated[
        str,
        typer.Option("--month", help="The month: yyyy-mm, e.g. 2026-10.", show_default=False),
    ],
    output: EmtOutputOpt = None,
    fmt: ReportFormatOpt = "table",
    force: ForceOpt = False,
) -> None:
    """The monthly EMT performance report: activity, open cases, timeliness against the
    team's profile, compensation, learning, the Ombudsman, compliments, a 12-month trend.

    Every figure is counted from the log; the JSON and the workbook list the cases behind
    each one. See the README, "Reports", for what each figure counts.

    Example: complaints report emt --month 2026-10 --output emt-2026-10.xlsx
    """
    _emt(ctx, month, fmt, output, force)


@report_app.command("annual")
def annual_cmd(
    ctx: typer.Context,
    year: Annotated[
        int | None,
        typer.Option("--year", help="Financial year starting in April: 2025 is 2025/26."),
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="Another period's first day (with --to).")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="Its last day.")] = None,
    homes: Annotated[
        int | None,
        typer.Option("--homes", help="Homes owned in all, for TSM CH01 [default: config homes]."),
    ] = None,
    homes_lcra: Annotated[
        int | None,
        typer.Option(
            "--homes-lcra",
            help="Low-cost rental (LCRA) homes owned, for CH01 per stock type "
            "[default: config homes_lcra].",
        ),
    ] = None,
    homes_lcho: Annotated[
        int | None,
        typer.Option(
            "--homes-lcho",
            help="Low-cost home ownership (LCHO) homes owned, for CH01 per stock type "
            "[default: config homes_lcho].",
        ),
    ] = None,
    output: AnnualOutputOpt = None,
    docx: DocxOpt = None,
    fmt: ReportFormatOpt = "table",
    force: ForceOpt = False,
) -> None:
    """The annual figures against the Complaint Handling Code: the self-assessment shares
    (section 6), the Regulator's Tenant Satisfaction Measures CH01 and CH02 per stock type,
    outcomes, categories, refusals, learning and the Ombudsman's determinations.

    Each step is judged by the Code in force when its clock started (the 2022 Code before
    1 April 2024, the 2024 Code from then), whatever the team's profile. Each figure lists the
    cases counted in and out of it, and why.

    Example: complaints report annual --year 2025 --homes-lcra 2300 --homes-lcho 200 --docx annual.docx
    """
    _annual(ctx, year, start, end, (homes, homes_lcra, homes_lcho), fmt, output, force, docx)
