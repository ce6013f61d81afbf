"""The demo cases: who asked, about whom, for what, and where each case has got to.

Each story is built from a seeded random source, so the demo council is the same every time for
the same "today". Stories are plain data (no database): :mod:`sar.demo` feeds them through the
intake and clock services.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sar.cases.models import (
    CaseStatus,
    Channel,
    CompetenceDecision,
    Outcome,
    RequesterType,
    Right,
    TransferTarget,
)
from sar.demo_data.people import COUNCIL_ORG, SCHOOLS, DemoPerson, PeopleFactory

# Team names as in sar.auth.teams.seed_teams; matched case-insensitively by their start, so a council
# that renamed "Multi-Agency Safeguarding Hub (MASH)" to "MASH" still gets its cases.
CSC = "Children's Social Care"
EARLY_HELP = "Early Help"
MASH = "Multi-Agency Safeguarding Hub"
SECURE_UNIT = "Secure Unit"
CORPORATE_PARENTING = "Corporate Parenting"
SQA = "Safeguarding and Quality Assurance"
FOSTERING = "Fostering and Adoption"
EARLY_YEARS = "Early Years and Childcare"
FIS = "Families Information Service"
TACT = "TACT"


@dataclass
class Competence:
    decision: CompetenceDecision
    assessed_by: str
    maturity: str = ""
    nature_of_data: str = ""
    court_orders: str = ""
    duty_of_confidence: str = ""
    consequences_of_parental_access: str = ""
    detriment_if_refused: str = ""
    childs_views: str = ""
    outcome_note: str = ""


@dataclass
class Evidence:
    """Identity or authority evidence: ``needed`` means the case waits for it (the clock does too)."""

    kind: str  # "identity" | "authority" | "parental_responsibility"
    asked_for: str
    what_arrives: str
    enclosed: bool = False  # arrived with the request, so nobody had to ask


@dataclass
class Story:
    key: str
    rights: frozenset[Right]
    requester_type: RequesterType
    channel: Channel
    description: str
    subject: DemoPerson
    requester: DemoPerson | None
    teams: tuple[str, ...]
    people: list[tuple[str, DemoPerson]] = field(default_factory=list)  # (role, person): professional/third_party
    competence: Competence | None = None
    evidence: list[Evidence] = field(default_factory=list)
    scope_from: date | None = None
    scope_description: str = ""
    education_record: bool | None = None
    # Where the case has got to, and how it ended.
    status: CaseStatus = CaseStatus.RECEIVED
    outcome: Outcome | None = None
    exemption_codes: tuple[str, ...] = ()
    transferred_to: TransferTarget | None = None
    closing_reason: str = ""
    extended: bool = False
    clarified: bool = False  # a pause for clarification, answered
    reopened: bool = False  # closed with its outcome, then reopened after a complaint (status is where it is now)
    # Timeline, in days before "today": when it arrived, and when it closed (closed cases only).
    received_days_ago: int = 0
    closed_days_ago: int | None = None


def _third_parties_for_child(f: PeopleFactory, subject: DemoPerson, *, with_foster_carers: bool) -> list[DemoPerson]:
    rng = f.rng
    surname = subject.surname
    mother = f.relative("mother", "f", rng.randrange(30, 48), surname=surname if rng.random() < 0.6 else None)
    father = f.relative("father", "m", rng.randrange(32, 52), surname=surname if rng.random() < 0.5 else None)
    people = [mother, father]
    if rng.random() < 0.6:
        people.append(f.relative("mother's partner", "m", rng.randrange(28, 50)))
    for _ in range(rng.randrange(1, 3)):
        relationship = rng.choice(["brother", "sister", "half-brother", "half-sister"])
        sex = "m" if "brother" in relationship else "f"
        people.append(f.relative(relationship, sex, rng.randrange(2, 20), surname=surname))
    if with_foster_carers:
        carer_surname = f.rng.choice(["Greenwood", "Lindqvist", "Ogunleye", "Pemberton", "Aldridge"])
        people.append(f.relative("foster carer", "f", rng.randrange(40, 65), surname=carer_surname))
        people.append(f.relative("foster carer", "m", rng.randrange(40, 65), surname=carer_surname))
    if rng.random() < 0.5:
        people.append(f.relative("referrer (neighbour)", rng.choice("fm"), rng.randrange(30, 75)))
    if rng.random() < 0.3:
        grandparent = f.relative("maternal grandmother", "f", rng.randrange(55, 80))
        people.append(grandparent)
    return people


def _register(
    f: PeopleFactory, subject: DemoPerson, professionals: int, *, foster: bool
) -> list[tuple[str, DemoPerson]]:
    people: list[tuple[str, DemoPerson]] = [("professional", p) for p in f.professionals_around_a_child(professionals)]
    people += [("third_party", p) for p in _third_parties_for_child(f, subject, with_foster_carers=foster)]
    return people


def _social_worker_name(story_people: list[tuple[str, DemoPerson]]) -> str:
    for role, person in story_people:
        if role == "professional" and person.job_title == "Social Worker":
            return f"{person.full_name}, Social Worker"
    return "Allocated social worker"


# --- the kinds of request ---------------------------------------------------------------------------------


def care_leaver_whole_file(f: PeopleFactory) -> Story:
    age = f.rng.randrange(18, 26)
    subject = f.subject(age)
    people = _register(f, subject, f.rng.randrange(4, 7), foster=True)
    years_in_care = f.rng.randrange(3, 12)
    came_into_care = (
        subject.date_of_birth + timedelta(days=365 * (age - years_in_care - 1)) if subject.date_of_birth else None
    )
    return Story(
        key="care-leaver",
        rights=frozenset({Right.ACCESS}),
        requester_type=RequesterType.SELF,
        channel=f.rng.choice([Channel.EMAIL, Channel.WEB_FORM, Channel.POST]),
        description=(
            f"{subject.first_name} left care at 18 and asks for their whole file: why they were taken into care, "
            "their placements and reviews, and letters from their birth family. Their personal adviser is "
            "supporting them and asks that the file is sent in parts if it is large."
        ),
        subject=subject,
        requester=None,
        teams=(CSC, CORPORATE_PARENTING, FOSTERING, SQA),
        people=people,
        evidence=[
            Evidence(
                "identity",
                "Photo ID (passport, driving licence or provisional licence) and proof of address",
                "Provisional driving licence and a bank statement",
            )
        ],
        scope_from=came_into_care,
        scope_description="The whole file from the first referral to leaving care, including placement records",
    )


def parent_for_young_child(f: PeopleFactory) -> Story:
    subject = f.subject(f.rng.randrange(2, 9))
    people = _register(f, subject, f.rng.randrange(3, 6), foster=False)
    mother = next(p for role, p in people if p.relationship == "mother")
    people = [(role, p) for role, p in people if p is not mother]
    mother.addresses = mother.addresses or [f.address()]
    mother.phones = mother.phones or [f"07700 900{f.rng.randrange(1000):03d}"]
    return Story(
        key="parent-young-child",
        rights=frozenset({Right.ACCESS}),
        requester_type=RequesterType.PARENT_PR,
        channel=f.rng.choice([Channel.EMAIL, Channel.PHONE, Channel.IN_PERSON]),
        description=(
            f"{mother.full_name} asks for the records of the child in need assessment about her son or daughter "
            f"{subject.first_name}, and the notes of the strategy meeting held after a referral from school."
        ),
        subject=subject,
        requester=mother,
        teams=(CSC, MASH, EARLY_HELP),
        people=people,
        competence=Competence(
            decision=CompetenceDecision.NOT_COMPETENT_IN_BEST_INTERESTS,
            assessed_by=_social_worker_name(people),
            maturity=f"{subject.first_name} is too young to understand a request for their records.",
            nature_of_data=(
                "Assessment, strategy meeting minutes and case notes; some information came from the father."
            ),
            court_orders="None known. Both parents have parental responsibility.",
            duty_of_confidence=(
                "Information given by the school and the GP in confidence is to be considered for redaction."
            ),
            consequences_of_parental_access=(
                "No allegations against the mother; the father's address is not known to her and must be withheld."
            ),
            detriment_if_refused="The mother wants to understand the concerns raised so she can work with the plan.",
            childs_views="Too young to give a view.",
            outcome_note=(
                "Disclose to the mother, withholding the father's contact details and third-party information."
            ),
        ),
        evidence=[
            Evidence("identity", "Photo ID", "Passport"),
            Evidence("parental_responsibility", "Birth certificate naming the requester", "Full birth certificate"),
        ],
    )


def parent_for_teenager(f: PeopleFactory, *, authorises: bool) -> Story:
    age = f.rng.randrange(13, 16)
    subject = f.subject(age)
    people = _register(f, subject, f.rng.randrange(3, 6), foster=False)
    father = next(p for role, p in people if p.relationship == "father")
    people = [(role, p) for role, p in people if p is not father]
    father.addresses = father.addresses or [f.address()]
    decision = (
        CompetenceDecision.COMPETENT_AUTHORISES if authorises else CompetenceDecision.COMPETENT_DOES_NOT_AUTHORISE
    )
    return Story(
        key="parent-teenager",
        rights=frozenset({Right.ACCESS}),
        requester_type=RequesterType.PARENT_PR,
        channel=Channel.EMAIL,
        description=(
            f"{father.full_name}, who has parental responsibility but does not live with {subject.first_name}, "
            "asks for the Early Help and social care records from the last two years."
        ),
        subject=subject,
        requester=father,
        teams=(EARLY_HELP, CSC),
        people=people,
        competence=Competence(
            decision=decision,
            assessed_by=_social_worker_name(people),
            maturity=f"{subject.first_name} is {age}, understands what the records are and what sharing them means.",
            nature_of_data="Early Help plan, social work visits and the child's own words recorded in direct work.",
            court_orders="A child arrangements order: lives with the mother, spends time with the father.",
            duty_of_confidence=f"{subject.first_name} spoke to the school nurse in confidence about home.",
            consequences_of_parental_access=(
                "Possible conflict between the parents if the mother's statements are shared."
            ),
            detriment_if_refused="The father would not know why the plan was made; he can ask the child directly.",
            childs_views=(
                f"{subject.first_name} is happy for their dad to see the records about the plan."
                if authorises
                else f"{subject.first_name} does not want their dad to see what they told the social worker."
            ),
            outcome_note="Competent child: the child's decision governs disclosure to the parent.",
        ),
        evidence=[
            Evidence("identity", "Photo ID", "Driving licence"),
            Evidence("parental_responsibility", "Birth certificate or court order", "Child arrangements order"),
        ],
    )


def competent_child(f: PeopleFactory) -> Story:
    age = f.rng.randrange(14, 18)
    subject = f.subject(age)
    people = _register(f, subject, f.rng.randrange(3, 5), foster=f.rng.random() < 0.5)
    return Story(
        key="competent-child",
        rights=frozenset({Right.ACCESS}),
        requester_type=RequesterType.COMPETENT_CHILD,
        channel=f.rng.choice([Channel.WEB_FORM, Channel.IN_PERSON]),
        description=(
            f"{subject.first_name} ({age}) asks, with help from their independent advocate, for what the council wrote "
            "about them at their last child protection conference and their looked-after reviews."
        ),
        subject=subject,
        requester=None,
        teams=(CSC, SQA),
        people=people,
        competence=Competence(
            decision=CompetenceDecision.COMPETENT_OWN_REQUEST,
            assessed_by=_social_worker_name(people),
            maturity=f"{subject.first_name} understands the request and what the records may contain.",
            nature_of_data="Conference minutes and review records, including information about their parents.",
            childs_views="Wants the records sent to them at their placement, not to their parents' address.",
            outcome_note="Reply directly to the young person, in language suited to them.",
        ),
        evidence=[
            Evidence("identity", "Confirmation of identity by their social worker", "Social worker confirmation")
        ],
    )


def solicitor_with_authority(f: PeopleFactory, *, enclosed: bool) -> Story:
    age = f.rng.randrange(19, 40)
    subject = f.subject(age)
    people = _register(f, subject, f.rng.randrange(4, 7), foster=True)
    firm = f.rng.choice(["Hartley Marsh Solicitors LLP", "Kettlewick Law Centre", "Oldroyd & Patel Solicitors"])
    solicitor = f.professional("Solicitor", firm)
    solicitor.relationship = "solicitor"
    return Story(
        key="solicitor",
        rights=frozenset({Right.ACCESS}),
        requester_type=RequesterType.SOLICITOR,
        channel=Channel.EMAIL,
        description=(
            f"{firm} act for {subject.full_name}, who was in the council's care as a child, in a civil claim. They ask "
            "for the complete social care file, enclosing a form of authority signed by their client."
            if enclosed
            else f"{firm} ask for the social care file of their client {subject.full_name}. No signed authority came "
            "with the letter."
        ),
        subject=subject,
        requester=solicitor,
        teams=(CSC, FOSTERING, CORPORATE_PARENTING, TACT),
        people=people,
        evidence=[
            Evidence(
                "authority",
                "The client's signed authority for the firm to act, dated within the last 6 months",
                "Form of authority signed by the client",
                enclosed=enclosed,
            )
        ],
        scope_description="Records from birth to 18, including fostering placement records held by TACT",
    )


def nhs_number_objection(f: PeopleFactory) -> Story:
    subject = f.subject(f.rng.randrange(25, 45))
    return Story(
        key="nhs-objection",
        rights=frozenset({Right.OBJECTION}),
        requester_type=RequesterType.SELF,
        channel=Channel.EMAIL,
        description=(
            f"{subject.first_name} objects to Children's Social Care using their NHS number in the shared care record "
            "with GPs and hospitals, and asks that it is no longer used to link their records."
        ),
        subject=subject,
        requester=None,
        teams=(CSC,),
        people=[("professional", f.professional("Social Worker", COUNCIL_ORG))],
        evidence=[Evidence("identity", "Photo ID", "Passport", enclosed=True)],
    )


def fis_erasure(f: PeopleFactory) -> Story:
    subject = f.subject(f.rng.randrange(28, 60))
    business = f.rng.choice(["Little Acorns Childminding", "Sunbeams Holiday Club", "Tiny Steps Playgroup"])
    return Story(
        key="fis-erasure",
        rights=frozenset({Right.ERASURE}),
        requester_type=RequesterType.SELF,
        channel=Channel.WEB_FORM,
        description=(
            f"{subject.full_name} has closed {business} and asks for their name, home address and phone number to "
            "be removed from the Families Information Service directory and its mailing list."
        ),
        subject=subject,
        requester=None,
        teams=(FIS, EARLY_YEARS),
        people=[],
        evidence=[],
    )


def rectification(f: PeopleFactory) -> Story:
    subject = f.subject(f.rng.randrange(26, 45))
    return Story(
        key="rectification",
        rights=frozenset({Right.RECTIFICATION, Right.RESTRICTION}),
        requester_type=RequesterType.SELF,
        channel=Channel.POST,
        description=(
            f"{subject.first_name} says an Early Help assessment records the wrong date of birth and wrongly states "
            "that they have a conviction. They ask for both to be corrected and for the record not to be shared "
            "while the council checks."
        ),
        subject=subject,
        requester=None,
        teams=(EARLY_HELP,),
        people=[("professional", f.professional("Family Support Worker", COUNCIL_ORG))],
        evidence=[Evidence("identity", "Photo ID", "Passport", enclosed=True)],
    )


def parent_own_records(f: PeopleFactory) -> Story:
    subject = f.subject(f.rng.randrange(24, 45))
    child = f.relative("child", f.rng.choice("fm"), f.rng.randrange(1, 12), surname=subject.surname)
    people = [("third_party", child)] + [("professional", p) for p in f.professionals_around_a_child(3)]
    return Story(
        key="parent-own",
        rights=frozenset({Right.ACCESS}),
        requester_type=RequesterType.SELF,
        channel=f.rng.choice([Channel.EMAIL, Channel.POST, Channel.PHONE]),
        description=(
            f"{subject.first_name} asks for everything the council holds about them, including what was said about "
            f"them at the child protection conference for {child.first_name} and the referral made by the police."
        ),
        subject=subject,
        requester=None,
        teams=(CSC, MASH),
        people=people,
        evidence=[Evidence("identity", "Photo ID and proof of address", "Driving licence and council tax bill")],
    )


def school_record(f: PeopleFactory) -> Story:
    subject = f.subject(f.rng.randrange(6, 11))
    mother = f.relative("mother", "f", f.rng.randrange(28, 45), surname=subject.surname)
    mother.addresses = mother.addresses or [f.address()]
    school = f.rng.choice(SCHOOLS)
    return Story(
        key="school-record",
        rights=frozenset({Right.ACCESS}),
        requester_type=RequesterType.PARENT_PR,
        channel=Channel.EMAIL,
        description=(
            f"{mother.full_name} asks for {subject.first_name}'s school reports and behaviour records from "
            f"{school}. The council does not hold the educational record: it belongs to the school."
        ),
        subject=subject,
        requester=mother,
        teams=(EARLY_HELP,),
        education_record=True,
    )


def deputy_for_adult(f: PeopleFactory) -> Story:
    subject = f.subject(f.rng.randrange(19, 30))
    deputy = f.relative("deputy (Court of Protection)", "f", f.rng.randrange(45, 70), surname=subject.surname)
    deputy.addresses = [f.address()]
    people = _register(f, subject, 4, foster=True)
    return Story(
        key="deputy",
        rights=frozenset({Right.ACCESS}),
        requester_type=RequesterType.DEPUTY,
        channel=Channel.POST,
        description=(
            f"{deputy.full_name}, appointed by the Court of Protection as deputy for her relative "
            f"{subject.full_name}, who lacks capacity, asks for his records from the secure unit and leaving care."
        ),
        subject=subject,
        requester=deputy,
        teams=(SECURE_UNIT, CORPORATE_PARENTING),
        people=people,
        evidence=[Evidence("authority", "Sealed copy of the deputyship order", "Sealed deputyship order")],
    )


StoryMaker = Callable[[PeopleFactory], Story]


@dataclass(frozen=True)
class Plan:
    """One demo case: the kind of request, where it has got to, and its timeline (days before today)."""

    make: StoryMaker
    status: CaseStatus
    received_days_ago: tuple[int, int]
    outcome: Outcome | None = None
    closed_after_days: tuple[int, int] | None = None  # closed this many days after it arrived
    exemption_codes: tuple[str, ...] = ()
    transferred_to: TransferTarget | None = None
    extended: bool = False
    clarified: bool = False
    reopened: bool = False
    closing_reason: str = ""


S, OC = CaseStatus, Outcome


def _teen_yes(f: PeopleFactory) -> Story:
    return parent_for_teenager(f, authorises=True)


def _teen_no(f: PeopleFactory) -> Story:
    return parent_for_teenager(f, authorises=False)


def _solicitor_enclosed(f: PeopleFactory) -> Story:
    return solicitor_with_authority(f, enclosed=True)


def _solicitor_missing(f: PeopleFactory) -> Story:
    return solicitor_with_authority(f, enclosed=False)


PLANS: tuple[Plan, ...] = (
    # --- open cases: just arrived
    Plan(care_leaver_whole_file, S.RECEIVED, (0, 1)),
    Plan(nhs_number_objection, S.RECEIVED, (1, 2)),
    Plan(parent_for_young_child, S.RECEIVED, (2, 3)),
    # --- waiting for the requester
    Plan(care_leaver_whole_file, S.AWAITING_ID, (6, 12)),
    Plan(parent_own_records, S.AWAITING_ID, (15, 22)),
    Plan(_solicitor_missing, S.AWAITING_AUTHORITY, (5, 10)),
    Plan(deputy_for_adult, S.AWAITING_AUTHORITY, (12, 18)),
    Plan(parent_own_records, S.AWAITING_FEE, (20, 26)),
    Plan(care_leaver_whole_file, S.AWAITING_CLARIFICATION, (10, 16)),
    Plan(parent_own_records, S.AWAITING_CLARIFICATION, (24, 30)),
    # --- work in progress: some due soon, some overdue
    Plan(_solicitor_enclosed, S.GATHERING, (8, 14)),
    Plan(parent_for_young_child, S.GATHERING, (44, 50)),  # overdue
    Plan(fis_erasure, S.GATHERING, (22, 26)),  # due soon
    Plan(care_leaver_whole_file, S.GATHERING, (40, 50), extended=True),
    Plan(competent_child, S.IN_REVIEW, (18, 22)),
    Plan(_teen_yes, S.IN_REVIEW, (50, 56)),  # overdue
    Plan(care_leaver_whole_file, S.IN_REVIEW, (60, 75), extended=True),
    Plan(parent_for_young_child, S.AWAITING_SIGN_OFF, (36, 40)),  # due about now
    Plan(_solicitor_enclosed, S.AWAITING_SIGN_OFF, (45, 55)),
    Plan(_solicitor_enclosed, S.IN_REVIEW, (75, 85), OC.PARTIAL, (27, 30), ("TP", "LPP"), reopened=True),
    Plan(competent_child, S.READY_TO_SEND, (30, 33)),  # due soon
    Plan(rectification, S.READY_TO_SEND, (25, 28)),  # due soon
    # --- closed, with every outcome; most on time, some late
    Plan(competent_child, S.CLOSED, (300, 340), OC.FULL, (18, 26)),
    Plan(care_leaver_whole_file, S.CLOSED, (200, 230), OC.FULL, (30, 34), clarified=True),
    Plan(care_leaver_whole_file, S.CLOSED, (250, 290), OC.PARTIAL, (70, 85), ("TP", "SW-SH"), extended=True),
    Plan(parent_for_young_child, S.CLOSED, (150, 170), OC.PARTIAL, (24, 29), ("TP", "CHILD-ABUSE")),
    Plan(_solicitor_enclosed, S.CLOSED, (100, 120), OC.PARTIAL, (38, 52), ("TP", "LPP", "SW-COURT")),
    Plan(_teen_yes, S.CLOSED, (60, 75), OC.PARTIAL, (20, 28), ("TP", "HEALTH-SH")),
    Plan(parent_own_records, S.CLOSED, (330, 360), OC.NONE_HELD, (10, 15)),
    Plan(_teen_no, S.CLOSED, (120, 140), OC.WITHHELD_ALL, (26, 30)),
    Plan(
        parent_own_records,
        S.CLOSED,
        (80, 95),
        OC.NCND,
        (27, 34),
        closing_reason="Confirming whether records are held would itself reveal a police investigation (CRIME).",
    ),
    Plan(
        parent_own_records,
        S.CLOSED,
        (180, 200),
        OC.REFUSED_MUE,
        (12, 20),
        closing_reason="Twelfth request in four months covering the same records, made with stated intent to "
        "disrupt the team; reasons, ICO complaint and judicial remedy rights given.",
    ),
    Plan(parent_own_records, S.CLOSED, (140, 160), OC.FEE_UNPAID_CLOSED, (40, 50)),
    Plan(care_leaver_whole_file, S.CLOSED, (90, 110), OC.ID_NOT_PROVIDED_CLOSED, (45, 60)),
    Plan(_solicitor_missing, S.CLOSED, (160, 180), OC.AUTHORITY_NOT_PROVIDED_CLOSED, (40, 55)),
    Plan(care_leaver_whole_file, S.CLOSED, (220, 240), OC.CLARIFICATION_NOT_PROVIDED_CLOSED, (50, 65)),
    Plan(parent_for_young_child, S.CLOSED, (40, 55), OC.WITHDRAWN, (8, 15)),
    Plan(school_record, S.CLOSED, (70, 80), OC.TRANSFERRED, (2, 5), transferred_to=TransferTarget.SCHOOL_RECORD),
    Plan(fis_erasure, S.CLOSED, (110, 130), OC.OTHER_RIGHT_ACTIONED, (6, 12)),
    Plan(rectification, S.CLOSED, (260, 280), OC.OTHER_RIGHT_ACTIONED, (20, 27)),
    Plan(
        nhs_number_objection,
        S.CLOSED,
        (190, 210),
        OC.OTHER_RIGHT_REFUSED,
        (28, 40),
        closing_reason="The NHS number is used to meet the duty in section 251B of the Health and Social Care "
        "Act 2012 to share information for care; the objection does not override it. Reasons and rights given.",
    ),
)


def build(plan: Plan, factory: PeopleFactory) -> Story:
    story = plan.make(factory)
    rng: random.Random = factory.rng
    story.status = plan.status
    story.outcome = plan.outcome
    story.exemption_codes = plan.exemption_codes
    story.transferred_to = plan.transferred_to
    story.extended = plan.extended
    story.clarified = plan.clarified
    story.reopened = plan.reopened
    story.closing_reason = plan.closing_reason
    story.received_days_ago = rng.randint(*plan.received_days_ago)
    if plan.closed_after_days is not None:
        after = rng.randint(*plan.closed_after_days)
        story.closed_days_ago = max(story.received_days_ago - after, 0)
    return story


def all_stories(factory: PeopleFactory) -> list[Story]:
    return [build(plan, factory) for plan in PLANS]
