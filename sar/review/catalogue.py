"""The exemption catalogue of sar-rules section 3, seeded into ``review_exemptions`` and then the DPO's to edit.

Seeding adds codes that are missing and never overwrites a code the DPO has changed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import select

from sar import audit
from sar.auth.models import User
from sar.extensions import db
from sar.review.models import ConsultationKind, Exemption

# What the DPO may change of a code (sar-rules section 3): its wording, whom to consult and whether it is offered.
WORDING = ("name", "description", "provision", "test", "consultee")
EDITABLE = (*WORDING, "consultation", "active")


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    description: str
    provision: str
    test: str
    consultee: str = ""
    consultation: ConsultationKind = ConsultationKind.NONE
    usage: str = "redaction"


CATALOGUE: tuple[Entry, ...] = (
    Entry(
        "TP",
        "Third-party information",
        "Would identify another person, including as the source; withheld unless they consent or it is reasonable.",
        "DPA 2018 Sch 2 Pt 3 para 16",
        "Would reveal information about an identifiable other person, including as the source. Withhold unless "
        "they consent or disclosure without consent is reasonable (type of information, duty of confidentiality, "
        "steps taken to seek consent, whether they can consent, any express refusal).",
        "The third party (consent where practicable); case worker",
    ),
    Entry(
        "TP-PRO",
        "Professional acting officially",
        "A health, social-work or education worker acting officially: disclosure is deemed reasonable.",
        "DPA 2018 Sch 2 para 17",
        "Health, social-work or education worker acting officially: disclosure is deemed reasonable. A reason "
        "to disclose, not an exemption.",
        usage="flag",
    ),
    Entry(
        "SW-SH",
        "Social work: serious harm",
        "Social work data whose disclosure would be likely to cause serious harm to anyone's health.",
        "DPA 2018 Sch 3 Pt 3 para 11",
        "Disclosure would be likely to prejudice carrying out social work because it would be likely to cause "
        "serious harm to the physical or mental health of the person or another individual.",
        "The allocated social worker or team manager records reasons",
        ConsultationKind.SOCIAL_WORK,
    ),
    Entry(
        "SW-COURT",
        "Social work: court reports",
        "A report or evidence given to a court under rules that allow it to be withheld.",
        "DPA 2018 Sch 3 Pt 3 para 9",
        "Processed by a court in a report or evidence under listed rules (e.g. Family Procedure Rules 2010) that "
        "allow withholding.",
        "Legal services",
    ),
    Entry(
        "SW-EXP",
        "Social work: given in confidence from the requester",
        "Given by the person expecting it would not reach the requester with parental responsibility.",
        "DPA 2018 Sch 3 Pt 3 para 10",
        "The requester has parental responsibility or manages the person's affairs, and disclosure would reveal "
        "information the person gave expecting it would not go to the requester, gave in an examination on that "
        "expectation, or expressly asked to keep back.",
        "The child's views; case worker",
    ),
    Entry(
        "HEALTH-SH",
        "Health: serious harm",
        "Health data likely to cause serious harm; needs the appropriate health professional's opinion.",
        "DPA 2018 Sch 3 Pt 2 para 5",
        "Health data whose disclosure would be likely to cause serious harm to the physical or mental health of "
        "the person or another. A controller that is not a health professional needs the opinion of the "
        "appropriate health professional (within 6 months).",
        "The appropriate health professional (currently or most recently responsible for care)",
        ConsultationKind.HEALTH,
    ),
    Entry(
        "HEALTH-OP",
        "Health: no opinion obtained",
        "Health data not disclosed until a health professional says the serious-harm test is not met.",
        "DPA 2018 Sch 3 Pt 2 para 6",
        "A controller that is not a health professional must not disclose health data without the appropriate "
        "health professional's opinion that the serious-harm test is not met, unless the person has already "
        "seen or knows it.",
        "The appropriate health professional (GP, CAMHS)",
        ConsultationKind.HEALTH,
    ),
    Entry(
        "HEALTH-EXP",
        "Health: given in confidence from the requester",
        "As SW-EXP, for health data.",
        "DPA 2018 Sch 3 Pt 2 para 4",
        "As SW-EXP, for health data.",
        "The child's views; case worker",
    ),
    Entry(
        "EDU-SH",
        "Education: serious harm",
        "Education data likely to cause serious harm to anyone's physical or mental health.",
        "DPA 2018 Sch 3 Pt 4 para 19",
        "Education data whose disclosure would be likely to cause serious harm to the physical or mental health "
        "of the person or another.",
        "School or education professional",
    ),
    Entry(
        "CHILD-ABUSE",
        "Child abuse data",
        "Abuse data not in the child's best interests to disclose to a requester with parental responsibility.",
        "DPA 2018 Sch 3 Pt 5 para 21",
        "The requester has parental responsibility for a child under 18 or manages their affairs, and disclosing "
        "child abuse data (non-accidental injury, neglect, ill-treatment, sexual abuse) would not be in the best "
        "interests of the data subject.",
        "The child's social worker; safeguarding lead",
    ),
    Entry(
        "CRIME",
        "Crime and taxation",
        "Disclosure would be likely to prejudice preventing or detecting crime or prosecuting offenders.",
        "DPA 2018 Sch 2 Pt 1 para 2",
        "Likely to prejudice the prevention or detection of crime, or the apprehension or prosecution of offenders.",
        "Police or CPS if their material or investigation is involved",
    ),
    Entry(
        "LPP",
        "Legal professional privilege",
        "Legal advice or litigation material covered by legal professional privilege.",
        "DPA 2018 Sch 2 Pt 4 para 19",
        "Legal professional privilege (advice or litigation).",
        "Legal services",
    ),
    Entry(
        "SELF-INC",
        "Self-incrimination",
        "Disclosure would expose the council to proceedings for an offence.",
        "DPA 2018 Sch 2 Pt 4 para 20",
        "Disclosure would expose the controller to proceedings for an offence.",
        "Legal services",
    ),
    Entry(
        "REG-CS",
        "Regulatory functions (children's services)",
        "Regulatory functions of listed bodies relating to children's services.",
        "DPA 2018 Sch 2 Pt 2 para 10",
        "Regulatory functions relating to children's services (listed bodies).",
    ),
    Entry(
        "MGMT",
        "Management forecasts",
        "Management forecasting or planning whose disclosure would prejudice the council's business.",
        "DPA 2018 Sch 2 Pt 4 para 22",
        "Management forecasting or planning, where disclosure would prejudice the conduct of the business.",
    ),
    Entry(
        "NEG",
        "Negotiations with the requester",
        "The council's intentions in negotiations with the person, where disclosure would prejudice them.",
        "DPA 2018 Sch 2 Pt 4 para 23",
        "The controller's intentions in negotiations with the data subject, where disclosure would prejudice "
        "them (e.g. settling a claim).",
        "Legal services",
    ),
    Entry(
        "REF",
        "Confidential references",
        "A confidential reference given or received for education, training, employment or appointment.",
        "DPA 2018 Sch 2 Pt 4 para 24",
        "Confidential references given or received for education, training, employment or appointment.",
    ),
    Entry(
        "ADOPT",
        "Adoption records",
        "Adoption records and reports restricted by adoption law.",
        "DPA 2018 Sch 4",
        "Prohibited or restricted by adoption law (Adoption and Children Act 2002 and regulations, Adoption "
        "Agencies Regulations 2005, Family Procedure Rules). Route adopted adults to the adoption-information "
        "process.",
        "Adoption agency; legal services",
    ),
    Entry(
        "PO",
        "Parental order records",
        "Parental order records and reports restricted by HFE rules.",
        "DPA 2018 Sch 4",
        "Restricted by the Human Fertilisation and Embryology parental-order rules.",
        "Legal services",
    ),
    Entry(
        "HFE",
        "Fertilisation and embryology information",
        "Information the HFE Act 1990 restricts.",
        "DPA 2018 Sch 4",
        "Human Fertilisation and Embryology Act 1990 disclosure restrictions.",
        "Legal services",
    ),
    Entry(
        "SEN",
        "Special educational needs records",
        "Statements and records of SEN restricted by SEN law.",
        "DPA 2018 Sch 4",
        "Restricted by special educational needs (EHCP) legislation.",
        "SEND team; legal",
    ),
    Entry(
        "MUE",
        "Manifestly unfounded or excessive",
        "The whole request is refused or charged for; not a redaction.",
        "UK GDPR Art 12(5)",
        "The request is manifestly unfounded or excessive: refuse or charge a fee for the whole request.",
        "Data Protection Officer",
        usage="request",
    ),
)


def seed_exemptions() -> int:
    """Add every catalogue code the database does not have yet; returns how many were added."""
    existing = set(db.session.scalars(select(Exemption.code)))
    added = 0
    for position, entry in enumerate(CATALOGUE):
        if entry.code in existing:
            continue
        # Every field of an entry is the column of the same name.
        db.session.add(Exemption(**asdict(entry), active=True, position=position))
        added += 1
    db.session.flush()
    return added


def all_exemptions() -> list[Exemption]:
    if db.session.scalar(select(Exemption.code).limit(1)) is None:
        seed_exemptions()
    return list(db.session.scalars(select(Exemption).order_by(Exemption.position, Exemption.code)))


def redaction_codes() -> list[Exemption]:
    """Codes a reviewer may put on a redaction, a withheld page or a withheld document."""
    return [e for e in all_exemptions() if e.active and e.usage == "redaction"]


def by_code() -> dict[str, Exemption]:
    return {e.code: e for e in all_exemptions()}


def change_exemption(
    exemption: Exemption, wording: dict[str, str], consultation: ConsultationKind, active: bool, *, by: User
) -> None:
    """The DPO's edit of one code, audited with what it said before and after."""
    before = audit.snapshot(exemption, EDITABLE)
    for key in WORDING:
        setattr(exemption, key, wording[key].strip())
    exemption.consultation = consultation
    exemption.active = active
    db.session.flush()
    audit.record_on(
        exemption,
        "review.exemption_changed",
        f"Exemption {exemption.code} changed",
        by=by,
        before=before,
        after=audit.snapshot(exemption, EDITABLE),
    )
