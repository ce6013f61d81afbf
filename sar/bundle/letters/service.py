"""Writing, keeping and sending letters; versioning templates; the Art 15 supplementary information.

Services flush and audit, naming who acted (``by``); the request commits. Every refusal is a :class:`LetterRefused`
(a :class:`sar.errors.DomainError`) with a message for the officer and the form field it belongs to.

One fact, one owner: sending a letter that changes the clock records it through the owner of that fact, in the same
transaction as the letter. A clarification request pauses the clock and an extension notice extends it (the clock's
``record_event``, which checks the notice deadline again); a fee request records the fee asked for (the clock); a
request for ID or authority records the evidence asked for (intake's evidence register, which moves the clock).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from sar import audit, mail
from sar.audit import Author, SystemActor
from sar.auth.models import User
from sar.bundle.letters import defaults, pdf
from sar.bundle.letters.context import DisclosureContext, council, letter_context
from sar.bundle.letters.models import (
    ART15_FIELDS,
    ART15_NAMES,
    Audience,
    CaseLetterStyle,
    Letter,
    LetterKind,
    LetterStatus,
    LetterTemplate,
    SupplementaryInformation,
)
from sar.bundle.letters.sandbox import Rendered, TemplateProblem, check_syntax, render_letter
from sar.calendar import long_date, today
from sar.case_rows import of_case
from sar.cases import service as intake
from sar.cases.models import Case, EvidenceKind, RequesterType
from sar.clock import service as clock_service
from sar.clock.models import EventKind
from sar.clock.panel import clock_view
from sar.db import utcnow
from sar.errors import DomainError
from sar.extensions import db

MAX_DETAIL = 4000
_BUILT_IN = SystemActor("built-in letter text")
# Kinds that change the clock or the evidence register when sent: pointless once the case is closed.
_OPEN_CASE_ONLY = {LetterKind.EVIDENCE_REQUEST, LetterKind.CLARIFICATION, LetterKind.EXTENSION, LetterKind.FEE_REQUEST}
# Kinds whose text relies on the council's Art 15 information (ICO contact, complaint route, ...).
_NEEDS_ART15 = {
    LetterKind.DISCLOSURE_COVER,
    LetterKind.REFUSAL,
    LetterKind.EXTENSION,
    LetterKind.FEE_REQUEST,
    LetterKind.NO_DATA_HELD,
}


class LetterRefused(DomainError):
    """A letter, template or Art 15 change the rules refuse; ``field`` names the form field it is about."""


# ---------------------------------------------------------------------------------------------- templates


def template_versions(kind: LetterKind, audience: Audience) -> list[LetterTemplate]:
    """Every version of one template, newest first."""
    return list(
        db.session.scalars(
            select(LetterTemplate)
            .where(LetterTemplate.kind == kind, LetterTemplate.audience == audience)
            .order_by(LetterTemplate.version.desc())
        )
    )


def _latest(kind: LetterKind, audience: Audience) -> LetterTemplate | None:
    return db.session.scalars(
        select(LetterTemplate)
        .where(LetterTemplate.kind == kind, LetterTemplate.audience == audience)
        .order_by(LetterTemplate.version.desc())
        .limit(1)
    ).first()


def current_template(kind: LetterKind, audience: Audience) -> LetterTemplate:
    """The newest version; the built-in text is saved as version 1 the first time a template is needed."""
    latest = _latest(kind, audience)
    if latest is not None:
        return latest
    subject, body = defaults.default_text(kind, audience)
    template = LetterTemplate(
        kind=kind, audience=audience, version=1, subject=subject, body=body, note="The built-in text"
    )
    try:
        with db.session.begin_nested():
            db.session.add(template)
            db.session.flush()
    except IntegrityError:
        # Another request saved version 1 at the same moment: use theirs.
        winner = _latest(kind, audience)
        assert winner is not None
        return winner
    audit.record_on(
        template,
        "letter_template.created",
        f"{kind.label} ({audience.label.lower()}): built-in text saved as version 1",
        after={"kind": kind.value, "audience": audience.value, "version": 1},
        by=_BUILT_IN,
    )
    return template


def all_current_templates() -> list[LetterTemplate]:
    return [current_template(kind, audience) for kind in LetterKind for audience in Audience]


def preview_template(
    kind: LetterKind, subject: str, body: str, case: Case, *, by: User, details: dict[str, str] | None = None
) -> Rendered:
    """Render unsaved template text with a real case. Shows that case's data, so it is audited as a view (before
    rendering: a template that fails part-way has still read the case). A problem is refused beside its field."""
    for source, where, field in ((subject, "subject line", "subject"), (body, "letter text", "body")):
        try:
            check_syntax(source, where=where)
        except TemplateProblem as problem:
            raise LetterRefused(str(problem), field) from problem
    audit.record_on(
        case, "letter_template.previewed", f"{kind.label} template previewed with case {case.reference}", by=by
    )
    context = letter_context(
        case, officer=by, on=today(), details=details or sample_details(kind), info=supplementary()
    )
    try:
        render_letter(subject, "", context)  # the subject line alone first, so its problem goes beside it
    except TemplateProblem as problem:
        raise LetterRefused(str(problem), "subject") from problem
    try:
        return render_letter(subject, body, context)
    except TemplateProblem as problem:
        raise LetterRefused(str(problem), "body") from problem


def sample_details(kind: LetterKind) -> dict[str, str]:
    """What an officer might add to this kind of letter, so a preview shows every part of the template."""
    samples = {
        LetterKind.EVIDENCE_REQUEST: {
            "evidence_kind": "identity",
            "what_we_need": "- a copy of your passport or driving licence\n"
            "- a recent utility bill showing your address",
        },
        LetterKind.CLARIFICATION: {
            "questions": "- Which years are you most interested in?\n- Which placements or teams do you remember?"
        },
        LetterKind.EXTENSION: {"reasons": "Your request covers records from several teams over many years."},
        LetterKind.FEE_REQUEST: {
            "fee_amount": "25.00",
            "fee_reason": "You asked for a further copy of records we sent you in March.",
        },
        LetterKind.REFUSAL: {"reasons": "The request repeats one we answered last month, with nothing new to add."},
    }
    return samples.get(kind, {})


def save_template(
    base: LetterTemplate, subject: str, body: str, note: str, *, preview_case: Case, by: User
) -> LetterTemplate:
    """Save edited text as the next version, once it renders with a real case (never changing an old version)."""
    subject, body = subject.strip(), body.strip() + "\n"
    if not subject:
        raise LetterRefused("Enter the subject line", "subject")
    if not body.strip():
        raise LetterRefused("Enter the text of the letter", "body")
    try:
        check_syntax(subject, where="subject line")
    except TemplateProblem as problem:
        raise LetterRefused(str(problem), "subject") from problem
    try:
        check_syntax(body)
        context = letter_context(
            preview_case, officer=by, on=today(), details=sample_details(base.kind), info=supplementary()
        )
        render_letter(subject, body, context)
    except TemplateProblem as problem:
        raise LetterRefused(str(problem), "body") from problem
    latest = _latest(base.kind, base.audience)
    if latest is not None and latest.subject == subject and latest.body == body:
        raise LetterRefused("Nothing has changed since the current version. Change the text before saving.", "body")
    version = (latest.version if latest else 0) + 1
    template = LetterTemplate(
        kind=base.kind,
        audience=base.audience,
        version=version,
        subject=subject,
        body=body,
        note=note.strip()[:500],
        created_by_id=by.id,
    )
    db.session.add(template)
    db.session.flush()
    audit.record_on(
        template,
        "letter_template.saved",
        (
            f"{base.kind.label} ({base.audience.label.lower()}): version {version} saved"
            + (f" – {template.note}" if template.note else "")
        ),
        before={"version": latest.version, "subject": latest.subject, "body": latest.body} if latest else None,
        after={"version": version, "subject": subject, "body": body, "previewed_with": preview_case.reference},
        by=by,
    )
    return template


# ---------------------------------------------------------------------------------------------- Art 15 information


def supplementary() -> SupplementaryInformation | None:
    return db.session.get(SupplementaryInformation, 1)


def update_supplementary(values: dict[str, str], *, by: Author) -> SupplementaryInformation:
    """Save the council's Art 15 information (every field is needed by the cover letter)."""
    cleaned = {name: (values.get(name) or "").strip() for name in ART15_NAMES}
    for name, label, _ in ART15_FIELDS:
        if not cleaned[name]:
            raise LetterRefused(f"Enter {label[0].lower()}{label[1:]}", name)
        if len(cleaned[name]) > 20_000:
            raise LetterRefused(f"{label} must be 20,000 characters or fewer", name)
    info = supplementary()
    before = info.values() if info else None
    if info is None:
        info = SupplementaryInformation(id=1, **cleaned)
        db.session.add(info)
    else:
        for name, value in cleaned.items():
            setattr(info, name, value)
    info.updated_by_id = by.id if isinstance(by, User) else None
    info.updated_at = utcnow()
    db.session.flush()
    changed = [label for name, label, _ in ART15_FIELDS if before is None or before[name] != cleaned[name]]
    audit.record_on(
        info,
        "art15_information.updated",
        ("Art 15 supplementary information " + ("set up" if before is None else "changed: " + "; ".join(changed))),
        before=before,
        after=cleaned,
        by=by,
    )
    return info


# ---------------------------------------------------------------------------------------------- the case's style


def audience_for(case: Case) -> Audience:
    style = db.session.get(CaseLetterStyle, case.id)
    if style is not None:
        return style.audience
    return Audience.CHILD if case.requester_type is RequesterType.COMPETENT_CHILD else Audience.ADULT


def style_chosen(case: Case) -> bool:
    return db.session.get(CaseLetterStyle, case.id) is not None


def set_audience(case: Case, audience: Audience, *, by: User) -> None:
    before = audience_for(case)
    style = db.session.get(CaseLetterStyle, case.id)
    if style is None:
        style = CaseLetterStyle(case_id=case.id, audience=audience, chosen_by_id=by.id)
        db.session.add(style)
    style.audience, style.chosen_by_id, style.chosen_at = audience, by.id, utcnow()
    db.session.flush()
    audit.record_on(
        case,
        "letters.style_chosen",
        f"Letters on this case: {audience.label.lower()}",
        before={"audience": before.value},
        after={"audience": audience.value},
        by=by,
    )


# ---------------------------------------------------------------------------------------------- writing letters


def letters_for(case: Case) -> list[Letter]:
    return list(db.session.scalars(select(Letter).where(Letter.case_id == case.id).order_by(Letter.id.desc())))


def get_letter(case: Case, letter_id: int) -> Letter:
    """The letter, only if it belongs to this case (ids in URLs are never trusted on their own)."""
    return of_case(Letter, letter_id, case.id)


_MONEY = re.compile(r"£?\s*(\d{1,6}(?:\.\d{1,2})?)")


def _money(text: str) -> str:
    match = _MONEY.fullmatch(text.strip().replace(",", ""))
    if not match:
        raise LetterRefused("Enter the fee in pounds, for example 25 or 25.50", "fee_amount")
    try:
        amount = Decimal(match.group(1))
    except InvalidOperation as error:
        raise LetterRefused("Enter the fee in pounds, for example 25 or 25.50", "fee_amount") from error
    if amount <= 0:
        raise LetterRefused("The fee must be more than £0", "fee_amount")
    return f"{amount:.2f}"


def _required(details: dict[str, str], name: str, message: str) -> None:
    if not details.get(name, "").strip():
        raise LetterRefused(message, name)


def unavailable(case: Case, kind: LetterKind, on: date | None = None) -> str | None:
    """Why this kind of letter cannot be written on the case today (None when it can), for the letter chooser."""
    try:
        _check_case_allows(case, kind, on or today())
    except LetterRefused as refused:
        return refused.message
    return None


def _check_case_allows(case: Case, kind: LetterKind, on: date) -> None:
    if kind in _OPEN_CASE_ONLY and case.is_closed:
        raise LetterRefused(
            f"The case is closed, so a {kind.label.lower()} cannot be sent. Reopen the case first.", "kind"
        )
    if kind in _NEEDS_ART15 and supplementary() is None:
        raise LetterRefused(
            "The council's Art 15 supplementary information (ICO contact, complaint route and the rest) has not been "
            "set up yet. Ask the Data Protection Officer to set it up first.",
            "kind",
        )
    if kind is LetterKind.CLARIFICATION and not case.is_access_request:
        raise LetterRefused(
            "The clock can only be paused for clarification on a subject access request (UK GDPR Article 15). "
            "Ask the requester informally instead.",
            "kind",
        )
    if kind is LetterKind.EXTENSION:
        _check_extension_possible(case, on)


def check_details(case: Case, kind: LetterKind, raw: dict[str, Any], on: date) -> dict[str, str]:
    """The officer's details for this kind of letter, checked; refusals say what to fix."""
    details = {name: str(value or "").strip()[:MAX_DETAIL] for name, value in raw.items() if value is not None}
    _check_case_allows(case, kind, on)
    if kind is LetterKind.EVIDENCE_REQUEST:
        if details.get("evidence_kind") not in ("identity", "authority"):
            raise LetterRefused("Select whether you need proof of identity or evidence of authority", "evidence_kind")
        _required(details, "what_we_need", "Enter what the requester needs to send")
    elif kind is LetterKind.CLARIFICATION:
        _required(details, "questions", "Enter what you need the requester to tell you")
    elif kind is LetterKind.EXTENSION:
        _required(details, "reasons", "Enter the reasons for the extension (the notice must state them)")
    elif kind is LetterKind.FEE_REQUEST:
        details["fee_amount"] = _money(details.get("fee_amount", ""))
        _required(details, "fee_reason", "Enter why a fee is being charged")
    elif kind is LetterKind.REFUSAL:
        _required(details, "reasons", "Enter the reasons for the refusal (the law requires them)")
    return details


def _check_extension_possible(case: Case, on: date) -> None:
    view = clock_view(case)
    if view is None:
        raise LetterRefused("The clock cannot be worked out for this case, so it cannot be extended.", "kind")
    if view.extended:
        raise LetterRefused("The time limit has already been extended; it can only be extended once.", "kind")
    if on > view.notice_deadline:
        raise LetterRefused(
            f"The extension notice had to be sent by {long_date(view.notice_deadline)}. After that date the time "
            "limit cannot be extended (UK GDPR Article 12A): respond as soon as possible instead.",
            "kind",
        )


def create_letter(
    case: Case,
    kind: LetterKind,
    details: dict[str, Any],
    *,
    by: User,
    on: date | None = None,
    disclosure: DisclosureContext | None = None,
    author: Author | None = None,
) -> Letter:
    """Write a letter from the current template, typeset it and keep the PDF on the case (not sent yet).

    ``by`` is the officer the letter is from (signed with their name); ``author`` who wrote it, for the audit trail,
    when that is not the officer (the bundle's cover letter written by a command or a job).
    """
    on = on or today()
    checked = check_details(case, kind, details, on)
    audience = audience_for(case)
    template = current_template(kind, audience)
    context = letter_context(case, officer=by, on=on, details=checked, info=supplementary(), disclosure=disclosure)
    try:
        rendered = render_letter(template.subject, template.body, context)
    except TemplateProblem as problem:
        raise LetterRefused(
            f"The {kind.label.lower()} template (version {template.version}) cannot be used with this case: {problem} "
            "Ask the Data Protection Officer to correct the template.",
            "kind",
        ) from problem
    recipient = context["requester"]
    page = pdf.LetterPage(
        letterhead=pdf.Letterhead(
            council_name=context["council"]["name"],
            address_lines=context["council"]["address_lines"],
            email=context["council"]["email"],
            phone=context["council"]["phone"],
        ),
        reference=case.reference,
        date_text=long_date(on),
        recipient_lines=[
            line for line in [recipient["name"], recipient["organisation"], *recipient["address_lines"]] if line
        ],
        subject=rendered.subject,
        body=rendered.body,
    )
    content = pdf.render_pdf(page, title=f"{kind.label} – {case.reference}", author=council()["name"])
    original_name = f"{case.reference}-{kind.value.replace('_', '-')}-{on.isoformat()}.pdf"
    letter = Letter(
        case_id=case.id,
        kind=kind,
        audience=audience,
        template_id=template.id,
        letter_date=on,
        details=checked,
        subject=rendered.subject,
        body_text=rendered.body,
        created_by_id=by.id,
    )
    stored = letter.store_file(content, media_type="application/pdf", original_name=original_name)
    db.session.add(letter)
    db.session.flush()
    audit.record_on(
        letter,
        "letter.created",
        f"{kind.label} written ({audience.label.lower()}, template version {template.version})",
        after={
            "kind": kind.value,
            "audience": audience.value,
            "template_version": template.version,
            "details": checked,
            "file_key": stored.key,
        },
        by=author or by,
    )
    return letter


# ---------------------------------------------------------------------------------------------- sending


NOT_A_RECORDED_ADDRESS = (
    "Select one of the requester's email addresses recorded on the case. To use another address, add it to "
    "the requester's entry in the register first."
)


def email_addresses(case: Case) -> list[str]:
    """Where a letter (or a download link) may be emailed: only addresses recorded for the requester on the case."""
    person = case.requester or case.subject
    return list(person.emails) if person is not None else []


def recorded_address(case: Case, to_address: str) -> str | None:
    """The address chosen, as recorded on the case (matched whatever its letter case), or None when it is not one of
    the requester's: a form posted by hand must not send the requester's records anywhere else."""
    allowed = {address.lower(): address for address in email_addresses(case)}
    return allowed.get(to_address.strip().lower())


def _record_consequences(case: Case, letter: Letter, on: date, by: User) -> str:
    """What sending this letter means for the clock or the evidence register, recorded by their owners."""
    details = letter.details or {}
    try:
        if letter.kind is LetterKind.CLARIFICATION:
            derived = clock_service.derive_case(case, clock_service.events_for(case))
            if derived.open_pause is not None:
                return "The clock was already paused; this letter is a reminder."
            clock_service.record_event(
                case, EventKind.CLARIFICATION_ASKED, on, by=by, note=f"Clarification request letter {letter.id} sent"
            )
            return "The clock is paused until the requester answers."
        if letter.kind is LetterKind.EXTENSION:
            clock_service.record_event(
                case,
                EventKind.EXTENSION_DECIDED,
                on,
                reasons=details.get("reasons", ""),
                notice_date=on,
                by=by,
                note=f"Extension notice letter {letter.id} sent",
            )
            return "The extension is recorded on the clock."
        if letter.kind is LetterKind.FEE_REQUEST:
            derived = clock_service.derive_case(case, clock_service.events_for(case))
            if derived.awaiting_fee:
                return "A fee was already asked for; this letter is a reminder."
            clock_service.record_event(
                case,
                EventKind.FEE_REQUESTED,
                on,
                by=by,
                note=f"Fee request letter {letter.id} sent: £{details.get('fee_amount', '')}",
            )
            return "The fee request is recorded on the clock."
    except clock_service.EventRefused as refused:
        raise LetterRefused(f"The letter was not sent: {refused}", "delivery") from refused
    if letter.kind is LetterKind.EVIDENCE_REQUEST:
        kind = EvidenceKind.AUTHORITY if details.get("evidence_kind") == "authority" else EvidenceKind.IDENTITY
        if any(item.kind is kind and item.requested_on and not item.received_on for item in case.evidence):
            return "It was already recorded as asked for; this letter is a reminder."
        person = case.requester or case.subject
        try:
            intake.record_evidence_request(
                case,
                intake.EvidenceRequest(
                    kind=kind,
                    asked_for=details.get("what_we_need", "")[:500],
                    requested_on=on,
                    person_id=person.id if person else None,
                ),
                by=by,
                today=on,
            )
        except intake.CaseError as refused:
            raise LetterRefused(f"The letter was not sent: {refused.message}", "delivery") from refused
        return f"{kind.label} recorded as asked for in the case's evidence."
    return ""


def _check_unsent(letter: Letter) -> None:
    if letter.status is not LetterStatus.DRAFT:
        raise LetterRefused(
            f"This letter was already {letter.status.label.lower()} on {long_date(letter.sent_on)}. "
            "Write a new letter to send it again.",
            "delivery",
        )


def send_by_email(case: Case, letter: Letter, to_address: str, *, by: User, on: date | None = None) -> str:
    """Queue the letter in the mail outbox with its PDF attached; returns what else sending it recorded."""
    on = on or today()
    _check_unsent(letter)
    address = recorded_address(case, to_address)
    if address is None:
        raise LetterRefused(NOT_A_RECORDED_ADDRESS, "to_address")
    consequence = _record_consequences(case, letter, on, by)
    name = council()["name"]
    message = mail.queue(
        address,
        f"{letter.subject}",
        f"Please find attached a letter from {name} about your request, reference {case.reference}.\n\n"
        f"If you were not expecting this email, please tell us at {council()['email']} and delete it.\n",
        kind=f"letter:{letter.kind.value}",
        case_id=case.id,
        dedup_key=f"letter:{letter.id}",
        attachment=mail.Attachment(letter.file_key, letter.original_name, letter.media_type),
    )
    if message is None:
        raise LetterRefused("This letter is already in the outbox.", "delivery")
    letter.status, letter.sent_to, letter.sent_on, letter.sent_by_id = LetterStatus.EMAILED, address, on, by.id
    letter.outbox_message_id = message.id
    db.session.flush()
    audit.record_on(
        letter,
        "letter.emailed",
        f"{letter.kind.label} sent by email to {address} (outbox message {message.id}). {consequence}".strip(),
        before={"status": LetterStatus.DRAFT.value},
        after={"status": letter.status.value, "to": address, "outbox_message_id": message.id},
        by=by,
    )
    return consequence


def mark_posted(case: Case, letter: Letter, *, by: User, on: date | None = None) -> str:
    """Record that the letter was printed for post; returns what else sending it recorded."""
    on = on or today()
    _check_unsent(letter)
    consequence = _record_consequences(case, letter, on, by)
    letter.status, letter.sent_on, letter.sent_by_id = LetterStatus.POSTED, on, by.id
    db.session.flush()
    audit.record_on(
        letter,
        "letter.posted",
        f"{letter.kind.label} printed for post. {consequence}".strip(),
        before={"status": LetterStatus.DRAFT.value},
        after={"status": letter.status.value},
        by=by,
    )
    return consequence


# ---------------------------------------------------------------------------------------------- reading


def record_letter_viewed(case: Case, letter: Letter, *, by: User) -> None:
    audit.record_on(letter, "letter.viewed", f"{letter.kind.label} viewed", by=by)


def open_letter_pdf(case: Case, letter: Letter, *, by: User) -> bytes:
    """The letter's PDF from the file store, read in full before the response starts (a missing or damaged file is
    an error page, never a truncated download); each download is audited."""
    content = letter.read_file()
    audit.record_on(letter, "letter.downloaded", f"{letter.kind.label} downloaded ({letter.original_name})", by=by)
    return content


def template_use(templates: list[LetterTemplate]) -> dict[int, int]:
    """How many letters were written from each template version."""
    ids = [t.id for t in templates]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Letter.template_id, func.count()).where(Letter.template_id.in_(ids)).group_by(Letter.template_id)
    )
    return {template_id: count for template_id, count in rows}
