"""The Ombudsman stage: the referral, the Ombudsman's request for evidence and when it was sent.

A resident may refer a complaint to the Housing Ombudsman (or the Property Redress Scheme)
once the landlord's process is complete; the landlord sends its evidence within the time the
Ombudsman asks (Spruce procedure: 15 working days).
"""

from __future__ import annotations

from datetime import date

from complaints_cli.domain.case import Case
from complaints_cli.domain.rules import Change, Rules, check_date, milestone, require_open, uk
from complaints_cli.domain.vocabulary import OmbudsmanBody, Stage, words
from complaints_cli.errors import ComplaintsError

__all__ = ["ombudsman", "parse_body"]


def parse_body(text: str | None, what: str = "--body") -> OmbudsmanBody:
    """``HOS`` (the default) or ``PRS``, in any case; ``what`` names the value in the message
    (``""``: the value alone, as a workbook cell's message gives it)."""
    name = (text or OmbudsmanBody.HOS.value).strip().upper()
    try:
        return OmbudsmanBody(name)
    except ValueError:
        shown = f"{what} {text!r}" if what else repr(text)
        raise ComplaintsError(f"{shown} is not one of: {words(OmbudsmanBody)}") from None


def ombudsman(
    case: Case,
    rules: Rules,
    *,
    referred: date | None,
    requested: date | None,
    evidence_sent: date | None,
    body: str | None,
) -> Change:
    """A referral to the Housing Ombudsman (or PRS), its evidence request and our reply."""
    require_open(case)
    if referred is None and requested is None and evidence_sent is None:
        raise ComplaintsError("give --referred D, --requested D or --evidence-sent D")
    name = parse_body(body)
    saved = case
    if referred is not None:
        check_date(referred, "referral date", rules, (case.received, "date received"))
        saved = saved._replace(
            ombudsman_referred=referred, ombudsman_body=name, stage=Stage.OMBUDSMAN
        )
    if requested is not None:
        check_date(
            requested,
            "evidence request date",
            rules,
            (case.received, "date received"),
            (saved.ombudsman_referred, "referral"),  # given now, or recorded before
        )
        saved = saved._replace(
            ombudsman_requested=requested,
            stage=Stage.OMBUDSMAN,
            ombudsman_body=case.ombudsman_body or name,
        )
        sent = case.ombudsman_evidence_sent
        if evidence_sent is None and sent is not None and sent < requested:
            # A further request: the evidence sent for the last one does not answer it (the
            # history keeps the earlier request and reply).
            saved = saved._replace(ombudsman_evidence_sent=None)
    if evidence_sent is not None:
        asked = requested or case.ombudsman_requested
        if asked is None:
            raise ComplaintsError("record the Ombudsman's request first (--requested D)")
        check_date(evidence_sent, "evidence date", rules, (asked, "Ombudsman's request"))
        saved = saved._replace(ombudsman_evidence_sent=evidence_sent)
    change = Change(saved)
    m = milestone(saved, rules, key="ombudsman_evidence")
    if m is not None and m.done is None:
        change.messages.append(f"evidence due to the Ombudsman by {uk(m.deadline)}")
    return change
