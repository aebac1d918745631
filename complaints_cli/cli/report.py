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
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace the --output file if it exists.")]


def _check_output(output: Path | None, force: bool) -> None:
    """Refuse a bad --output before the report is worked out (the save checks again)."""
    if output is None:
        return
    if output.suffix.lower() != ".xlsx":
        raise ComplaintsError(f"--output {output.name!r} must be an .xlsx workbook")
    if output.exists() and not force and not output.is_dir():
        raise ComplaintsError(f"{str(output)!r} already exists: use --force to replace it")


def _deliver(report: Any, fmt: str, output: Path | None, force: bool) -> None:
    """Save the workbook (when asked) before printing, so a refusal prints nothing."""
    if output is not None:
        from complaints_cli.reports.workbook import save_report

        saved = save_report(report, output, force=force)
        if saved.locked:
            typer.echo(
                f"complaints: warning: {output} is open in another program (Excel?), so it was "
                f"left unchanged; the report was saved as {saved.path} instead",
                err=True,
            )
        typer.echo(f"Saved the report to {saved.path}", err=True)
    from complaints_cli.reports.output import print_report

    print_report(report, fmt)


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def _emt(ctx: typer.Context, month: str, fmt: str, output: Path | None, force: bool) -> None:
    from complaints_cli.domain.periods import month as parse_month
    from complaints_cli.reports.emt import emt_report

    fmt = check_format(fmt, FORMATS)
    _check_output(output, force)
    period = parse_month(month)
    tf = Timeframes(ctx)
    with open_raw(tf.settings) as db:
        report = emt_report(
            db,
            period,
            profile=tf.profile,
            calendar=tf.calendar,
            today=tf.today,
            generated_at=_now(),
        )
    _deliver(report, fmt, output, force)


def _annual(
    ctx: typer.Context,
    year: int | None,
    start: str | None,
    end: str | None,
    homes: int | None,
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    from complaints_cli.domain.dates import parse_date
    from complaints_cli.domain.periods import between, financial_year
    from complaints_cli.reports.annual import annual_report

    fmt = check_format(fmt, FORMATS)
    _check_output(output, force)
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
    if homes is not None and homes < 1:
        raise ComplaintsError(f"--homes {homes} must be at least 1")
    tf = Timeframes(ctx)
    with open_raw(tf.settings) as db:
        report = annual_report(
            db,
            period,
            code=tf.code_profile(),
            calendar=tf.calendar,
            homes=homes if homes is not None else tf.settings.homes.value,
            today=tf.today,
            generated_at=_now(),
        )
    _deliver(report, fmt, output, force)


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
        typer.Option("--homes", help="Homes managed, for TSM CH01 [default: config homes]."),
    ] = None,
    output: AnnualOutputOpt = None,
    fmt: ReportFormatOpt = "table",
    force: ForceOpt = False,
) -> None:
    """The annual figures against the Complaint Handling Code: the self-assessment shares
    (section 6) and the Regulator's Tenant Satisfaction Measures CH01 and CH02.

    Judged against the Code (hos-code-2024) whatever the team's profile. Each figure lists
    the cases counted in and out of it, and why.

    Example: complaints report annual --year 2025 --homes 2500 --format markdown
    """
    _annual(ctx, year, start, end, homes, fmt, output, force)
