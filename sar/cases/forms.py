"""Intake forms. They parse and check what staff typed; the services check the rules again on save.

Maximum lengths come from the columns (sar.cases.models) so a value the form accepts always fits.
Error messages follow the GOV.UK Design System's patterns ("Enter...", "Select...", "... must be...").
"""

from __future__ import annotations

from datetime import time
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import Field, HiddenField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, ValidationError

from sar import calendar
from sar.auth.models import Team
from sar.cases import validators
from sar.cases.models import (
    EXEMPTIONS,
    JOB_TITLE_MAX,
    LIST_ITEM_MAX,
    LIST_MAX_ITEMS,
    LONG_TEXT_MAX,
    NAME_MAX,
    ORGANISATION_MAX,
    RELATIONSHIP_MAX,
    SHORT_TEXT_MAX,
    Case,
    CasePerson,
    CaseStatus,
    Channel,
    CompetenceAssessment,
    CompetenceDecision,
    EvidenceKind,
    Outcome,
    PersonRole,
    RequesterType,
    Right,
    TransferTarget,
)
from sar.cases.queries import CaseFilters
from sar.cases.service import CaseDetails, CompetenceDetails, EvidenceRequest, PersonDetails
from sar.cases.workflow import Closure
from sar.forms import (
    YES_NO,
    GovDateField,
    MultiCheckboxField,
    RadiosWidget,
    choices,
    enum_choices,
    lines,
    max_length,
    text_area,
    text_field,
    yes_no,
    yes_no_value,
)
from sar.urls import parse_id

PORTABILITY_NOTE = (
    "Portability is normally not available for children's social care records: it needs consent or a contract "
    "and automated processing. Log it, and tell the requester so."
)


def _list_area(label: str, what: str, canonical: Any, description: str) -> StringField:
    """A one-per-line textarea whose every line is checked (and later stored in canonical form)."""

    def check(form: Any, field: Field) -> None:
        items = lines(field.data)
        if len(items) > LIST_MAX_ITEMS:
            raise ValidationError(f"Enter no more than {LIST_MAX_ITEMS} {what}")
        for item in items:
            if len(item) > LIST_ITEM_MAX:
                raise ValidationError(f"Each line must be {LIST_ITEM_MAX} characters or fewer")
            if canonical is not None:
                try:
                    canonical(item)
                except ValueError as invalid:
                    raise ValidationError(f"{invalid} (line ‘{item}’)") from None

    return StringField(label, validators=[check], widget=GovTextArea(), description=description)


def _identifier(label: str, canonical: Any, description: str) -> StringField:
    def check(form: Any, field: Field) -> None:
        if field.data and field.data.strip():
            try:
                canonical(field.data)
            except ValueError as invalid:
                raise ValidationError(str(invalid)) from None

    return StringField(label, validators=[max_length(20, label), check], widget=GovTextInput(), description=description)


def _single(label: str, canonical: Any, description: str = "") -> StringField:
    def check(form: Any, field: Field) -> None:
        if field.data and field.data.strip():
            try:
                canonical(field.data)
            except ValueError as invalid:
                raise ValidationError(str(invalid)) from None

    return StringField(
        label, validators=[max_length(LIST_ITEM_MAX, label), check], widget=GovTextInput(), description=description
    )


# --- case details and intake ----------------------------------------------------------------------------


class CaseDetailsForm(FlaskForm):
    channel = RadioField(
        "How did the request arrive?",
        choices=enum_choices(Channel),
        validators=[InputRequired(message="Select how the request arrived")],
        widget=RadiosWidget(),
    )
    received_date = GovDateField(
        "Date received",
        what="the date received",
        required=True,
        past=True,
        description="The day it reached any part of the council, even if that was not a working day. "
        "For example, 27 3 2026",
    )
    received_time = StringField(
        "Time received",
        validators=[max_length(10, "The time received")],
        widget=GovTextInput(),
        description="For example, 14:30 or 2:30pm. Optional for a request that came by post.",
    )
    rights = MultiCheckboxField(
        "Which rights are being exercised?",
        choices=enum_choices(Right),
        validators=[InputRequired(message="Select at least one right")],
        description="Select all that apply. " + PORTABILITY_NOTE,
    )
    description = text_area(
        "What is the request for?",
        LONG_TEXT_MAX,
        "The description",
        description="In the requester's words where possible.",
    )
    education_record = RadioField(
        "Is this a parent's request to see a school's educational record?",
        choices=YES_NO,
        validate_choice=False,
        widget=RadiosWidget(),
        description="A maintained school must answer that itself within 15 school days (the parent's own right), "
        "so the request is transferred to the school.",
    )
    scope_teams = MultiCheckboxField(
        "Which teams' records does it cover?",
        coerce=int,
        validate_choice=True,
        description="Leave blank if not yet known.",
    )
    scope_from = GovDateField(
        "Records from", what="the start of the date range", past=True, description="Optional. For example, 1 9 2015"
    )
    scope_to = GovDateField("Records to", what="the end of the date range", description="Optional.")
    scope_description = text_area("Anything else about the scope", LONG_TEXT_MAX, "The scope description")
    requester_type = RadioField(
        "Who is making the request?",
        choices=enum_choices(RequesterType),
        validators=[InputRequired(message="Select who is making the request")],
        widget=RadiosWidget(),
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def __init__(self, *args: Any, teams: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope_teams.choices = choices(teams or [])

    def validate_received_time(self, field: Field) -> None:
        if not (field.data or "").strip():
            if self.channel.data != Channel.POST.value:
                raise ValidationError("Enter the time received")
            return
        if field.data:
            try:
                validators.parse_time(field.data)
            except ValueError as invalid:
                raise ValidationError(str(invalid)) from None

    def validate_scope_to(self, field: Field) -> None:
        if self.scope_from.data and field.data and self.scope_from.data > field.data:
            raise ValidationError("The end of the date range must be the same as or after its start")


class IntakeForm(CaseDetailsForm):
    """Log a request: the case details, who is asking and who the records are about, on one page."""

    form_token = HiddenField()
    # Ids of the possible duplicates the officer has been shown; logging goes ahead once they have seen them all.
    duplicates_seen = HiddenField()
    # Requester (only when someone asks on the subject's behalf)
    requester_full_name = text_field("Full name", NAME_MAX, "The requester's name")
    requester_relationship = text_field(
        "Relationship to the data subject",
        RELATIONSHIP_MAX,
        "The relationship",
        description="For example, mother, solicitor, independent advocate",
    )
    requester_organisation = text_field(
        "Organisation",
        ORGANISATION_MAX,
        "The organisation",
        description="For a solicitor or advocate, their firm or service.",
    )
    requester_job_title = text_field("Job title", JOB_TITLE_MAX, "The job title")
    requester_address = _single("Postal address", validators.canonical_address, "On one line, ending with the postcode")
    requester_phone = _single("Phone number", validators.canonical_phone)
    requester_email = _single("Email address", validators.canonical_email)
    # Data subject
    subject_full_name = text_field(
        "Full name", NAME_MAX, "The data subject's name", required="Enter the data subject's full name"
    )
    subject_aliases = _list_area("Other names", "other names", None, "Former names, nicknames, initials: one per line.")
    subject_date_of_birth = GovDateField(
        "Date of birth", what="the date of birth", past=True, description="For example, 14 3 2011"
    )
    subject_addresses = _list_area(
        "Addresses", "addresses", validators.canonical_address, "One address per line, ending with the postcode."
    )
    subject_phone = _single("Phone number", validators.canonical_phone)
    subject_email = _single("Email address", validators.canonical_email)
    subject_nhs_number = _identifier("NHS number", validators.canonical_nhs_number, "For example, 943 476 5919")
    subject_ni_number = _identifier(
        "National Insurance number",
        validators.canonical_ni_number,
        "For example, QQ 12 34 56 C. Children under 16 do not have one.",
    )
    submit = SubmitField("Log the request", widget=GovSubmitInput())

    def validate_requester_full_name(self, field: Field) -> None:
        kind = self.requester_type.data
        if kind and not RequesterType(kind).is_subject and not (field.data or "").strip():
            raise ValidationError("Enter the requester's full name")


# --- people register ------------------------------------------------------------------------------------

PERSON_ROLE_CHOICES = choices((r.value, r.label) for r in PersonRole if r is not PersonRole.DATA_SUBJECT)
CONSENT_CHOICES = choices([("yes", "Yes, they consent"), ("no", "No, they refuse"), ("", "Not asked")])


class PersonForm(FlaskForm):
    role = RadioField(
        "Role in the records",
        choices=PERSON_ROLE_CHOICES,
        widget=RadiosWidget(),
        validators=[InputRequired(message="Select the person's role")],
    )
    full_name = text_field("Full name", NAME_MAX, "The name", required="Enter the person's full name")
    relationship = text_field(
        "Relationship to the data subject",
        RELATIONSHIP_MAX,
        "The relationship",
        description="For example, mother, foster carer, referrer (neighbour), social worker",
    )
    job_title = text_field("Job title", JOB_TITLE_MAX, "The job title", description="For professionals.")
    organisation = text_field("Organisation", ORGANISATION_MAX, "The organisation", description="For professionals.")
    aliases = _list_area(
        "Other names", "other names", None, "Former names, nicknames and initials used in the records: one per line."
    )
    date_of_birth = GovDateField("Date of birth", what="the date of birth", past=True)
    addresses = _list_area(
        "Addresses", "addresses", validators.canonical_address, "One address per line, ending with the postcode."
    )
    phones = _list_area("Phone numbers", "phone numbers", validators.canonical_phone, "One per line.")
    emails = _list_area("Email addresses", "email addresses", validators.canonical_email, "One per line.")
    nhs_number = _identifier("NHS number", validators.canonical_nhs_number, "For example, 943 476 5919")
    ni_number = _identifier("National Insurance number", validators.canonical_ni_number, "For example, QQ 12 34 56 C")
    consent_obtained = RadioField(
        "Do they consent to their information being disclosed to the requester?",
        choices=CONSENT_CHOICES,
        validate_choice=False,
        widget=RadiosWidget(),
    )
    consent_date = GovDateField("Date of their answer", what="the date of their answer", past=True)
    consent_note = text_area("Notes on consent", SHORT_TEXT_MAX, "The note")
    submit = SubmitField("Save", widget=GovSubmitInput())

    def validate_consent_date(self, field: Field) -> None:
        if self.consent_obtained.data and field.data is None and not field.process_errors:
            raise ValidationError("Enter the date of their answer")


class ConfirmForm(FlaskForm):
    """A POST with only the CSRF token (remove a person)."""

    submit = SubmitField("Remove", widget=GovSubmitInput())


# --- evidence -------------------------------------------------------------------------------------------


class EvidenceRequestForm(FlaskForm):
    kind = RadioField(
        "What kind of evidence?",
        choices=enum_choices(EvidenceKind),
        widget=RadiosWidget(),
        validators=[InputRequired(message="Select the kind of evidence")],
    )
    person_id = SelectField("Whose evidence?", coerce=int, widget=GovSelect())
    asked_for = text_field(
        "What was asked for",
        SHORT_TEXT_MAX,
        "What was asked for",
        description="For example, a copy of a passport and a recent utility bill",
    )
    requested_on = GovDateField(
        "Date asked for",
        what="the date it was asked for",
        past=True,
        description="Leave blank if it arrived without being asked for.",
    )
    received_on = GovDateField(
        "Date received",
        what="the date it was received",
        past=True,
        description="Leave blank if it has not arrived yet.",
    )
    what_arrived = text_field("What arrived", SHORT_TEXT_MAX, "What arrived")
    notes = text_area("Notes", LONG_TEXT_MAX, "The notes")
    submit = SubmitField("Save", widget=GovSubmitInput())

    def validate_requested_on(self, field: Field) -> None:
        if field.data is None and self.received_on.data is None and not field.process_errors:
            raise ValidationError("Enter the date it was asked for, or the date it arrived")


class EvidenceReceiptForm(FlaskForm):
    received_on = GovDateField("Date received", what="the date it was received", required=True, past=True)
    what_arrived = text_field("What arrived", SHORT_TEXT_MAX, "What arrived", required="Enter what arrived")
    submit = SubmitField("Save", widget=GovSubmitInput())


class EvidenceVerifyForm(FlaskForm):
    verified_on = GovDateField("Date verified", what="the date verified", required=True, past=True)
    notes = text_area("Notes", LONG_TEXT_MAX, "The notes", description="How it was checked.")
    submit = SubmitField("Record verification", widget=GovSubmitInput())


# --- competence -----------------------------------------------------------------------------------------

COMPETENCE_FACTORS = (
    ("maturity", "The child's maturity and understanding"),
    ("nature_of_data", "The nature of the information"),
    ("court_orders", "Court orders about parental access or parental responsibility"),
    ("duty_of_confidence", "Any duty of confidence owed to the child"),
    (
        "consequences_of_parental_access",
        "Consequences of the parent seeing it (especially if there are allegations of abuse)",
    ),
    ("detriment_if_refused", "Detriment to the child if the parent is refused"),
    ("childs_views", "The child's views"),
)


class CompetenceForm(FlaskForm):
    maturity = text_area(COMPETENCE_FACTORS[0][1], LONG_TEXT_MAX, "This factor")
    nature_of_data = text_area(COMPETENCE_FACTORS[1][1], LONG_TEXT_MAX, "This factor")
    court_orders = text_area(COMPETENCE_FACTORS[2][1], LONG_TEXT_MAX, "This factor")
    duty_of_confidence = text_area(COMPETENCE_FACTORS[3][1], LONG_TEXT_MAX, "This factor")
    consequences_of_parental_access = text_area(COMPETENCE_FACTORS[4][1], LONG_TEXT_MAX, "This factor")
    detriment_if_refused = text_area(COMPETENCE_FACTORS[5][1], LONG_TEXT_MAX, "This factor")
    childs_views = text_area(COMPETENCE_FACTORS[6][1], LONG_TEXT_MAX, "This factor")
    decision = RadioField(
        "Conclusion",
        choices=enum_choices(CompetenceDecision),
        widget=RadiosWidget(),
        validators=[InputRequired(message="Select the conclusion")],
    )
    outcome_note = text_area("Reasons for the conclusion", LONG_TEXT_MAX, "The reasons")
    assessed_by = text_field(
        "Assessed by",
        NAME_MAX,
        "The assessor's name",
        required="Enter who made the assessment",
        description="Name and role, for example Sam Jones, allocated social worker",
    )
    assessed_on = GovDateField("Date assessed", what="the date assessed", required=True, past=True)
    submit = SubmitField("Save assessment", widget=GovSubmitInput())


# --- workflow and owner ---------------------------------------------------------------------------------


class OutcomeForm(FlaskForm):
    """Close the case with an outcome. Only outcomes whose facts are recorded are offered; the server checks again."""

    outcome = RadioField("Outcome", widget=RadiosWidget(), validators=[InputRequired(message="Select the outcome")])
    exemption_codes = MultiCheckboxField(
        "Exemptions applied",
        choices=choices((e.code, f"{e.label}. {e.description}") for e in EXEMPTIONS.values()),
        description="For a partial disclosure: every exemption relied on.",
    )
    transferred_to = RadioField(
        "Transferred to",
        choices=enum_choices(TransferTarget),
        widget=RadiosWidget(),
        validate_choice=False,
        description="For a transfer.",
    )
    transferred_to_detail = text_field("Name of the organisation", SHORT_TEXT_MAX, "The organisation")
    reason = text_area(
        "Reason",
        LONG_TEXT_MAX,
        "The reason",
        required="Enter the reason",
        description="Recorded in the case history. For ‘neither confirm nor deny’, the rationale.",
    )
    submit = SubmitField("Close the case", widget=GovSubmitInput())

    def __init__(self, *args: Any, outcomes: list[Outcome] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcome.choices = choices((o.value, o.label) for o in outcomes or [])


class ReopenForm(FlaskForm):
    reason = text_area(
        "Why is the case being reopened?",
        LONG_TEXT_MAX,
        "The reason",
        required="Enter why the case is being reopened",
        description="The outcome is cleared (it stays in the history) and the status follows the facts recorded.",
    )
    submit = SubmitField("Reopen the case", widget=GovSubmitInput())


class WithdrawalForm(FlaskForm):
    withdrawn_on = GovDateField("Date the requester withdrew", what="the date they withdrew", required=True, past=True)
    note = text_area(
        "How did they tell us?",
        SHORT_TEXT_MAX,
        "The note",
        required="Enter how they told us",
        description="For example, by phone to the case owner, confirmed by email.",
    )
    submit = SubmitField("Record the withdrawal", widget=GovSubmitInput())


class OwnerForm(FlaskForm):
    owner = SelectField("Case owner", coerce=int, widget=GovSelect())
    submit = SubmitField("Save", widget=GovSubmitInput())


# --- the case list's search and filters (a GET form: no CSRF, nothing changes) -----------------------------


class CaseFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(
        "Search",
        validators=[max_length(NAME_MAX, "The search")],
        widget=GovTextInput(),
        description="Reference, or the name of the data subject or requester",
    )
    status = SelectField(
        "Status",
        widget=GovSelect(),
        validate_choice=False,
        choices=choices([("", "Any"), ("open", "Any open case")]) + enum_choices(CaseStatus),
    )
    right = SelectField(
        "Right",
        widget=GovSelect(),
        validate_choice=False,
        choices=choices([("", "Any")] + [(r.value, r.value.capitalize()) for r in Right]),
    )
    owner = SelectField("Owner", widget=GovSelect(), validate_choice=False)
    team = SelectField("Team", widget=GovSelect(), validate_choice=False)
    received_from = GovDateField("Received from", what="the first date received")
    received_to = GovDateField("Received to", what="the last date received")
    sort = SelectField(
        "Sort by",
        widget=GovSelect(),
        validate_choice=False,
        choices=choices(
            [
                ("received-desc", "Most recently received"),
                ("received-asc", "Oldest first"),
                ("due-asc", "Due date (soonest first)"),
                ("due-desc", "Due date (latest first)"),
                ("reference-asc", "Reference (A to Z)"),
                ("reference-desc", "Reference (Z to A)"),
                ("status-asc", "Status"),
            ]
        ),
    )
    submit = SubmitField("Apply", widget=GovSubmitInput())


# --- from forms to the services' inputs (and back, to fill a form for editing) ---------------------------


def case_details_from(form: CaseDetailsForm, teams: dict[int, Team]) -> CaseDetails:
    assert form.received_date.data is not None  # required, checked by validate()
    typed_time = (form.received_time.data or "").strip()
    return CaseDetails(
        channel=Channel(form.channel.data),
        # By post only the day may be known: midnight stands for "some time that day" and is shown as such.
        received_at=calendar.moment_of(
            form.received_date.data, validators.parse_time(typed_time) if typed_time else time(0, 0)
        ),
        received_time_known=bool(typed_time),
        rights=frozenset(Right(value) for value in form.rights.data or []),
        requester_type=RequesterType(form.requester_type.data),
        description=form.description.data or "",
        scope_teams=tuple(teams[team_id] for team_id in form.scope_teams.data or [] if team_id in teams),
        scope_from=form.scope_from.data,
        scope_to=form.scope_to.data,
        scope_description=form.scope_description.data or "",
        education_record=yes_no(form.education_record.data),
    )


def fill_case_details(form: CaseDetailsForm, case: Case) -> None:
    local = calendar.council_time(case.received_at)
    form.channel.data = case.channel.value
    form.received_date.data = local.date()
    form.received_time.data = local.strftime("%H:%M") if case.received_time_known else ""
    form.rights.data = [right.value for right in case.sorted_rights]
    form.requester_type.data = case.requester_type.value
    form.description.data = case.description
    form.scope_teams.data = case.team_ids
    form.scope_from.data = case.scope_from
    form.scope_to.data = case.scope_to
    form.scope_description.data = case.scope_description
    form.education_record.data = yes_no_value(case.education_record)


def subject_from(form: IntakeForm) -> PersonDetails:
    return PersonDetails(
        full_name=form.subject_full_name.data or "",
        aliases=lines(form.subject_aliases.data),
        date_of_birth=form.subject_date_of_birth.data,
        addresses=lines(form.subject_addresses.data),
        phones=lines(form.subject_phone.data),
        emails=lines(form.subject_email.data),
        nhs_number=form.subject_nhs_number.data or None,
        ni_number=form.subject_ni_number.data or None,
    )


def requester_from(form: IntakeForm) -> PersonDetails | None:
    if RequesterType(form.requester_type.data).is_subject:
        return None
    return PersonDetails(
        full_name=form.requester_full_name.data or "",
        relationship=form.requester_relationship.data or RequesterType(form.requester_type.data).relationship_word,
        organisation=form.requester_organisation.data or "",
        job_title=form.requester_job_title.data or "",
        addresses=lines(form.requester_address.data),
        phones=lines(form.requester_phone.data),
        emails=lines(form.requester_email.data),
    )


def person_details_from(form: PersonForm) -> PersonDetails:
    return PersonDetails(
        full_name=form.full_name.data or "",
        aliases=lines(form.aliases.data),
        date_of_birth=form.date_of_birth.data,
        addresses=lines(form.addresses.data),
        phones=lines(form.phones.data),
        emails=lines(form.emails.data),
        nhs_number=form.nhs_number.data or None,
        ni_number=form.ni_number.data or None,
        relationship=form.relationship.data or "",
        job_title=form.job_title.data or "",
        organisation=form.organisation.data or "",
        consent_obtained=yes_no(form.consent_obtained.data),
        consent_date=form.consent_date.data,
        consent_note=form.consent_note.data or "",
    )


def fill_person(form: PersonForm, person: CasePerson) -> None:
    form.role.data = person.role.value
    form.full_name.data = person.full_name
    form.relationship.data = person.relation
    form.job_title.data = person.job_title
    form.organisation.data = person.organisation
    form.aliases.data = "\n".join(person.aliases)
    form.date_of_birth.data = person.date_of_birth
    form.addresses.data = "\n".join(person.addresses)
    form.phones.data = "\n".join(person.phones)
    form.emails.data = "\n".join(person.emails)
    form.nhs_number.data = person.nhs_number or ""
    form.ni_number.data = person.ni_number or ""
    form.consent_obtained.data = yes_no_value(person.consent_obtained) or ""
    form.consent_date.data = person.consent_date
    form.consent_note.data = person.consent_note


def competence_from(form: CompetenceForm) -> CompetenceDetails:
    assert form.assessed_on.data is not None
    factors = {name: getattr(form, name).data or "" for name, _ in COMPETENCE_FACTORS}
    return CompetenceDetails(
        decision=CompetenceDecision(form.decision.data),
        assessed_by=form.assessed_by.data or "",
        assessed_on=form.assessed_on.data,
        outcome_note=form.outcome_note.data or "",
        **factors,
    )


def fill_competence(form: CompetenceForm, assessment: CompetenceAssessment) -> None:
    for name, _ in COMPETENCE_FACTORS:
        getattr(form, name).data = getattr(assessment, name)
    form.decision.data = assessment.decision.value
    form.outcome_note.data = assessment.outcome_note
    form.assessed_by.data = assessment.assessed_by
    form.assessed_on.data = assessment.assessed_on


def evidence_request_from(form: EvidenceRequestForm) -> EvidenceRequest:
    return EvidenceRequest(
        kind=EvidenceKind(form.kind.data),
        asked_for=form.asked_for.data or "",
        requested_on=form.requested_on.data,
        person_id=form.person_id.data or None,
        received_on=form.received_on.data,
        what_arrived=form.what_arrived.data or "",
        notes=form.notes.data or "",
    )


def closure_from(form: OutcomeForm) -> Closure:
    return Closure(
        outcome=Outcome(form.outcome.data),
        exemption_codes=tuple(form.exemption_codes.data or ()),
        transferred_to=TransferTarget(form.transferred_to.data) if form.transferred_to.data else None,
        transferred_to_detail=form.transferred_to_detail.data or "",
    )


def filters_from(form: CaseFilterForm) -> CaseFilters:
    def as_int(value: str | None) -> int | None:
        return parse_id(value)

    status = form.status.data or ""
    return CaseFilters(
        text=form.q.data or "",
        status=CaseStatus(status) if status in CaseStatus.__members__.values() else None,
        open_only=status == "open",
        right=Right(form.right.data) if form.right.data in Right.__members__.values() else None,
        owner_id=as_int(form.owner.data),
        unassigned=form.owner.data == "none",
        team_id=as_int(form.team.data),
        received_from=form.received_from.data,
        received_to=form.received_to.data,
    )
