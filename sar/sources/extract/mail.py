"""Email: ``.eml``, mbox, Outlook ``.msg`` and Outlook ``.pst``.

A message is typeset as a readable page (From, To, Cc, Date, Subject, then the body; an HTML
body is read as text, never rendered or fetched) and each attachment becomes a child, so a
Word attachment is converted and a zip attachment unpacked in its turn. A mailbox (mbox, PST)
has no page of its own: each message is written out as an ``.eml`` child.

Libraries: the standard ``email`` and ``mailbox`` packages; ``python-oxmsg`` (MIT) for
``.msg``; ``libpff-python`` (LGPL-3.0-or-later, imported as ``pypff``, built from source by pip)
for ``.pst``, the format Microsoft 365 eDiscovery exports.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import mailbox
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage, Message
from email.parser import HeaderParser
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any

from sar.sources.extract.model import Child, Limits, Refused
from sar.sources.extract.names import child_path
from sar.sources.extract.text import decode, html_to_text

_HEADERS = (("From", "from"), ("To", "to"), ("Cc", "cc"), ("Date", "date"), ("Subject", "subject"))
_IDS = (("Message-ID", "message_id"), ("In-Reply-To", "in_reply_to"), ("References", "references"))

# MAPI property tags (MS-OXPROPS) read from Outlook items.
_TAG_SUBJECT, _TAG_CLASS, _TAG_BODY = 0x0037, 0x001A, 0x1000
_TAG_DISPLAY_TO, _TAG_DISPLAY_CC, _TAG_SENDER_EMAIL = 0x0E04, 0x0E03, 0x0C1F
_TAG_MESSAGE_ID, _TAG_IN_REPLY_TO, _TAG_REFERENCES = 0x1035, 0x1042, 0x1039
_TAG_PST_PASSWORD = 0x67FF
_ITEM_LABELS = {
    0x3001: "Name",
    0x3A06: "Given name",
    0x3A11: "Surname",
    0x3003: "Email address",
    0x39FE: "Email address",
    0x3A16: "Organisation",
    0x3A17: "Job title",
    0x3A18: "Department",
    0x3A08: "Business phone",
    0x3A09: "Home phone",
    0x3A1C: "Mobile phone",
    0x3A15: "Postal address",
    0x3A2D: "Home address",
}
_ITEM_KINDS = {
    "ipm.contact": "Outlook contact",
    "ipm.distlist": "Outlook distribution list",
    "ipm.appointment": "Outlook calendar item",
    "ipm.stickynote": "Outlook note",
    "ipm.task": "Outlook task",
    "ipm.activity": "Outlook journal entry",
}
_STRING_TYPES = (0x001E, 0x001F)


@dataclass
class MailPage:
    """One message, ready to typeset."""

    subject: str
    fields: list[tuple[str, str]]
    body: str
    metadata: dict[str, str]
    date: datetime | None
    attachments: list[tuple[str, bytes | None]] = field(default_factory=list)
    kind_label: str = "Email"


def too_many(count: int, limits: Limits, what: str) -> Refused:
    return Refused(
        "too_many_items",
        f"This {what} holds more than {limits.max_children} items, more than the system takes from one file. "
        "Split it into smaller exports and add them again.",
    )


def write_children(page: MailPage, folder: Path, limits: Limits) -> list[Child]:
    if len(page.attachments) > limits.max_children:
        raise too_many(len(page.attachments), limits, "message")
    children: list[Child] = []
    for index, (name, data) in enumerate(page.attachments):
        if data is None:
            continue
        path = child_path(folder, index, name)
        path.write_bytes(data)
        children.append(Child(name, path, "attachment"))
    return children


def attachment_list(page: MailPage) -> str:
    lines = []
    for name, data in page.attachments:
        lines.append(name if data is not None else f"{name} (could not be taken out of the message: ask for it)")
    return "\n".join(lines)


# --- .eml -------------------------------------------------------------------------------------------------------


def read_eml(path: Path) -> MailPage:
    with path.open("rb") as handle:
        message = email.message_from_binary_file(handle, policy=email.policy.default)
    return page_from_message(message)


def _header(message: Message, name: str) -> str:
    try:
        values = message.get_all(name) or []
        return " ".join(" ".join(str(v).split()) for v in values)
    except (ValueError, IndexError, TypeError, AttributeError, LookupError):
        raw = message.get(name, "")
        return str(raw) if raw else ""


def page_from_message(message: EmailMessage) -> MailPage:
    metadata: dict[str, str] = {}
    fields: list[tuple[str, str]] = []
    for header, key in _HEADERS:
        value = _header(message, header)
        if value:
            metadata[key] = value
        if value or header in ("From", "To", "Subject"):
            fields.append((header, value or "(none)"))
    for header, key in _IDS:
        value = _header(message, header)
        if value:
            metadata[key] = value
    date = _parse_date(metadata.get("date", ""))
    body = _body_text(message)
    attachments: list[tuple[str, bytes | None]] = []
    for index, part in enumerate(_attachment_parts(message)):
        name = _part_name(part, index)
        attachments.append((name, _part_bytes(part)))
    outlook_class = _header(message, "X-Outlook-Class").lower()
    kind_label = _ITEM_KINDS.get(".".join(outlook_class.split(".")[:2]), "Email")
    return MailPage(metadata.get("subject", ""), fields, body, metadata, date, attachments, kind_label)


def _parse_date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _body_text(message: EmailMessage) -> str:
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except (KeyError, AttributeError):
        part = None
    if part is None:
        if message.is_multipart():
            return ""
        part = message
    content = _part_text(part)
    if part.get_content_subtype() == "html":
        return html_to_text(content)[1]
    return content


def _part_text(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return content
    except (LookupError, ValueError, AssertionError, KeyError):
        pass
    payload = part.get_payload(decode=True)
    return decode(payload) if isinstance(payload, bytes) else ""


def _attachment_parts(message: EmailMessage) -> Iterator[Message]:
    try:
        yield from message.iter_attachments()
    except (KeyError, AttributeError, TypeError):
        return


def _part_name(part: Message, index: int) -> str:
    try:
        name = part.get_filename()
    except (TypeError, ValueError, LookupError):
        name = None
    if name:
        return str(name)
    if part.get_content_type() == "message/rfc822":
        return f"attached message {index + 1}.eml"
    return f"attachment {index + 1}"


def _part_bytes(part: Message) -> bytes | None:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            return bytes(inner[0].as_bytes(policy=email.policy.default.clone(linesep="\r\n")))
        return None
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else None


# --- mbox -------------------------------------------------------------------------------------------------------


def read_mbox(path: Path, folder: Path, limits: Limits) -> list[Child]:
    box = mailbox.mbox(str(path), create=False)
    children: list[Child] = []
    try:
        for index, key in enumerate(box.iterkeys()):
            if index >= limits.max_children:
                raise too_many(index, limits, "mailbox")
            data = box.get_bytes(key)
            subject = _subject_of(data)
            child = child_path(folder, index, f"{subject or 'message'}.eml")
            child.write_bytes(data)
            children.append(Child(subject or f"message {index + 1}", child, "message"))
    finally:
        box.close()
    if not children:
        raise Refused("empty", "This mailbox file contains no messages.")
    return children


def _subject_of(data: bytes) -> str:
    head = data.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    parsed = HeaderParser(policy=email.policy.default).parsestr(head.decode("utf-8", "replace"))
    return _header(parsed, "Subject")


# --- Outlook .msg -----------------------------------------------------------------------------------------------


def read_msg(path: Path) -> MailPage:
    try:
        return _read_msg(path)
    except Exception as exc:  # noqa: BLE001 - python-oxmsg raises many kinds of error (KeyError, struct) on damage
        raise Refused(
            "corrupt", "This Outlook message file is damaged and cannot be read. Ask for a fresh copy."
        ) from exc


def _read_msg(path: Path) -> MailPage:
    from oxmsg import Message as OutlookMessage

    msg = OutlookMessage.load(str(path))
    props = msg.properties

    def prop(tag: int) -> str:
        try:
            value = props.str_prop_value(tag)
        except Exception:  # noqa: BLE001 - a missing or odd property is simply absent
            return ""
        return (value or "").replace("\x00", "").strip()

    message_class = (msg.message_class or "IPM.Note").replace("\x00", "")
    headers = {k.lower(): str(v) for k, v in (msg.message_headers or {}).items()}
    subject = (msg.subject or "").replace("\x00", "").strip()
    sender = headers.get("from") or (msg.sender or "").replace("\x00", "")
    date = msg.sent_date
    metadata = {
        "from": sender,
        "to": headers.get("to") or prop(_TAG_DISPLAY_TO),
        "cc": headers.get("cc") or prop(_TAG_DISPLAY_CC),
        "subject": subject,
        "message_id": headers.get("message-id") or prop(_TAG_MESSAGE_ID),
        "in_reply_to": headers.get("in-reply-to") or prop(_TAG_IN_REPLY_TO),
        "references": headers.get("references") or prop(_TAG_REFERENCES),
        "message_class": message_class,
    }
    if date is not None:
        metadata["date"] = format_datetime(date if date.tzinfo else date.replace(tzinfo=UTC))
    metadata = {k: " ".join(v.split()) for k, v in metadata.items() if v}
    body = (msg.body or "").replace("\x00", "")
    if not body.strip() and msg.html_body:
        html = msg.html_body if isinstance(msg.html_body, str) else decode(msg.html_body)
        body = html_to_text(html)[1]
    details = [(label, prop(tag)) for tag, label in _ITEM_LABELS.items()]
    details = _unique([(label, value) for label, value in details if value])
    fields = _mail_fields(metadata, date) + details
    attachments: list[tuple[str, bytes | None]] = []
    for index, attachment in enumerate(msg.attachments):
        name = (attachment.file_name or f"attachment {index + 1}").replace("\x00", "")
        data = attachment.file_bytes
        attachments.append((name, bytes(data) if data else None))
    kind_label = _ITEM_KINDS.get(".".join(message_class.lower().split(".")[:2]), "Email")
    return MailPage(subject, fields, body, metadata, date, attachments, kind_label)


def _mail_fields(metadata: dict[str, str], date: datetime | None) -> list[tuple[str, str]]:
    fields = []
    for header, key in _HEADERS:
        value = metadata.get(key, "")
        if key == "date" and date is not None:
            value = format_datetime(date if date.tzinfo else date.replace(tzinfo=UTC))
        if value or header in ("From", "To", "Subject"):
            fields.append((header, value or "(none)"))
    return fields


def _unique(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: set[tuple[str, str]] = set()
    out = []
    for pair in pairs:
        if pair not in seen:
            seen.add(pair)
            out.append(pair)
    return out


# --- Outlook .pst -----------------------------------------------------------------------------------------------


def read_pst(path: Path, folder: Path, limits: Limits) -> list[Child]:
    import pypff

    pst = pypff.file()
    try:
        pst.open(str(path))
    except OSError as exc:
        raise Refused(
            "corrupt", "This Outlook data file (.pst) is damaged and cannot be opened. Ask for a fresh export."
        ) from exc
    try:
        if _pst_has_password(pst):
            raise Refused(
                "encrypted",
                "This Outlook data file (.pst) is protected by a password. Ask whoever exported it for a copy "
                "without a password, then add it again.",
            )
        children: list[Child] = []
        for folder_path, item in _pst_items(pst.get_root_folder(), "", 0):
            if len(children) >= limits.max_children:
                raise too_many(len(children), limits, "Outlook data file")
            message = _pst_message(item, folder_path, limits)
            if message is None:
                continue
            subject = str(message.get("Subject", "")) or f"item {len(children) + 1}"
            out = child_path(folder, len(children), f"{subject}.eml")
            out.write_bytes(message.as_bytes(policy=email.policy.default.clone(linesep="\r\n")))
            children.append(Child(subject, out, "message"))
    except OSError as exc:
        raise Refused(
            "corrupt",
            "This Outlook data file (.pst) is damaged and could not be read to the end. Ask for a fresh export.",
        ) from exc
    finally:
        pst.close()
    if not children:
        raise Refused("empty", "This Outlook data file (.pst) contains no messages or other items.")
    return children


def _pst_has_password(pst: Any) -> bool:
    store = pst.get_message_store()
    if store is None:
        return False
    for record_set in _record_sets(store):
        for entry in _entries(record_set):
            if entry.entry_type == _TAG_PST_PASSWORD:
                data = entry.data or b""
                return any(data)
    return False


def _record_sets(item: Any) -> Iterator[Any]:
    for index in range(item.number_of_record_sets):
        yield item.get_record_set(index)


def _entries(record_set: Any) -> Iterator[Any]:
    for index in range(record_set.number_of_entries):
        yield record_set.get_entry(index)


def _pst_items(folder: Any, folder_path: str, depth: int) -> Iterator[tuple[str, Any]]:
    if depth > 64:
        return
    for index in range(folder.number_of_sub_messages):
        yield folder_path, folder.get_sub_message(index)
    for index in range(folder.number_of_sub_folders):
        sub = folder.get_sub_folder(index)
        name = (sub.name or "").strip()
        yield from _pst_items(sub, f"{folder_path}/{name}" if folder_path else name, depth + 1)


def _strings(item: Any) -> dict[int, str]:
    values: dict[int, str] = {}
    for record_set in _record_sets(item):
        for entry in _entries(record_set):
            if entry.value_type in _STRING_TYPES and entry.entry_type not in values:
                try:
                    value = entry.get_data_as_string()
                except (OSError, UnicodeDecodeError):
                    continue
                if value and value.strip():
                    values[entry.entry_type] = value.replace("\x00", "").strip()
    return values


def _pst_message(item: Any, folder_path: str, limits: Limits) -> EmailMessage | None:
    if not hasattr(item, "get_subject"):
        return None  # internal records (free/busy data) carry no content for a person
    strings = _strings(item)
    message_class = strings.get(_TAG_CLASS, "IPM.Note")
    message = EmailMessage()
    _pst_transport_headers(item, message)
    _pst_property_headers(item, strings, message)
    message["X-Outlook-Class"] = message_class
    if folder_path:
        message["X-Outlook-Folder"] = folder_path
    body = _pst_body(item)
    details = [f"{label}: {strings[tag]}" for tag, label in _ITEM_LABELS.items() if strings.get(tag)]
    kind = _ITEM_KINDS.get(message_class.lower())
    if kind:
        body = "\n".join([kind, *dict.fromkeys(details), "", body]).strip()
    message.set_content(body or "(no text)")
    _pst_attachments(item, message, limits)
    return message


def _pst_transport_headers(item: Any, message: EmailMessage) -> None:
    """The headers of a message that came from the internet, as Outlook kept them."""
    transport = item.get_transport_headers()
    parsed = HeaderParser(policy=email.policy.default).parsestr(transport) if transport else None
    for header in ("From", "To", "Cc", "Date", "Subject", "Message-ID", "In-Reply-To", "References"):
        value = _header(parsed, header) if parsed is not None else ""
        if value:
            message[header] = value


def _pst_property_headers(item: Any, strings: dict[int, str], message: EmailMessage) -> None:
    """The headers the transport headers lack (or all of them, for a message never sent), from its properties."""
    if "Subject" not in message:
        message["Subject"] = (item.get_subject() or strings.get(_TAG_SUBJECT, "")).replace("\x00", "")
    if "From" not in message:
        _pst_sender(item, strings, message)
    if "To" not in message and strings.get(_TAG_DISPLAY_TO):
        message["To"] = strings[_TAG_DISPLAY_TO]
    if "Cc" not in message and strings.get(_TAG_DISPLAY_CC):
        message["Cc"] = strings[_TAG_DISPLAY_CC]
    if "Date" not in message:
        when = item.get_client_submit_time() or item.get_delivery_time() or item.get_creation_time()
        if when is not None:
            message["Date"] = format_datetime(when.replace(tzinfo=UTC) if when.tzinfo is None else when)
    for header, tag in (("Message-ID", _TAG_MESSAGE_ID), ("In-Reply-To", _TAG_IN_REPLY_TO)):
        if header not in message and strings.get(tag):
            message[header] = strings[tag]


def _pst_sender(item: Any, strings: dict[int, str], message: EmailMessage) -> None:
    sender = (item.get_sender_name() or "").replace("\x00", "")
    address = strings.get(_TAG_SENDER_EMAIL, "")
    if sender or address:
        message["From"] = f"{sender} <{address}>" if sender and "@" in address else (sender or address)


def _pst_body(item: Any) -> str:
    plain = item.get_plain_text_body()
    if plain:
        return decode(plain).replace("\x00", "")
    html = item.get_html_body()
    if html:
        return html_to_text(decode(html))[1]
    return ""


def _pst_attachments(item: Any, message: EmailMessage, limits: Limits) -> None:
    count = item.get_number_of_attachments()
    if count > limits.max_children:
        raise too_many(count, limits, "Outlook message")
    for index in range(count):
        attachment = item.get_attachment(index)
        name = ""
        with contextlib.suppress(OSError):
            name = attachment.get_long_filename() or ""
        size = attachment.get_size() or 0
        if size > limits.max_file_bytes:
            raise Refused(
                "too_large",
                f"An attachment in this Outlook data file ({name or 'unnamed'}) is larger than the "
                f"{limits.max_file_bytes // (1024 * 1024)} MB the system reads. A person needs to deal with it.",
            )
        data = attachment.read_buffer(size) if size else b""
        message.add_attachment(
            bytes(data), maintype="application", subtype="octet-stream", filename=name or f"attachment {index + 1}"
        )
    rtf = None if (item.get_plain_text_body() or item.get_html_body()) else item.get_rtf_body()
    if rtf:
        # The text only exists as Rich Text: LibreOffice turns it into pages as an attachment.
        message.add_attachment(bytes(rtf), maintype="application", subtype="rtf", filename="message body.rtf")
