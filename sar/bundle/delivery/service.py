"""Secure delivery: download links for a released bundle, the password on another channel, and the print copy.

Services flush and audit, naming who acted (``by``); the request commits. A refusal is a :class:`DeliveryRefused`
(a :class:`sar.errors.DomainError`) naming the form field it belongs to.

The link and the password never travel together. The link is emailed through the outbox (sar.mail) to an address
recorded for the requester on the case; the password goes by a second email, as an SMS text shown once for the
officer to send, or in a letter printed for post. The password is not stored here: the officer types the one they
were shown at release, it is checked against the release's hash and used once. Only the posted letter holds it, as a
PDF in the encrypted file store, until the link is revoked; sent emails have their bodies removed from the outbox.

Only the SHA-256 of a link's token is stored. The public page answers every problem (unknown, expired, revoked,
used up) with the same page, so it cannot tell anyone which tokens exist; the audit trail keeps the real reason.
Refused uses are counted per address and refused once over DELIVERY_RATE_LIMIT, like sign-in.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, has_request_context, url_for
from sqlalchemy import select, update

from sar import audit, link_attempts, mail
from sar.audit import SystemActor
from sar.auth.models import User
from sar.bundle import queries, release
from sar.bundle.delivery.models import DeliveryAttempt, DeliveryLink, LinkState, PasswordChannel
from sar.bundle.letters import pdf
from sar.bundle.letters.context import council
from sar.bundle.letters.service import NOT_A_RECORDED_ADDRESS, recorded_address
from sar.bundle.models import Bundle, BundleStatus
from sar.calendar import long_date, today
from sar.case_rows import of_case
from sar.cases.models import Case
from sar.db import utcnow
from sar.errors import DomainError
from sar.extensions import db
from sar.storage import StorageError, get_store

MAX_PASSWORD = 200
TOKEN_MAX = 100


class DeliveryRefused(DomainError):
    """Something the delivery rules refuse; ``field`` names the form field it is about."""


@dataclass(frozen=True)
class Issued:
    """A link just made: its token and address exist in clear only here, for the email and the officer's page."""

    link: DeliveryLink
    url: str
    sms_text: str | None  # the password text for the officer to send (SMS channel), shown once


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def default_days() -> int:
    return int(current_app.config.get("DELIVERY_LINK_DAYS") or 28)


def default_max_downloads() -> int:
    return int(current_app.config.get("DELIVERY_MAX_DOWNLOADS") or 5)


def link_url(token: str) -> str:
    """The address for the email: PUBLIC_URL when configured (the address the public reaches), else this request's."""
    base = current_app.config.get("PUBLIC_URL")
    if has_request_context():
        path = url_for("records.collect", token=token)
        if not base:
            return url_for("records.collect", token=token, _external=True)
    else:  # the command line or the demo seeder
        with current_app.test_request_context():
            path = url_for("records.collect", token=token)
        base = base or "http://127.0.0.1:5000"
    return str(base).rstrip("/") + path


# ---------------------------------------------------------------------------------------------- reading


def deliverable(case: Case) -> list[Bundle]:
    """The released parts of the case: the only files a link may give out."""
    return queries.released_bundles(case)


def links_for(case: Case) -> list[DeliveryLink]:
    return list(
        db.session.scalars(select(DeliveryLink).where(DeliveryLink.case_id == case.id).order_by(DeliveryLink.id.desc()))
    )


def get_link(case: Case, link_id: int) -> DeliveryLink:
    """The link, only if it belongs to this case (ids in URLs are never trusted on their own)."""
    return of_case(DeliveryLink, link_id, case.id)


def get_released(case: Case, bundle_id: int) -> Bundle:
    bundle = queries.get_bundle(case, bundle_id)
    if bundle is None or not bundle.is_released:
        raise DeliveryRefused("Select a released bundle of this case", "bundle_id")
    return bundle


def bundle_of(link: DeliveryLink) -> Bundle:
    return db.session.get_one(Bundle, link.bundle_id)


# ---------------------------------------------------------------------------------------------- sending


def _check_address(case: Case, to_address: str) -> str:
    address = recorded_address(case, to_address)
    if address is None:
        raise DeliveryRefused(NOT_A_RECORDED_ADDRESS, "to_address")
    return address


def _check_password(bundle: Bundle, password: str) -> str:
    password = password.strip()
    if not password:
        raise DeliveryRefused("Enter the bundle's password, as shown when it was released", "password")
    # The release keeps only a hash of the password it generated; it alone knows how to check one.
    if len(password) > MAX_PASSWORD or not release.password_matches(bundle, password):
        raise DeliveryRefused(
            "That is not the password this bundle was encrypted with. Copy it exactly as it was shown when the "
            "bundle was released.",
            "password",
        )
    return password


def _check_limits(days: int | None, max_downloads: int | None) -> tuple[int, int]:
    days = default_days() if days is None else days
    max_downloads = default_max_downloads() if max_downloads is None else max_downloads
    if not 1 <= days <= 90:
        raise DeliveryRefused("The link must last between 1 and 90 days", "days")
    if not 1 <= max_downloads <= 20:
        raise DeliveryRefused("Allow between 1 and 20 downloads", "max_downloads")
    return days, max_downloads


def _link_email(case: Case, link: DeliveryLink, url: str, channel: PasswordChannel) -> mail.OutboxMessage | None:
    name = council()["name"]
    how = {
        PasswordChannel.EMAIL: "in a separate email",
        PasswordChannel.SMS: "by text message",
        PasswordChannel.POST: "in a letter by post",
    }[channel]
    body = (
        f"{name} has prepared the records you asked for (our reference {case.reference}).\n\n"
        f"Download them here:\n\n{url}\n\n"
        f"The link works until {long_date(link.expires_at.date())} and for {link.max_downloads} downloads. The file is "
        f"a PDF protected by a password, which we are sending you {how}. Keep the two apart.\n\n"
        "The records may be upsetting to read. If you would like someone to go through them with you, reply to this "
        "email or call us.\n\n"
        f"If you were not expecting this email, please tell us at {council()['email']} and delete it.\n"
    )
    return mail.queue(
        link.to_address,
        f"Your records from {name} – {case.reference}",
        body,
        kind="delivery:link",
        case_id=case.id,
        dedup_key=f"delivery-link:{link.id}",
    )


def _password_words(case: Case, password: str) -> str:
    return (
        f"The password for the records {council()['name']} sent you (reference {case.reference}) is: {password}\n"
        "Type it exactly, including capital letters."
    )


def _password_letter(case: Case, link: DeliveryLink, password: str) -> bytes:
    """A one-page letter with the password, through the letters' typesetting (never with the link)."""
    details = council()
    person = case.requester or case.subject
    address = [line.strip() for line in (person.addresses[0].split(",") if person and person.addresses else [])]
    body = (
        "We have emailed you a link to download the records you asked for. The file is protected by a password, "
        "which is below. We send it separately so that nobody who sees only one of them can open your records.\n\n"
        f"Password: {password}\n\n"
        "Type it exactly as it is written here, including capital letters.\n\n"
        f"The link works until {long_date(link.expires_at.date())}. If it has stopped working, or you did not get the "
        "email, contact us and we will send a new one.\n\n"
        "The records may be upsetting to read. If you would like someone to go through them with you, contact us.\n\n"
        f"Yours sincerely\n\n{details['team']}\n{details['name']}"
    )
    page = pdf.LetterPage(
        letterhead=pdf.Letterhead(
            council_name=details["name"],
            address_lines=details["address_lines"],
            email=details["email"],
            phone=details["phone"],
        ),
        reference=case.reference,
        date_text=long_date(today()),
        recipient_lines=[line for line in [person.full_name if person else "", *address] if line],
        subject=f"The password for your records – {case.reference}",
        body=body,
    )
    return pdf.render_pdf(page, title=f"Password letter – {case.reference}", author=details["name"])


def _send_password(case: Case, link: DeliveryLink, bundle: Bundle, password: str, *, by: User) -> str | None:
    """Send the password on the link's channel; returns the SMS text for the officer, if that is the channel."""
    channel = link.password_channel
    if channel is PasswordChannel.EMAIL:
        message = mail.queue(
            link.to_address,
            f"The password for your records – {case.reference}",
            _password_words(case, password)
            + "\n\nThe link to the records comes in a separate email. If you were not expecting this, please tell us "
            f"at {council()['email']} and delete it.\n",
            kind="delivery:password",
            case_id=case.id,
            dedup_key=f"delivery-password:{link.id}",
        )
        link.password_message_id = message.id if message else None
        link.password_sent_at = utcnow()
        how = f"a separate email to {link.to_address}"
        sms = None
    elif channel is PasswordChannel.SMS:
        sms = _password_words(case, password)
        link.password_sent_at = utcnow()
        how = "an SMS text shown to the officer to send"
    else:
        stored = get_store().put(_password_letter(case, link, password))
        link.password_letter_key = stored.key
        how = "a letter to print for post"
        sms = None
    db.session.flush()
    audit.record_on(
        link,
        "delivery.password_sent",
        f"Password for {bundle.title} sent by {how}",
        after={"channel": channel.value},
        by=by,
    )
    return sms


def _email_new_link(
    case: Case,
    bundle: Bundle,
    *,
    to_address: str,
    channel: PasswordChannel,
    days: int,
    max_downloads: int,
    by: User,
    password_sent_at: datetime | None = None,
) -> tuple[DeliveryLink, str]:
    """A new link with a fresh token, its email queued; returns the row and its URL, the only place the token is
    in clear."""
    token = secrets.token_urlsafe(32)
    link = DeliveryLink(
        case_id=case.id,
        bundle_id=bundle.id,
        token_hash=_hash(token),
        to_address=to_address,
        password_channel=channel,
        expires_at=utcnow() + timedelta(days=days),
        max_downloads=max_downloads,
        password_sent_at=password_sent_at,
        created_by_id=by.id,
    )
    db.session.add(link)
    db.session.flush()
    url = link_url(token)
    message = _link_email(case, link, url, channel)
    link.link_message_id = message.id if message else None
    return link, url


def create_link(
    case: Case,
    bundle: Bundle,
    *,
    to_address: str,
    channel: PasswordChannel,
    password: str,
    by: User,
    days: int | None = None,
    max_downloads: int | None = None,
) -> Issued:
    """A new download link for a released bundle, emailed to the requester, with the password sent separately."""
    if bundle.case_id != case.id or not bundle.is_released:
        raise DeliveryRefused("Only a released bundle of this case can be sent", "bundle_id")
    address = _check_address(case, to_address)
    checked_password = _check_password(bundle, password)
    days, max_downloads = _check_limits(days, max_downloads)
    link, url = _email_new_link(
        case, bundle, to_address=address, channel=channel, days=days, max_downloads=max_downloads, by=by
    )
    audit.record_on(
        link,
        "delivery.link_created",
        (
            f"Download link for {bundle.title} emailed to {address}: {max_downloads} downloads, "
            f"until {long_date(link.expires_at.date())}; password by {channel.label.lower()}"
        ),
        after={
            "bundle_id": bundle.id,
            "to": address,
            "expires_at": link.expires_at,
            "max_downloads": max_downloads,
            "channel": channel.value,
            "outbox_message_id": link.link_message_id,
        },
        by=by,
    )
    sms = _send_password(case, link, bundle, checked_password, by=by)
    mail.send_soon()
    return Issued(link=link, url=url, sms_text=sms)


def revoke_link(case: Case, link: DeliveryLink, *, by: User, reason: str = "revoked by an officer") -> None:
    if link.revoked_at is not None:
        raise DeliveryRefused("This link was already revoked", "link")
    before = link.state().value
    link.revoked_at, link.revoked_by_id, link.revoked_reason = utcnow(), by.id, reason[:200]
    if link.password_letter_key:
        # The posted letter holds the password: kept (encrypted) only while the link it goes with can be used.
        get_store().delete(link.password_letter_key)
        link.password_letter_key = None
    db.session.flush()
    audit.record_on(
        link,
        "delivery.link_revoked",
        f"Download link {link.id} ({link.to_address}) revoked: {reason}",
        before={"state": before},
        after={"state": LinkState.REVOKED.value},
        by=by,
    )


def resend_link(case: Case, link: DeliveryLink, *, by: User, days: int | None = None) -> Issued:
    """A fresh link to the same address for the same bundle (the old one stops working): the token was never kept,
    so the same link cannot be sent twice. The password is not sent again; the requester already has it."""
    bundle = bundle_of(link)
    if not bundle.is_released:
        raise DeliveryRefused("The bundle is no longer released, so it cannot be sent again", "link")
    if link.revoked_at is None:
        revoke_link(case, link, by=by, reason="replaced by a new link")
    days, max_downloads = _check_limits(days, link.max_downloads)
    fresh, url = _email_new_link(
        case,
        bundle,
        to_address=link.to_address,
        channel=link.password_channel,
        days=days,
        max_downloads=max_downloads,
        by=by,
        password_sent_at=link.password_sent_at,
    )
    audit.record_on(
        fresh,
        "delivery.link_resent",
        f"Download link for {bundle.title} sent again to {fresh.to_address} (replaces link {link.id})",
        after={"replaces": link.id, "expires_at": fresh.expires_at, "outbox_message_id": fresh.link_message_id},
        by=by,
    )
    mail.send_soon()
    return Issued(link=fresh, url=url, sms_text=None)


def password_letter(case: Case, link: DeliveryLink, *, by: User) -> bytes:
    """The printed password letter (post channel); each download audited, the first one records it as sent."""
    if not link.password_letter_key:
        raise DeliveryRefused("This link's password was not sent by post", "link")
    try:
        content = get_store().open(link.password_letter_key)
    except StorageError as missing:  # deleted when the link was revoked
        raise DeliveryRefused("The password letter is no longer kept: send a new link", "link") from missing
    if link.password_sent_at is None:
        link.password_sent_at = utcnow()
    audit.record_on(
        link,
        "delivery.password_letter_printed",
        f"Password letter for download link {link.id} downloaded to print for post",
        by=by,
    )
    return content


def print_ready(case: Case, bundle: Bundle, *, by: User) -> Iterator[bytes]:
    """The unencrypted, redacted bundle to print for post: only a build whose gate passed for exactly this file, with
    the verdict's seal intact (released, or built and checked, and not replaced by a later build). Audited before the
    first byte."""
    if bundle.case_id != case.id or not bundle.built_key or not release.seal_intact(bundle):
        raise DeliveryRefused("Only a bundle that passed the release check can be printed", "bundle_id")
    if bundle.status not in (BundleStatus.BUILT, BundleStatus.RELEASED) or (
        bundle.superseded and bundle.status is not BundleStatus.RELEASED
    ):
        raise DeliveryRefused("This build was replaced by a later one: print the latest build", "bundle_id")
    audit.record_on(
        bundle,
        "delivery.print_copy_downloaded",
        f"Print-ready copy of {bundle.title} (not encrypted) downloaded to print for post",
        after={"file_key": bundle.built_key},
        by=by,
    )
    return get_store().iter_chunks(bundle.built_key)


# ---------------------------------------------------------------------------------------------- the public page


def requester(link: DeliveryLink) -> SystemActor:
    """The requester, as the audit trail names them: no account, known by the link they hold."""
    return SystemActor(f"requester {link.to_address} (download link {link.id})")


_PUBLIC = SystemActor("records download page")


def too_many_failures(ip_address: str) -> bool:
    return link_attempts.too_many_failures(
        DeliveryAttempt,
        ip_address,
        limit=int(current_app.config.get("DELIVERY_RATE_LIMIT") or 10),
        window_seconds=int(current_app.config.get("DELIVERY_RATE_WINDOW_SECONDS") or 900),
    )


def _find(token: str) -> DeliveryLink | None:
    if not token or len(token) > TOKEN_MAX:
        return None
    return db.session.scalar(select(DeliveryLink).where(DeliveryLink.token_hash == _hash(token)))


def resolve(token: str) -> DeliveryLink | None:
    """The link if it can be used now (active and its bundle still released), else None."""
    link = _find(token)
    if link is None or link.state() is not LinkState.ACTIVE or not bundle_of(link).is_released:
        return None
    return link


def record_failure(token: str, ip_address: str) -> None:
    """A refused use: counted for the rate limit and audited with the real reason, and committed now, since the
    refusal's response (404) rolls the request back."""
    link = _find(token)
    if link is None:
        reason = "no such link"
    elif link.state() is LinkState.ACTIVE:
        reason = "bundle no longer released"
    else:
        reason = link.state().label.lower()
    link_attempts.record_attempt(DeliveryAttempt, ip_address, link.id if link else None, succeeded=False)
    audit.record(
        "delivery.refused",
        object_type="delivery_link",
        object_id=link.id if link else None,
        case_id=link.case_id if link else None,
        summary=f"Records download page refused from {ip_address}: {reason}",
        by=_PUBLIC,
    )
    db.session.commit()


def record_opened(link: DeliveryLink, ip_address: str) -> None:
    link_attempts.record_attempt(DeliveryAttempt, ip_address, link.id, succeeded=True)
    audit.record_on(link, "delivery.page_opened", f"Records download page opened from {ip_address}", by=requester(link))


def take_download(link: DeliveryLink, ip_address: str) -> Iterator[bytes] | None:
    """Count one download and return the encrypted file; None when the last download was just taken by another
    request. The count is one conditional UPDATE, so two requests at once can never exceed the limit."""
    now = utcnow()
    counted = db.session.execute(
        update(DeliveryLink)
        .where(
            DeliveryLink.id == link.id,
            DeliveryLink.downloads < DeliveryLink.max_downloads,
            DeliveryLink.revoked_at.is_(None),
            DeliveryLink.expires_at > now,
        )
        .values(downloads=DeliveryLink.downloads + 1, last_downloaded_at=now)
        .execution_options(synchronize_session=False)
    )
    if counted.rowcount != 1:  # type: ignore[attr-defined]
        return None
    db.session.refresh(link)
    link_attempts.record_attempt(DeliveryAttempt, ip_address, link.id, succeeded=True)
    bundle = bundle_of(link)
    audit.record_on(
        link,
        "delivery.downloaded",
        (
            f"{bundle.title} downloaded by the requester from {ip_address} "
            f"(download {link.downloads} of {link.max_downloads})"
        ),
        after={"downloads": link.downloads, "bundle_id": bundle.id},
        by=requester(link),
    )
    return queries.stream_released(bundle, by=requester(link), purpose=f"requester download, link {link.id}")


def file_size(link: DeliveryLink) -> int:
    return int(bundle_of(link).file_size or 0)


def now() -> datetime:
    return utcnow()
