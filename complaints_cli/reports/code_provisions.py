"""The Complaint Handling Code 2024, section 6 (complaint stages), provision by provision: the
requirement as the Code words it, for the self-assessment table of the annual report.

Text: ``seeds/hos-code-2024-self-assessment-extract.txt`` (a landlord's published
self-assessment quoting the Code; the same words as the Ombudsman's own self-assessment form).
Sections 1-5 and 7-9 are not reproduced: the log holds no evidence for most of them, and the
report leaves a highlighted instruction to copy them from the Ombudsman's form.
"""

from __future__ import annotations

from typing import Final

#: Provision -> the requirement (2024 Code, section 6).
SECTION_6: Final[dict[str, str]] = {
    "6.1": (
        "Landlords must have processes in place to consider which complaints can be responded to "
        "as early as possible, and which require further investigation. Landlords must consider "
        "factors such as the complexity of the complaint and whether the resident is vulnerable "
        "or at risk. Most stage 1 complaints can be resolved promptly, and an explanation, "
        "apology or resolution provided to the resident."
    ),
    "6.2": (
        "Complaints must be acknowledged, defined and logged at stage 1 of the complaints "
        "procedure within five working days of the complaint being received ."
    ),
    "6.3": (
        "Landlords must issue a full response to stage 1 complaints within 10 working days of the "
        "complaint being acknowledged."
    ),
    "6.4": (
        "Landlords must decide whether an extension to this timescale is needed when considering "
        "the complexity of the complaint and then inform the resident of the expected timescale "
        "for response. Any extension must be no more than 10 working days without good reason, "
        "and the reason(s) must be clearly explained to the resident."
    ),
    "6.5": (
        "When an organisation informs a resident about an extension to these timescales, they "
        "must be provided with the contact details of the Ombudsman."
    ),
    "6.6": (
        "A complaint response must be provided to the resident when the answer to the complaint "
        "is known, not when the outstanding actions required to address the issue are completed. "
        "Outstanding actions must still be tracked and actioned promptly with appropriate updates "
        "provided to the resident."
    ),
    "6.7": (
        "Landlords must address all points raised in the complaint definition and provide clear "
        "reasons for any decisions, referencing the relevant policy, law and good practice where "
        "appropriate."
    ),
    "6.8": (
        "Where residents raise additional complaints during the investigation, these must be "
        "incorporated into the stage 1 response if they are related and the stage 1 response has "
        "not been issued. Where the stage 1 response has been issued, the new issues are "
        "unrelated to the issues already being investigated or it would unreasonably delay the "
        "response, the new issues must be logged as a new complaint."
    ),
    "6.9": (
        "Landlords must confirm the following in writing to the resident at the completion of "
        "stage 1 in clear, plain language: a. the complaint stage; b. the complaint definition; "
        "c. the decision on the complaint; d. the reasons for any decisions made; e. the details "
        "of any remedy offered to put things right; f. details of any outstanding actions; and "
        "details of how to escalate the matter to stage 2 if the individual is not satisfied with "
        "the response."
    ),
    "6.10": (
        "If all or part of the complaint is not resolved to the resident's satisfaction at stage "
        "1, it must be progressed to stage 2 of the landlord's procedure. Stage 2 is the "
        "landlord's final response."
    ),
    "6.11": (
        "Requests for stage 2 must be acknowledged, defined and logged at stage 2 of the "
        "complaints procedure within five working days of the escalation request being received."
    ),
    "6.12": (
        "Residents must not be required to explain their reasons for requesting a stage 2 "
        "consideration. Landlords are expected to make reasonable efforts to understand why a "
        "resident remains unhappy as part of its stage 2 response."
    ),
    "6.13": (
        "The person considering the complaint at stage 2 must not be the same person that "
        "considered the complaint at stage 1."
    ),
    "6.14": (
        "Landlords must issue a final response to the stage 2 within 20 working days of the "
        "complaint being acknowledged."
    ),
    "6.15": (
        "Landlords must decide whether an extension to this timescale is needed when considering "
        "the complexity of the complaint and then inform the resident of the expected timescale "
        "for response. Any extension must be no more than 20 working days without good reason, "
        "and the reason(s) must be clearly explained to the resident."
    ),
    "6.16": (
        "When an organisation informs a resident about an extension to these timescales, they "
        "must be provided with the contact details of the Ombudsman."
    ),
    "6.17": (
        "A complaint response must be provided to the resident when the answer to the complaint "
        "is known, not when the outstanding actions required to address the issue are completed. "
        "Outstanding actions must still be tracked and actioned promptly with appropriate updates "
        "provided to the resident."
    ),
    "6.18": (
        "Landlords must address all points raised in the complaint definition and provide clear "
        "reasons for any decisions, referencing the relevant policy, law and good practice where "
        "appropriate."
    ),
    "6.19": (
        "Landlords must confirm the following in writing to the resident at the completion of "
        "stage 2 in clear, plain language: a. the complaint stage; b. the complaint definition; "
        "c. the decision on the complaint; d. the reasons for any decisions made; e. the details "
        "of any remedy offered to put things right; f. details of any outstanding actions; and "
        "details of how to escalate the matter to the Ombudsman Service if the individual remains "
        "dissatisfied."
    ),
    "6.20": (
        "Stage 2 is the landlord's final response and must involve all suitable staff members "
        "needed to issue such a response."
    ),
}
