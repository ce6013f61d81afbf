"""The case (a rights request) at the centre of the register, the people it names and the evidence for it.

Names say "case" for a rights request so that ``request`` keeps meaning the HTTP request.
Column lengths here are the single source of the form fields' maximum lengths (sar.cases.forms).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, String, Text, event, true
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from sar.auth.models import Team, User
from sar.db import Base, CreatedAtMixin, string_enum, utcnow
from sar.enums import LabelledEnum

# Maximum lengths shared by the columns and the forms that fill them.
NAME_MAX = 200
RELATIONSHIP_MAX = 100
ORGANISATION_MAX = 200
JOB_TITLE_MAX = 200
SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 5000
LIST_ITEM_MAX = 300  # one alias, address, phone or email
LIST_MAX_ITEMS = 20


class Right(LabelledEnum):
    ACCESS = "access", "Access (a copy of their records)"
    RECTIFICATION = "rectification", "Rectification (correct inaccurate records)"
    ERASURE = "erasure", "Erasure (delete records)"
    RESTRICTION = "restriction", "Restriction (limit how records are used)"
    OBJECTION = "objection", "Objection (for example to the use of the NHS number in shared care records)"
    PORTABILITY = "portability", "Portability (data in a machine-readable form)"


class Channel(LabelledEnum):
    EMAIL = "email", "Email"
    POST = "post", "Post"
    PHONE = "phone", "Phone"
    IN_PERSON = "in_person", "In person"
    WEB_FORM = "web_form", "Web form"
    OTHER_BODY = "other_body", "Passed on by another body"


class CaseStatus(LabelledEnum):
    """Where a case is in its life, derived from the facts each stage records (sar.cases.workflow); never set by hand.

    A closed case carries its outcome decision.
    """

    RECEIVED = "received", "Received"
    AWAITING_ID = "awaiting_id", "Awaiting proof of identity"
    AWAITING_AUTHORITY = "awaiting_authority", "Awaiting evidence of authority"
    AWAITING_FEE = "awaiting_fee", "Awaiting fee"
    AWAITING_CLARIFICATION = "awaiting_clarification", "Awaiting clarification"
    GATHERING = "gathering", "Gathering records"
    IN_REVIEW = "in_review", "In review"
    AWAITING_SIGN_OFF = "awaiting_sign_off", "Awaiting sign-off"
    RETURNED = "returned", "Returned for changes"
    READY_TO_SEND = "ready_to_send", "Signed off: send the response"
    CLOSED = "closed", "Closed"

    @property
    def stage(self) -> CaseStage:
        return STATUS_STAGES[self]


class CaseStage(LabelledEnum):
    """The part of the work a case is in; each stage records its own facts (sar.cases.facts)."""

    INTAKE = "intake", "Checking the request"
    GATHERING = "gathering", "Gathering records"
    REVIEW = "review", "Reviewing records"
    SIGN_OFF = "sign_off", "Sign-off"
    RESPONSE = "response", "Sending the response"
    CLOSED = "closed", "Closed"


STATUS_STAGES = {
    CaseStatus.RECEIVED: CaseStage.INTAKE,
    CaseStatus.AWAITING_ID: CaseStage.INTAKE,
    CaseStatus.AWAITING_AUTHORITY: CaseStage.INTAKE,
    CaseStatus.AWAITING_FEE: CaseStage.INTAKE,
    CaseStatus.AWAITING_CLARIFICATION: CaseStage.INTAKE,
    CaseStatus.GATHERING: CaseStage.GATHERING,
    CaseStatus.IN_REVIEW: CaseStage.REVIEW,
    CaseStatus.RETURNED: CaseStage.REVIEW,
    CaseStatus.AWAITING_SIGN_OFF: CaseStage.SIGN_OFF,
    CaseStatus.READY_TO_SEND: CaseStage.RESPONSE,
    CaseStatus.CLOSED: CaseStage.CLOSED,
}


class Outcome(LabelledEnum):
    FULL = "FULL", "Disclosed in full"
    PARTIAL = "PARTIAL", "Disclosed in part (exemptions applied)"
    NONE_HELD = "NONE_HELD", "No information held"
    WITHHELD_ALL = "WITHHELD_ALL", "All information withheld"
    NCND = "NCND", "Neither confirm nor deny"
    REFUSED_MUE = "REFUSED_MUE", "Refused: manifestly unfounded or excessive"
    FEE_UNPAID_CLOSED = "FEE_UNPAID_CLOSED", "Closed: fee not paid"
    ID_NOT_PROVIDED_CLOSED = "ID_NOT_PROVIDED_CLOSED", "Closed: proof of identity not provided"
    AUTHORITY_NOT_PROVIDED_CLOSED = "AUTHORITY_NOT_PROVIDED_CLOSED", "Closed: evidence of authority not provided"
    CLARIFICATION_NOT_PROVIDED_CLOSED = "CLARIFICATION_NOT_PROVIDED_CLOSED", "Closed: clarification not provided"
    WITHDRAWN = "WITHDRAWN", "Withdrawn by the requester"
    TRANSFERRED = "TRANSFERRED", "Transferred to another body"
    OTHER_RIGHT_ACTIONED = "OTHER_RIGHT_ACTIONED", "Other right actioned"
    OTHER_RIGHT_REFUSED = "OTHER_RIGHT_REFUSED", "Other right refused"


class TransferTarget(LabelledEnum):
    """Where a TRANSFERRED request went (sar-rules sections 1.4 and 6)."""

    SCHOOL_RECORD = "school_record", "A maintained school (the parent's right to the educational record)"
    NHS = "nhs", "An NHS body"
    POLICE = "police", "The police"
    ACADEMY_TRUST = "academy_trust", "An academy trust"
    OTHER = "other", "Another organisation"


@dataclass(frozen=True)
class Exemption:
    code: str
    name: str
    description: str  # one line, in plain words

    @property
    def label(self) -> str:
        return f"{self.code}: {self.name}"


# The exemptions a PARTIAL outcome (and, later, each redaction) can cite. Staff see the name and a one-line
# description wherever a code appears; the code is what the request log and the redaction library record.
EXEMPTIONS: dict[str, Exemption] = {
    e.code: e
    for e in (
        Exemption(
            "TP",
            "Third-party information",
            "Would reveal another identifiable person, including as a source, who has not consented.",
        ),
        Exemption(
            "SW-SH",
            "Serious harm (social work)",
            "Social work data whose disclosure would be likely to cause serious physical or mental harm.",
        ),
        Exemption(
            "SW-COURT",
            "Court reports and evidence",
            "Material processed by a court under rules that allow it to be withheld.",
        ),
        Exemption(
            "SW-EXP",
            "Given in confidence (social work)",
            "Given by the child on the expectation it would not be passed to the parent or manager asking.",
        ),
        Exemption(
            "HEALTH-SH",
            "Serious harm (health)",
            "Health data that a health professional advises would be likely to cause serious harm.",
        ),
        Exemption(
            "HEALTH-OP",
            "Health professional's opinion not obtained",
            "Health data that cannot go out until the responsible health professional has given an opinion.",
        ),
        Exemption(
            "HEALTH-EXP",
            "Given in confidence (health)",
            "Health data given on the expectation it would not be passed to the parent or manager asking.",
        ),
        Exemption(
            "EDU-SH",
            "Serious harm (education)",
            "Education data whose disclosure would be likely to cause serious physical or mental harm.",
        ),
        Exemption(
            "CHILD-ABUSE",
            "Child abuse data",
            "Abuse data asked for by a parent or manager, where disclosure is not in the child's best interests.",
        ),
        Exemption(
            "CRIME",
            "Crime and prosecution",
            "Disclosure would be likely to prejudice preventing or detecting crime or prosecuting offenders.",
        ),
        Exemption("LPP", "Legal professional privilege", "Legal advice, or material prepared for litigation."),
        Exemption(
            "SELF-INC", "Self-incrimination", "Disclosure would expose the council to proceedings for an offence."
        ),
        Exemption(
            "REG-CS",
            "Regulating children's services",
            "Information held for regulatory functions relating to children's services.",
        ),
        Exemption("MGMT", "Management forecasts", "Planning or forecasting that disclosure would prejudice."),
        Exemption("NEG", "Negotiations", "The council's intentions in negotiations with the person asking."),
        Exemption(
            "REF",
            "Confidential references",
            "References given or received in confidence for education, training or employment.",
        ),
        Exemption("ADOPT", "Adoption records", "Records whose disclosure adoption law prohibits or restricts."),
        Exemption("PO", "Parental order records", "Parental order records and reports restricted by law."),
        Exemption("HFE", "Fertility treatment information", "Information restricted by fertility and embryology law."),
        Exemption(
            "SEN",
            "Special educational needs records",
            "Statements and records of special educational needs whose disclosure is restricted.",
        ),
    )
}
EXEMPTION_CODES = tuple(EXEMPTIONS)


class RequesterType(LabelledEnum):
    """Who is asking, relative to the data subject (sar-rules sections 5 and 7)."""

    SELF = "self", "The data subject (an adult asking for their own records)"
    COMPETENT_CHILD = "competent_child", "A child asking for their own records"
    PARENT_PR = "parent_pr", "A parent or carer with parental responsibility"
    SOLICITOR = "solicitor", "A solicitor acting with the subject's authority"
    ADVOCATE = "advocate", "An advocate or relative acting with the subject's authority"
    ATTORNEY = "attorney", "An attorney (lasting power of attorney)"
    DEPUTY = "deputy", "A deputy appointed by the Court of Protection"
    OTHER = "other", "Someone else"

    @property
    def is_subject(self) -> bool:
        """The data subject is asking for themselves, so there is no separate requester."""
        return self in (RequesterType.SELF, RequesterType.COMPETENT_CHILD)

    @property
    def relationship_word(self) -> str:
        """The register's ``relationship`` for a requester of this type when staff give none."""
        return {
            RequesterType.PARENT_PR: "parent",
            RequesterType.SOLICITOR: "solicitor",
            RequesterType.ADVOCATE: "independent advocate",
            RequesterType.ATTORNEY: "attorney",
            RequesterType.DEPUTY: "deputy",
        }.get(self, "requester")


class PersonRole(LabelledEnum):
    DATA_SUBJECT = "data_subject", "Data subject"
    REQUESTER = "requester", "Requester"
    PROFESSIONAL = "professional", "Professional acting officially"
    THIRD_PARTY = "third_party", "Third party"


class EvidenceKind(LabelledEnum):
    IDENTITY = "identity", "Proof of identity"
    AUTHORITY = "authority", "Evidence of authority to act"
    PARENTAL_RESPONSIBILITY = "parental_responsibility", "Proof of parental responsibility"


class CompetenceDecision(LabelledEnum):
    """What the competence and best-interests assessment concluded (sar-rules section 5)."""

    COMPETENT_OWN_REQUEST = "competent_own_request", "The child is competent and is making the request themselves"
    COMPETENT_AUTHORISES = "competent_authorises", "The child is competent and authorises the requester"
    COMPETENT_DOES_NOT_AUTHORISE = (
        "competent_does_not_authorise",
        "The child is competent and does not authorise the requester",
    )
    NOT_COMPETENT_IN_BEST_INTERESTS = (
        "not_competent_in_best_interests",
        "The child lacks understanding; disclosure to the requester is in the child's best interests",
    )
    NOT_COMPETENT_NOT_IN_BEST_INTERESTS = (
        "not_competent_not_in_best_interests",
        "The child lacks understanding; disclosure to the requester is not in the child's best interests",
    )


class Case(CreatedAtMixin, Base):
    __tablename__ = "cases"
    audit_type: ClassVar[str] = "case"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[CaseStatus] = mapped_column(string_enum(CaseStatus), default=CaseStatus.RECEIVED, index=True)
    outcome: Mapped[Outcome | None] = mapped_column(string_enum(Outcome))
    channel: Mapped[Channel] = mapped_column(string_enum(Channel))
    # When it reached any part of the council (UTC), and the statutory date that gives in the
    # council's calendar (Europe/London): day 1 of the clock.
    received_at: Mapped[datetime]
    received_on: Mapped[date] = mapped_column(index=True)
    # False when only the day is known (a letter opened in the post room): received_at is then midnight.
    received_time_known: Mapped[bool] = mapped_column(default=True, server_default=true())
    logged_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None]
    requester_type: Mapped[RequesterType] = mapped_column(string_enum(RequesterType, 30), default=RequesterType.SELF)
    # Scope of the search: the teams (CaseScopeTeam), a date range and what the requester described.
    scope_from: Mapped[date | None]
    scope_to: Mapped[date | None]
    scope_description: Mapped[str] = mapped_column(Text, default="")
    # Asked at intake: a parent's request for a maintained school's educational record is the school's to answer
    # (sar-rules 1.4), so the case page offers TRANSFERRED. None means not asked.
    education_record: Mapped[bool | None]
    # The one-time token of the intake form that created the case: a resubmitted form finds this case instead
    # of logging a second one.
    form_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Closure details (sar-rules section 6); cleared on reopening, kept in the audit trail.
    outcome_reason: Mapped[str] = mapped_column(Text, default="")
    exemption_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    transferred_to: Mapped[TransferTarget | None] = mapped_column(string_enum(TransferTarget, 20))
    transferred_to_detail: Mapped[str] = mapped_column(String(SHORT_TEXT_MAX), default="")
    ncnd_signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The requester's withdrawal, a fact the WITHDRAWN outcome needs: when they told us, and how.
    withdrawn_on: Mapped[date | None]
    withdrawal_note: Mapped[str] = mapped_column(Text, default="", server_default="")

    logged_by: Mapped[User] = relationship(foreign_keys=[logged_by_id])
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    ncnd_signed_off_by: Mapped[User | None] = relationship(foreign_keys=[ncnd_signed_off_by_id])
    rights: Mapped[list[CaseRight]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    scope_teams: Mapped[list[CaseScopeTeam]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    people: Mapped[list[CasePerson]] = relationship(
        cascade="all, delete-orphan", back_populates="case", order_by="(CasePerson.position, CasePerson.id)"
    )
    evidence: Mapped[list[EvidenceItem]] = relationship(
        cascade="all, delete-orphan", back_populates="case", order_by="EvidenceItem.id"
    )
    competence: Mapped[CompetenceAssessment | None] = relationship(cascade="all, delete-orphan", back_populates="case")

    @property
    def right_values(self) -> frozenset[Right]:
        return frozenset(row.right for row in self.rights)

    @property
    def sorted_rights(self) -> list[Right]:
        return [right for right in Right if right in self.right_values]

    @property
    def is_access_request(self) -> bool:
        return Right.ACCESS in self.right_values

    @property
    def is_closed(self) -> bool:
        return self.status is CaseStatus.CLOSED

    @property
    def subject(self) -> CasePerson | None:
        return next((p for p in self.people if p.role is PersonRole.DATA_SUBJECT), None)

    @property
    def requester(self) -> CasePerson | None:
        """Who asked: the subject themselves, or the separate requester on the register."""
        if self.requester_type.is_subject:
            return self.subject
        return next((p for p in self.people if p.role is PersonRole.REQUESTER), None)

    @property
    def exemptions(self) -> list[Exemption]:
        return [EXEMPTIONS[code] for code in self.exemption_codes if code in EXEMPTIONS]

    @property
    def stage(self) -> CaseStage:
        return self.status.stage

    @property
    def team_ids(self) -> list[int]:
        return [row.team_id for row in self.scope_teams]


class CaseRight(Base):
    __tablename__ = "case_rights"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    right: Mapped[Right] = mapped_column(string_enum(Right, 20), primary_key=True, index=True)


class CaseScopeTeam(Base):
    """A team or provider whose records the request covers."""

    __tablename__ = "case_scope_teams"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), primary_key=True, index=True)

    team: Mapped[Team] = relationship()


class CaseReferenceCounter(Base):
    """The last reference number given out in each year; incremented atomically (sar.cases.reference)."""

    __tablename__ = "case_reference_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class CasePerson(CreatedAtMixin, Base):
    """One person in the case register: the subject, the requester, a professional or a third party.

    Identifiers are stored in the canonical forms of the people.json format (sar.cases.validators), so the
    export is a straight copy and the redaction library compares like with like.
    """

    __tablename__ = "case_people"
    audit_type: ClassVar[str] = "case_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    role: Mapped[PersonRole] = mapped_column(string_enum(PersonRole, 20))
    position: Mapped[int] = mapped_column(default=0)
    full_name: Mapped[str] = mapped_column(String(NAME_MAX))
    # Aliases, former names (an adopted child's birth name), nicknames and initials.
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    date_of_birth: Mapped[date | None]
    addresses: Mapped[list[str]] = mapped_column(JSON, default=list)
    phones: Mapped[list[str]] = mapped_column(JSON, default=list)
    emails: Mapped[list[str]] = mapped_column(JSON, default=list)
    nhs_number: Mapped[str | None] = mapped_column(String(12))
    ni_number: Mapped[str | None] = mapped_column(String(13))
    # Free text, as in people.json: "mother", "foster carer", "referrer (neighbour)", "social worker".
    # (Named ``relation`` in Python so it does not shadow SQLAlchemy's ``relationship``.)
    relation: Mapped[str] = mapped_column("relationship", String(RELATIONSHIP_MAX), default="")
    job_title: Mapped[str] = mapped_column(String(JOB_TITLE_MAX), default="")
    organisation: Mapped[str] = mapped_column(String(ORGANISATION_MAX), default="")
    # Consent to disclosure of their information to the requester (sar-rules section 4): None = not sought.
    consent_obtained: Mapped[bool | None]
    consent_date: Mapped[date | None]
    consent_note: Mapped[str] = mapped_column(String(SHORT_TEXT_MAX), default="")

    case: Mapped[Case] = relationship(back_populates="people")
    # Kept in step with full_name and aliases by _index_person_names (below), for the case search.
    name_rows: Mapped[list[CasePersonName]] = relationship(cascade="all, delete-orphan", lazy="select")

    @property
    def is_subject(self) -> bool:
        return self.role is PersonRole.DATA_SUBJECT


def name_key(name: str) -> str:
    """How a name is stored in, and searched against, the name index: case, accents and spacing
    ignored ("Zoë  O'Brien" and "zoe o'brien" are the same key)."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


class CasePersonName(Base):
    """The name index: one row per name a person in a case is known by (full name and each alias).

    The case search matches these rows, not the JSON text of ``aliases``, which would let a search
    for a quote mark or a bracket match every case."""

    __tablename__ = "case_person_names"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("case_people.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), index=True)


def person_name_keys(person: CasePerson) -> list[str]:
    keys = [name_key(person.full_name or "")] + [name_key(alias) for alias in person.aliases or []]
    return list(dict.fromkeys(key[:NAME_MAX] for key in keys if key))


@event.listens_for(Session, "before_flush")
def _index_person_names(session: Session, flush_context: Any, instances: Any) -> None:
    for person in [*session.new, *session.dirty]:
        if not isinstance(person, CasePerson):
            continue
        wanted = person_name_keys(person)
        if person in session.new or [row.name for row in person.name_rows] != wanted:
            person.name_rows = [CasePersonName(name=key) for key in wanted]


class EvidenceItem(CreatedAtMixin, Base):
    """Identity, authority or parental-responsibility evidence: asked for, received, verified.

    The dates feed the statutory clock (sar-rules 1.1): the clock starts from receipt of ID or authority
    evidence that was actually asked for, so ``requested_on`` and ``received_on`` are what the clock reads.
    """

    __tablename__ = "case_evidence"
    audit_type: ClassVar[str] = "case_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[EvidenceKind] = mapped_column(string_enum(EvidenceKind, 30))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("case_people.id", ondelete="SET NULL"))
    asked_for: Mapped[str] = mapped_column(String(SHORT_TEXT_MAX), default="")
    requested_on: Mapped[date | None]
    received_on: Mapped[date | None]
    what_arrived: Mapped[str] = mapped_column(String(SHORT_TEXT_MAX), default="")
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_on: Mapped[date | None]
    notes: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship(back_populates="evidence")
    person: Mapped[CasePerson | None] = relationship()
    verified_by: Mapped[User | None] = relationship()

    @property
    def is_received(self) -> bool:
        return self.received_on is not None

    @property
    def is_verified(self) -> bool:
        return self.verified_on is not None


class CompetenceAssessment(Base):
    """The competence and best-interests assessment for a request by or about a child (sar-rules section 5)."""

    __tablename__ = "case_competence_assessments"
    audit_type: ClassVar[str] = "case_competence"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    maturity: Mapped[str] = mapped_column(Text, default="")
    nature_of_data: Mapped[str] = mapped_column(Text, default="")
    court_orders: Mapped[str] = mapped_column(Text, default="")
    duty_of_confidence: Mapped[str] = mapped_column(Text, default="")
    consequences_of_parental_access: Mapped[str] = mapped_column(Text, default="")
    detriment_if_refused: Mapped[str] = mapped_column(Text, default="")
    childs_views: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[CompetenceDecision] = mapped_column(string_enum(CompetenceDecision, 40))
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    # Who made the assessment (often the child's social worker, not a user of this service) and when.
    assessed_by: Mapped[str] = mapped_column(String(NAME_MAX))
    assessed_on: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="competence")
    recorded_by: Mapped[User | None] = relationship()
