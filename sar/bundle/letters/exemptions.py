"""What each exemption code of sar-rules section 3 means, in words a requester can follow.

The cover letter lists what was withheld and why. Intake records the codes a closure relied on
(``Case.exemption_codes``); the review stage will record them per redaction, and the bundle passes those instead.
"""

from __future__ import annotations

EXEMPTION_MEANINGS: dict[str, tuple[str, str]] = {
    # code: (the law, what it means for the reader)
    "TP": ("DPA 2018 Sch 2 Pt 3 para 16", "information about other people, who have not agreed to it being shared"),
    "SW-SH": (
        "DPA 2018 Sch 3 Pt 3 para 11",
        "social work information that would be likely to cause serious harm to someone's physical or mental health",
    ),
    "SW-COURT": (
        "DPA 2018 Sch 3 Pt 3 para 9",
        "information in court reports or evidence that the court rules allow to be withheld",
    ),
    "SW-EXP": (
        "DPA 2018 Sch 3 Pt 3 para 10",
        "information a person gave expecting it would not be shared with the person asking",
    ),
    "HEALTH-SH": (
        "DPA 2018 Sch 3 Pt 2 para 5",
        "health information that a health professional advised would be likely to cause serious harm",
    ),
    "HEALTH-OP": (
        "DPA 2018 Sch 3 Pt 2 para 6",
        "health information we may not share without a health professional's opinion",
    ),
    "HEALTH-EXP": (
        "DPA 2018 Sch 3 Pt 2 para 4",
        "health information a person gave expecting it would not be shared with the person asking",
    ),
    "EDU-SH": ("DPA 2018 Sch 3 Pt 4 para 19", "education information that would be likely to cause serious harm"),
    "CHILD-ABUSE": (
        "DPA 2018 Sch 3 Pt 5 para 21",
        "information about child abuse where sharing it would not be in the child's best interests",
    ),
    "CRIME": (
        "DPA 2018 Sch 2 Pt 1 para 2",
        "information that would be likely to harm the prevention or detection of crime",
    ),
    "LPP": ("DPA 2018 Sch 2 Pt 4 para 19", "confidential legal advice (legal professional privilege)"),
    "SELF-INC": (
        "DPA 2018 Sch 2 Pt 4 para 20",
        "information that would expose the council to proceedings for an offence",
    ),
    "REG-CS": ("DPA 2018 Sch 2 Pt 2 para 10", "information held for regulating children's services"),
    "MGMT": ("DPA 2018 Sch 2 Pt 4 para 22", "management forecasts or plans"),
    "NEG": ("DPA 2018 Sch 2 Pt 4 para 23", "the council's intentions in negotiations with you"),
    "REF": ("DPA 2018 Sch 2 Pt 4 para 24", "confidential references"),
    "ADOPT": ("DPA 2018 Sch 4, adoption law", "adoption records, which have their own process for access"),
    "PO": ("DPA 2018 Sch 4, parental order rules", "parental order records"),
    "HFE": ("DPA 2018 Sch 4, HFE Act 1990", "information protected by fertility law"),
    "SEN": ("DPA 2018 Sch 4, SEN law", "special educational needs records protected by their own law"),
}


def describe(code: str) -> dict[str, str]:
    law, meaning = EXEMPTION_MEANINGS.get(code, ("", "information withheld under an exemption"))
    return {"code": code, "law": law, "meaning": meaning}
