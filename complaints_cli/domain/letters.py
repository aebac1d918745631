"""Draft letters to the resident, built from the case as the log holds it.

Pure: :func:`build_letter` turns a case record, its actions and its evaluated milestones into a
:class:`Letter` (headings and paragraphs). Writing the Word file is :mod:`docx_writer`'s job.

What each letter must say, and where that comes from
    ``acknowledgement``
        Code 6.2 / 6.11 (acknowledged, *defined* and logged), the procedure's "Receiving a
        complaint" (the reference number; the resident may contact the Housing Ombudsman at
        any time) and when the response is due.
    ``extension``
        Code 6.4 / 6.15 (the reason, clearly explained, and the expected date) and 6.5 / 6.16
        (the Ombudsman's contact details).
    ``stage1``
        Code 6.9 (a-f): the stage, the definition, the decision, the reasons, the remedy, the
        outstanding actions, and how to escalate to Stage 2.
    ``stage2``
        Code 6.19 (a-f), ending with how to go to the Ombudsman; the procedure's "Complaint:
        Stage 2" adds the Stage 1 outcome, why the resident remains unhappy, the review done and
        the Housing Ombudsman / Property Redress Scheme with their contact details and when to
        contact them. The procedure's "8 weeks from the date of your Stage 2 written response"
        is out of date: since 1 October 2022 the Housing Ombudsman Scheme has no "democratic
        filter", so a resident may refer a complaint as soon as the landlord's process is complete
        (Housing Ombudsman news, "Scheme changes improve access to Ombudsman", 3 October 2022);
        the Ombudsman cannot normally consider a complaint referred 12 months or more after the
        Stage 2 (final) response (Housing Ombudsman, "What to do if your stage 2 complaint
        response is more than 1 year old"). The letter says so, and names no waiting period.

A letter is refused (:class:`LetterRefused`) when the case is not at a point where it makes
sense: an extension letter with no extension recorded, a Stage 2 letter for a case never
escalated, a response letter before the response is recorded (the letter is built from it).

Anything the log does not hold and the handler must write is a ``[bracketed instruction]`` in
the draft, never invented text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Final, Literal

from complaints_cli.domain.case import Action, Case
from complaints_cli.domain.presentation import money
from complaints_cli.domain.vocabulary import Stage, Status
from complaints_cli.errors import ComplaintsError

LetterKind = Literal["acknowledgement", "extension", "stage1", "stage2"]
KINDS: Final[tuple[str, ...]] = ("acknowledgement", "extension", "stage1", "stage2")

#: The Housing Ombudsman Service's published contact details. The seeds name the Ombudsman but
#: give no contact details; these are as published by the Ombudsman and repeated by landlords
#: and councils (housing-ombudsman.org.uk, "Privacy notice for dispute resolution": telephone
#: 0300 111 3000; manchester.gov.uk, "Social housing complaints" and welhat.gov.uk, "Complaints
#: policy and procedure" section 14.4: the same telephone, email, website and postal address).
#: Checked 23/11/2026; the draft asks the handler to check them before sending.
OMBUDSMAN_CONTACT: Final[tuple[str, ...]] = (
    "Housing Ombudsman Service",
    "PO Box 1484, Unit D, Preston, PR2 0ET",
    "Telephone: 0300 111 3000",
    "Email: info@housing-ombudsman.org.uk",
    "Website: www.housing-ombudsman.org.uk",
)

#: The Property Redress Scheme's details could not be confirmed from a reliable source, so the
#: draft leaves them for the handler (the procedure requires them at Stage 2).
PRS_CONTACT: Final = "[Add the Property Redress Scheme's current contact details]"

#: The definition of a complaint the Spruce policy (2.1) adopts from the Housing Ombudsman.
COMPLAINT_DEFINITION: Final = (
    "an expression of dissatisfaction, however made, about the standard of service, actions "
    "or lack of action by the organisation, its own staff, or those acting on its behalf, "
    "affecting an individual resident or group of residents"
)

_OUTCOME = re.compile(
    r"^\s*(?P<decision>(?:not|partly|partially|fully)\s+upheld|upheld|resolved|not resolved)"
    r"\s*(?:[:\-–—.;,]\s*|\s+-\s+)(?P<reasons>.+)$",
    re.IGNORECASE | re.DOTALL,
)


#: How a complaint came in, as the letter says it.
_CHANNEL_WORDS: Final = {
    "email": " by email",
    "phone": " by phone",
    "letter": " by letter",
    "in person": " in person",
    "website": " through our website",
    "social media": " through social media",
}


class LetterRefused(ComplaintsError):
    """The case is not at a point where this letter makes sense (the message says why)."""


@dataclass(frozen=True)
class Block:
    """One piece of a letter: a ``heading``, a ``para``graph or a ``bullet``."""

    kind: Literal["heading", "para", "bullet"]
    text: str


@dataclass(frozen=True)
class Letter:
    kind: str
    #: What the letter is, in the file name and its title: ``"Stage 1 response"``.
    title: str
    reference: str
    dated: date
    blocks: tuple[Block, ...]

    def text(self) -> str:
        """The letter as plain text (for tests and previews)."""
        return "\n".join(b.text for b in self.blocks)


@dataclass(frozen=True)
class Deadline:
    """A milestone's deadline and its limit, as the letter quotes it."""

    deadline: date  #: the deadline in force (an extension included)
    due: date  #: the original deadline
    limit: str  #: ``"10 working days"``


def split_decision(summary: str | None) -> tuple[str | None, str | None]:
    """``"Upheld: repair booked"`` -> ``("Upheld", "repair booked")``.

    A response summary that starts with an outcome word gives the decision and its reasons
    apart; any other summary is the decision, and the reasons are left for the handler.
    """
    if not summary or not summary.strip():
        return None, None
    m = _OUTCOME.match(summary)
    if m is None:
        return summary.strip(), None
    decision, reasons = m["decision"].strip(), m["reasons"].strip()
    return decision[0].upper() + decision[1:].lower(), reasons[0].upper() + reasons[1:]


def _need(value: Any, instruction: str) -> str:
    return str(value).strip() if value not in (None, "") and str(value).strip() else instruction


class _Draft:
    """Collects blocks; a tiny builder so each letter reads top to bottom."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.blocks: list[Block] = []

    def h(self, text: str) -> None:
        self.blocks.append(Block("heading", text))

    def p(self, text: str) -> None:
        self.blocks.append(Block("para", text))

    def bullets(self, items: Sequence[str]) -> None:
        self.blocks.extend(Block("bullet", t) for t in items)


def _when(d: date | None) -> str:
    """``Monday 12 January 2026``: a date no resident can misread (a date the log does not
    hold is left for the handler to fill in)."""
    if d is None:
        return "[date: not in the log]"
    return f"{d:%A} {d.day} {d:%B %Y}"


def _opening(draft: _Draft, case: Case, stage_line: str) -> None:
    draft.p("DRAFT: check and complete every paragraph, then delete this line before sending.")
    needs = [
        f"{label}: {value}"
        for value, label in (
            (case.contact_preference, "contact"),
            (case.adjustments, "adjustments"),
        )
        if value
    ]
    if needs:
        # Code 6.1: the resident's reasonable adjustments decide how this letter is sent.
        draft.p(f"[Before sending, follow the resident's {'; '.join(needs)}]")
    draft.p(_when(draft.today))
    draft.p(_need(case.complainant, "[Resident's name]"))
    draft.p(_need(case.address, "[Address]"))
    draft.p(f"Our reference: {case.reference}")
    draft.p(stage_line)
    draft.p(f"Dear {_need(case.complainant, '[Resident]')},")


def _definition(draft: _Draft, case: Case, *, stage2: bool = False) -> None:
    draft.h("Your complaint")
    draft.p(
        f"We received your complaint on {_when(case.received)}"
        + _CHANNEL_WORDS.get(case.channel or "", "")
        + ". We understand your complaint to be:"
    )
    draft.p(
        _need(
            case.complaint_summary,
            "[Set out each point of the complaint as you have defined it with the resident]",
        )
    )
    if stage2:
        review = case.review_type.label if case.review_type else None
        draft.p(
            f"You asked us on {_when(case.escalation_received)} to review your complaint at "
            "Stage 2"
            + (f" (a {review})" if review else "")
            + ". You told us you remain unhappy because:"
        )
        draft.p(
            _need(
                case.escalation_details,
                "[Why the resident remains unhappy, as they explained it]",
            )
        )
    draft.p(
        "If we have misunderstood any part of your complaint, please tell us as soon as "
        "possible so that we can put it right."
    )


def _ombudsman(draft: _Draft, intro: str) -> None:
    draft.h("The Housing Ombudsman")
    draft.p(intro)
    draft.bullets(OMBUDSMAN_CONTACT)


def _sign_off(draft: _Draft, handler: str | None, role: str) -> None:
    draft.p("Yours sincerely,")
    draft.p(_need(handler, "[Your name]"))
    draft.p(role)


def _remedy(draft: _Draft, amount: Decimal | None, reasons: str | None, stage: str) -> None:
    draft.h("Putting things right")
    if amount is not None and amount > 0:
        why = f" for {reasons}" if reasons else ""
        draft.p(
            f"We are offering you compensation of {money(amount)}{why}, in line with our "
            "compensation framework."
        )
    elif reasons:
        draft.p(f"Compensation: {reasons}.")
    else:
        draft.p(
            f"We have not offered compensation at {stage}. "
            "[Describe any other remedy: an apology, a repair, a change we will make]"
        )


def _outstanding(draft: _Draft, actions: Sequence[Action]) -> None:
    draft.h("What we will do next")
    open_actions = [a for a in actions if a.done is None]
    if not open_actions:
        draft.p("There are no outstanding actions on your complaint.")
        return
    draft.p(
        "These actions are still to be completed. We will keep your complaint open until they "
        "are done, and we will update you on their progress at least once a week unless we "
        "agree otherwise with you:"
    )
    draft.bullets(
        [
            f"{a.text}: by {_when(a.due)} ({a.owner} is responsible)"
            if a.owner
            else f"{a.text}: by {_when(a.due)}"
            for a in open_actions
        ]
    )


def _decision(draft: _Draft, summary: str | None, what: str) -> None:
    decision, reasons = split_decision(summary)
    draft.h("Our decision")
    draft.p(_need(decision, f"[The decision on each point of the complaint at {what}]"))
    draft.h("The reasons for our decision")
    draft.p(
        _need(
            reasons,
            "[Explain the reasons for each decision, referring to the relevant policy, law and "
            "good practice (Code 6.7)]",
        )
    )


def _acknowledgement(draft: _Draft, case: Case, deadlines: Mapping[str, Deadline]) -> str:
    if case.stage is Stage.STAGE_2 or case.escalation_received:
        if case.stage2_responded:
            raise LetterRefused(
                f"{case.reference} already has its Stage 2 response: an acknowledgement "
                "letter no longer makes sense"
            )
        _opening(draft, case, "Stage 2 of our complaints procedure")
        draft.p(
            f"Thank you for asking us to review your complaint. We received your request on "
            f"{_when(case.escalation_received)} and have logged it at Stage 2, the final "
            "stage of our complaints procedure."
        )
        _definition(draft, case, stage2=True)
        due = deadlines.get("stage2_response")
        draft.h("What happens next")
        draft.p(
            f"{_need(case.stage2_handler, '[Stage 2 handler]')}, a senior manager who was "
            "not involved at Stage 1, will review your complaint"
            + (
                f" and send you our final response by {_when(due.deadline)} "
                f"({due.limit} of receiving your request)."
                if due
                else "."
            )
        )
        title = "Stage 2 acknowledgement"
        _ombudsman(
            draft,
            "You can contact the Housing Ombudsman at any time for advice about your complaint:",
        )
        _sign_off(draft, case.stage2_handler, "[Job title]")
        return title
    if case.stage1_responded:
        raise LetterRefused(
            f"{case.reference} already has its Stage 1 response: an acknowledgement letter "
            "no longer makes sense"
        )
    _opening(draft, case, "Stage 1 of our complaints procedure")
    draft.p(
        "Thank you for your complaint. We have logged it at Stage 1 of our complaints procedure "
        f"under the reference {case.reference}: please quote it when you contact us."
    )
    _definition(draft, case)
    due = deadlines.get("stage1_response")
    draft.h("What happens next")
    draft.p(
        f"{_need(case.handler, '[Handler]')} will investigate your complaint"
        + (
            f" and send you our response by {_when(due.deadline)} "
            f"({due.limit} from our acknowledgement)."
            if due
            else "."
        )
        + " If we need more time we will contact you before then to explain why and tell you "
        "when you will hear from us."
    )
    _ombudsman(
        draft,
        "You can contact the Housing Ombudsman at any time during your complaint for advice:",
    )
    _sign_off(draft, case.handler, "[Job title]")
    return "Acknowledgement"


def _extension(draft: _Draft, case: Case, deadlines: Mapping[str, Deadline]) -> str:
    at_stage2 = case.stage is not Stage.STAGE_1 and bool(case.escalation_received)
    n = "2" if at_stage2 else "1"
    if at_stage2:
        responded, extended, extended_to, reason = (
            case.stage2_responded,
            case.stage2_extension,
            case.stage2_extended_to,
            case.stage2_extension_reason,
        )
    else:
        responded, extended, extended_to, reason = (
            case.stage1_responded,
            case.stage1_extension,
            case.stage1_extended_to,
            case.stage1_extension_reason,
        )
    if responded:
        raise LetterRefused(
            f"{case.reference} already has its Stage {n} response: an extension letter no "
            "longer makes sense"
        )
    if not extended or extended_to is None:
        raise LetterRefused(
            f"{case.reference} has no Stage {n} extension recorded: record it first with "
            f"complaints extend {case.reference} --reason ... --told"
        )
    _opening(draft, case, f"Stage {n} of our complaints procedure")
    due = deadlines.get(f"stage{n}_response")
    new_date: date = extended_to
    draft.h("We need more time to respond")
    draft.p(
        f"We are sorry that we cannot send you our Stage {n} response"
        + (f" by {_when(due.due)}, as we told you" if due else " when we said we would")
        + f". We will now respond by {_when(new_date)}."
    )
    draft.h("Why we need more time")
    draft.p(_need(reason, "[The reason for the extension]"))
    _definition(draft, case, stage2=at_stage2)
    _ombudsman(
        draft,
        "If you are unhappy that we need more time, you can contact the Housing Ombudsman, who "
        "can give you advice about your complaint at any time:",
    )
    handler = case.stage2_handler if at_stage2 else case.handler
    _sign_off(draft, handler, "[Job title]")
    return f"Stage {n} extension"


def _stage1(
    draft: _Draft,
    case: Case,
    actions: Sequence[Action],
    deadlines: Mapping[str, Deadline],
    profile_limits: Mapping[str, str],
) -> str:
    if not case.stage1_responded:
        raise LetterRefused(
            f"{case.reference} has no Stage 1 response recorded: the letter is built from it, "
            f"so record it first with complaints respond {case.reference} --summary ..."
        )
    _opening(draft, case, "Stage 1 response to your complaint")
    draft.p(
        "This letter is our response at Stage 1 of our complaints procedure. It sets out how we "
        "understood your complaint, what we found, what we decided and why, and what happens "
        "next."
    )
    _definition(draft, case)
    draft.h("What we found")
    draft.p("[The investigation: who you spoke to, what you looked at, what you found]")
    _decision(draft, case.stage1_response_summary, "Stage 1")
    _remedy(draft, case.compensation_amount, case.compensation_reasons, "Stage 1")
    _outstanding(draft, actions)
    draft.h("If you are not satisfied: Stage 2")
    window = deadlines.get("close_if_not_escalated")
    draft.p(
        "If you are not satisfied with this response, you can ask us to escalate your complaint "
        "to Stage 2 by replying to this letter, by email or by phone, quoting "
        f"{case.reference}"
        + (
            f". Please let us know within {window.limit}, by {_when(window.deadline)}; "
            "after that we will take it that you are satisfied and close your complaint."
            if window
            else "."
        )
    )
    stage2_limit = profile_limits.get("stage2_response")
    draft.p(
        "It helps us if you tell us why you remain unhappy and what outcome you are seeking, "
        "but you do not have to. A senior manager who has not been involved in your complaint "
        "will review it"
        + (
            f" and respond within {stage2_limit} of receiving your request."
            if stage2_limit
            else "."
        )
    )
    _ombudsman(
        draft,
        "You can also contact the Housing Ombudsman at any time for advice about your complaint:",
    )
    _sign_off(draft, case.handler, "[Job title]")
    return "Stage 1 response"


def _stage2(
    draft: _Draft,
    case: Case,
    actions: Sequence[Action],
    deadlines: Mapping[str, Deadline],
) -> str:
    ref = case.reference
    if not case.escalated and not case.escalation_received:
        raise LetterRefused(
            f"{ref} was never escalated to Stage 2: record the escalation with complaints "
            f"escalate {ref} and the Stage 2 response with complaints respond {ref} --stage 2"
        )
    if not case.stage2_responded:
        raise LetterRefused(
            f"{ref} has no Stage 2 response recorded: the letter is built from it, so record it "
            f"first with complaints respond {ref} --stage 2 --summary ..."
        )
    _opening(draft, case, "Stage 2 final response to your complaint")
    draft.p(
        "This letter is our final response at Stage 2 of our complaints procedure. It sets out "
        "how we understood your complaint, the review we carried out, what we decided and why, "
        "and what you can do if you remain dissatisfied."
    )
    _definition(draft, case, stage2=True)
    draft.h("Our Stage 1 response")
    responded = case.stage1_responded
    draft.p(
        (f"On {_when(responded)} we responded at Stage 1: " if responded else "At Stage 1: ")
        + _need(case.stage1_response_summary, "[The outcome of the Stage 1 complaint]")
    )
    draft.h("The review we carried out")
    draft.p(
        f"{_need(case.stage2_handler, '[Stage 2 handler]')}, who was not involved at "
        "Stage 1, reviewed your complaint. [What the review looked at and who was involved]"
    )
    _decision(draft, case.stage2_response_details, "Stage 2")
    _remedy(
        draft,
        case.stage2_compensation_amount,
        case.stage2_compensation_reasons,
        "Stage 2",
    )
    _outstanding(draft, actions)
    draft.h("If you remain dissatisfied: the Housing Ombudsman")
    draft.p(
        "This is our final response, and our complaints process is now complete. If you remain "
        "dissatisfied, you can refer your complaint to the Housing Ombudsman or to the Property "
        "Redress Scheme now: you do not need to wait before doing so. It is for you to choose "
        "which, and to contact them yourself. The Ombudsman cannot normally consider a complaint "
        "referred 12 months or more after our final response, so please do not delay. You can "
        "contact the Ombudsman for advice at any time."
    )
    draft.bullets(OMBUDSMAN_CONTACT)
    draft.p(f"Property Redress Scheme: {PRS_CONTACT}")
    _sign_off(draft, case.stage2_handler, "[Job title]")
    return "Stage 2 response"


def build_letter(
    kind: str,
    case: Case,
    actions: Sequence[Action],
    deadlines: Mapping[str, Deadline],
    *,
    today: date,
    profile_limits: Mapping[str, str] | None = None,
) -> Letter:
    """The draft letter ``kind`` for ``case``.

    ``deadlines`` maps milestone keys (``stage1_response``, ``close_if_not_escalated``,
    ``stage2_response``, ``ombudsman_referral``) to their evaluated deadlines;
    ``profile_limits`` maps milestone keys to their limits in words, for milestones not yet
    started (the Stage 2 response in a Stage 1 letter). Raises :class:`LetterRefused`.
    """
    if kind not in KINDS:
        raise ComplaintsError(f"letter {kind!r} is not one of: {', '.join(KINDS)}")
    ref = case.reference
    if case.status is Status.NOT_ACCEPTED:
        raise LetterRefused(
            f"{ref} was not accepted as a complaint: write to the resident about that decision "
            "(and their right to go to the Ombudsman) rather than a complaint letter"
        )
    if kind in ("acknowledgement", "extension") and case.status is Status.CLOSED:
        raise LetterRefused(f"{ref} is closed: an {kind} letter no longer makes sense")
    draft = _Draft(today)
    if kind == "acknowledgement":
        title = _acknowledgement(draft, case, deadlines)
    elif kind == "extension":
        title = _extension(draft, case, deadlines)
    elif kind == "stage1":
        title = _stage1(draft, case, actions, deadlines, profile_limits or {})
    else:
        title = _stage2(draft, case, actions, deadlines)
    return Letter(kind, title, case.reference, today, tuple(draft.blocks))


def letter_deadlines(milestones: Sequence[Any]) -> dict[str, Deadline]:
    """``{key: Deadline}`` from :func:`deadlines.compute_milestones` output."""
    return {m.key: Deadline(m.deadline, m.due, m.rule.limit_text) for m in milestones}


def file_stem(letter: Letter) -> str:
    """``SPRUCE001 Stage 1 response DRAFT 2026-11-23`` (ISO date: sorts by date in a folder)."""
    return f"{letter.reference} {letter.title} DRAFT {letter.dated.isoformat()}"
