"""The annual complaints performance and service improvement report (Complaint Handling Code
2024, section 8) drafted from the annual figures, as a document to complete and present.

What the Code's section 8 report holds (DOMAIN.md, "The annual report"; Code 2024 8.1 (a)-(f)
and the governing body's response published alongside it), and what this draft gives for each:

1. **the self-assessment** against the Code: a row per section 6 provision (its requirement in
   the Code's words, :mod:`.code_provisions`), with the figures the log gives for it
   (acknowledgements, responses, extensions, telling the resident, the Stage 2 reviewer,
   refusals) and highlighted places for the compliance decision and the evidence the log
   cannot hold (policies, letters, training); the other sections as highlighted instructions;
2. **the analysis of performance**: every figure of ``report annual`` (the same texts as its
   JSON) with what it counts; the outcomes and categories (Code section 9); the **complaints
   refused**, by reason and case by case;
3. **findings of non-compliance** by the Ombudsman: not recorded in the log, so an instruction;
4. **learning and service improvements**: the learning recorded in the period, case by case,
   and an instruction for the improvements made;
5. **the Ombudsman**: the determinations recorded in the period with their findings, orders and
   recommendations; an instruction for the Ombudsman's annual letter and reports;
6. **the governing body's response**: a highlighted place.

Nothing is invented: whatever the log does not know is a ``[highlighted instruction]``.
"""

from __future__ import annotations

from complaints_cli.domain.dates import format_uk
from complaints_cli.domain.report_document import Block, ReportDocument
from complaints_cli.reports.code_provisions import SECTION_6
from complaints_cli.reports.figures import Breakdown, Figure, Report

#: Section 6 provision -> the figures the log gives for it.
PROVISION_FIGURES: dict[str, tuple[str, ...]] = {
    "6.2": ("sa_ack",),
    "6.3": ("sa_stage1",),
    "6.4": ("sa_stage1_extended",),
    "6.5": ("sa_stage1_extension_told",),
    "6.10": ("stage2_refused",),
    "6.11": ("sa_stage2_ack",),
    "6.13": ("sa_stage2_reviewer",),
    "6.14": ("sa_stage2",),
    "6.15": ("sa_stage2_extended",),
    "6.16": ("sa_stage2_extension_told",),
}
NO_EVIDENCE = "[The log holds no evidence for this provision: give the policy, letter or training]"
COMPLY = "[Yes / No]"
EVIDENCE = "[Evidence: the policy section, template or training that shows it; any commentary]"
OTHER_SECTIONS = (
    ("1-4", "Definition, exclusions, accessibility and awareness, complaint handling staff"),
    ("5", "The complaint handling process"),
    ("7", "Putting things right (the compensation figures below are the log's part of it)"),
    ("8", "Self-assessment, reporting and compliance (this report)"),
    ("9", "Scrutiny and oversight (the outcomes and categories below are the log's part of it)"),
)


def _shows(report: Report, keys: tuple[str, ...]) -> str:
    parts = []
    for key in keys:
        f = report.figure(key)
        out = sum(1 for c in f.cases if not c.counted)
        text = f"{f.label}: {f.text}"
        if out:
            text += f" ({out} counted out, each with why, in the workbook and the JSON)"
        parts.append(text)
    return "; ".join(parts)


def _self_assessment(report: Report) -> list[Block]:
    rows: list[tuple[str, ...]] = []
    for number, requirement in SECTION_6.items():
        keys = PROVISION_FIGURES.get(number)
        shows = _shows(report, keys) if keys else NO_EVIDENCE
        rows.append((number, requirement, shows, COMPLY, EVIDENCE))
    for number, title in OTHER_SECTIONS:
        rows.append(
            (
                number,
                title,
                "[Copy each provision of this section from the Ombudsman's self-assessment form]",
                COMPLY,
                EVIDENCE,
            )
        )
    return [
        Block("heading", "1. Self-assessment against the Complaint Handling Code (8.1 a)"),
        Block(
            "paragraph",
            "Section 6 provisions in the Code's words, with what the complaints log shows for "
            "each. The compliance decision and the evidence are for the complaints officer to "
            "complete and the governing body to approve.",
        ),
        Block(
            "table",
            "Self-assessment",
            header=("Provision", "Code requirement", "What the log shows", "Comply", "Evidence"),
            rows=tuple(rows),
            widths=(1.6, 9, 7, 1.8, 5),
        ),
    ]


def _figures(report: Report) -> list[Block]:
    rows = tuple((f.section, f.label, f.text, f.note) for f in report.figures)
    return [
        Block("heading", "2. Complaint handling performance (8.1 b)"),
        Block(
            "paragraph",
            f"The figures for {report.period.label}, counted from the complaints log; each "
            "figure's cases are listed in the workbook (report annual --output) and the JSON.",
        ),
        Block(
            "table",
            "Figures",
            header=("Section", "Figure", "Value", "What it counts, and the timescales used"),
            rows=rows,
            widths=(3.5, 6, 4, 11),
        ),
        Block(
            "instruction",
            "[Qualitative analysis: what the figures show, the themes behind them, and what is "
            "being done about them]",
        ),
    ]


def _breakdown(b: Breakdown) -> Block:
    rows = [(r.label, *(str(n) for n in r.counts), str(r.total)) for r in b.rows]
    totals = b.totals()
    rows.append(("Total", *(str(n) for n in totals), str(sum(totals))))
    return Block("table", b.label, header=(b.label, *b.columns, "Total"), rows=tuple(rows))


def _not_recorded(b: Breakdown) -> list[Block]:
    out = []
    for r in b.rows:
        if r.key == "not_recorded" and r.total:
            refs = ", ".join(line.reference for cell in r.cells for line in cell)
            out.append(Block("paragraph", f"{b.label} not recorded: {refs}."))
    return out


def _breakdowns(report: Report) -> list[Block]:
    blocks = [Block("heading", "3. Outcomes and categories (Code section 9)")]
    for key in ("outcomes", "categories"):
        b = report.breakdown(key)
        blocks += [Block("paragraph", b.note), _breakdown(b), *_not_recorded(b)]
    refused = report.breakdown("refusals")
    cases = [
        (
            line.reference,
            format_uk(line.on) if line.on else "",
            line.event,
            line.text or "",
            line.why,
        )
        for r in refused.rows
        for cell in r.cells
        for line in cell
    ]
    blocks += [
        Block("heading", "Complaints refused (8.1 b)", level=2),
        Block("paragraph", refused.note),
        _breakdown(refused),
        Block(
            "table",
            "Refused complaints, case by case",
            header=("Reference", "Date", "What", "Reason", "Told"),
            rows=tuple(cases) or (("(none)", "", "", "", ""),),
            widths=(2.5, 2.2, 4, 8, 5),
        ),
    ]
    return blocks


def _case_table(f: Figure, caption: str, header: tuple[str, ...], empty: str) -> Block:
    rows = tuple(
        (c.reference, format_uk(c.on) if c.on else "", c.text or "", c.why)
        for c in f.cases
        if c.counted
    )
    return Block(
        "table",
        caption,
        header=header,
        rows=rows or ((empty, "", "", ""),),
        widths=(2.5, 2.2, 10, 8),
    )


def annual_document(report: Report) -> ReportDocument:
    """The section 8 report for ``report`` (an annual report), to complete in Word."""
    codes = "; ".join(
        f"{c['label']} from {format_uk(c['from'])} to {format_uk(c['to'])}" for c in report.codes
    )
    blocks: list[Block] = [
        Block(
            "instruction",
            "[DRAFT drafted from the complaints log: complete every highlighted part, check "
            "every figure, and remove this line before the governing body sees it]",
        ),
        Block(
            "paragraph",
            f"Landlord: [Landlord name]. Period: {report.period.label} "
            f"({format_uk(report.period.start)} to {format_uk(report.period.end)}).",
        ),
        Block("paragraph", f"Judged against: {codes}."),
        *(Block("paragraph", note) for note in report.notes),
        *_self_assessment(report),
        *_figures(report),
        *_breakdowns(report),
        Block("heading", "4. Findings of non-compliance by the Ombudsman (8.1 c)"),
        Block(
            "instruction",
            "[Any findings of non-compliance with the Code made by the Ombudsman in the period, "
            "and what was done: the log does not record them]",
        ),
        Block("heading", "5. Learning and service improvements (8.1 d)"),
        _case_table(
            report.figure("learning"),
            "Organisational learning recorded in the period",
            ("Reference", "Recorded", "Learning", "How the date is known"),
            "(none recorded)",
        ),
        Block(
            "instruction",
            "[The service improvements made as a result of this learning, and when: the log "
            "records the learning, not the changes made]",
        ),
        Block("heading", "6. The Ombudsman: determinations, orders and reports (8.1 e, f)"),
        _case_table(
            report.figure("ombudsman_determinations"),
            "Determinations recorded in the period",
            ("Reference", "Determined", "Findings", "Orders and recommendations"),
            "(none recorded)",
        ),
        Block(
            "instruction",
            "[The Ombudsman's annual landlord performance report or letter, and any other "
            "report about this landlord in the period: summarise or attach]",
        ),
        Block("heading", "7. The governing body's response"),
        Block(
            "instruction",
            "[The governing body's response to this report, to be published alongside it: "
            "its view of the performance, the self-assessment and the improvements]",
        ),
    ]
    return ReportDocument(
        f"Annual complaints performance and service improvement report {report.period.label}",
        tuple(blocks),
    )
