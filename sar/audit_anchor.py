"""Signed checkpoints of the audit chain's head, kept outside the database.

Every few minutes (``AUDIT_CHECKPOINT_MINUTES``; also ``flask --app sar audit-checkpoint`` from
cron, or the ``audit.checkpoint`` job) the newest event's id and hash are appended, with the time
and an HMAC under ``AUDIT_HMAC_KEY``, as one JSON line to ``AUDIT_CHECKPOINT_PATH``: a file opened
for appending only, which should live where the database's owner cannot rewrite it (another
host's mount, a log shipper, a write-once bucket). With ``AUDIT_CHECKPOINT_EMAIL_DPO`` each
checkpoint is also emailed to the DPOs, a copy nobody at the database can recall.

``verify-audit`` then compares the database with every genuine checkpoint: an event a checkpoint
names must still exist with the same hash, so deleting the newest rows, or rewriting the chain
since a checkpoint, is reported even by an attacker who dropped the triggers.
"""

from __future__ import annotations

import hmac
import json
import os
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from sar import audit, mail
from sar.db import utcnow
from sar.extensions import db

DEFAULT_INTERVAL_MINUTES = 15
_last_written: dict[str, float] = {}  # per process: checkpoint path -> monotonic time of the last write


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    line: int


def _message(seq: int, chain_hash: str, at: str) -> str:
    return f"sar-audit-checkpoint:{seq}:{chain_hash}:{at}"


def _path() -> Path:
    return Path(current_app.config["AUDIT_CHECKPOINT_PATH"])


def write_checkpoint(*, email_dpo: bool | None = None) -> Checkpoint | None:
    """Append a signed checkpoint of the chain's current head; None if the log is empty."""
    head = db.session.execute(
        select(audit.AuditEvent.id, audit.AuditEvent.hash).order_by(audit.AuditEvent.id.desc()).limit(1)
    ).first()
    if head is None:
        return None
    seq, chain_hash = int(head[0]), str(head[1])
    at = utcnow().isoformat()
    mac = audit.sign(_message(seq, chain_hash, at))
    record = {"seq": seq, "hash": chain_hash, "at": at, "mac": mac}
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: every write lands at the end, whoever else is appending; the file is never rewritten.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(descriptor, (json.dumps(record, sort_keys=True) + "\n").encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    _last_written[str(path)] = time.monotonic()
    if email_dpo if email_dpo is not None else current_app.config.get("AUDIT_CHECKPOINT_EMAIL_DPO"):
        _email_dpos(seq, chain_hash, at, mac)
    return Checkpoint(seq, chain_hash, at, line=0)


def _email_dpos(seq: int, chain_hash: str, at: str, mac: str) -> None:
    from sar.auth.models import Role, User, UserRole

    dpos = db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == Role.DPO, User.active.is_(True)).order_by(User.id)
    ).all()
    for dpo in dpos:
        mail.queue(
            dpo.email,
            f"Audit log checkpoint: event {seq}",
            "This is the audit log's checkpoint, kept in your mailbox so that nobody with access to the "
            "database can quietly remove or rewrite the log's history.\n\n"
            f"Event number: {seq}\nChain hash: {chain_hash}\nTime (UTC): {at}\nSignature: {mac}\n\n"
            "Keep this message. `flask --app sar verify-audit` checks the log against checkpoints like this one.\n",
            dedup_key=f"audit-checkpoint:{seq}:{dpo.id}",
            kind="audit_checkpoint",
        )


def maybe_write_checkpoint() -> None:
    """Called after a request commits: write a checkpoint when this process has not written one
    for AUDIT_CHECKPOINT_MINUTES, so a running service anchors its log without any cron job.
    Never lets a problem here fail the request that triggered it."""
    minutes = float(current_app.config.get("AUDIT_CHECKPOINT_MINUTES") or 0)
    if minutes <= 0:
        return
    key = str(_path())
    last = _last_written.get(key)
    if last is not None and time.monotonic() - last < minutes * 60:
        return
    _last_written[key] = time.monotonic()  # at most one attempt per interval, even if it fails
    try:
        write_checkpoint(email_dpo=False)
    except Exception:  # a full disk must not turn every page into an error
        current_app.logger.exception("could not write the audit checkpoint")
    finally:
        db.session.rollback()  # only reads were made; release them


def read_checkpoints() -> tuple[list[Checkpoint], list[audit.ChainProblem]]:
    """Genuine checkpoints, and a problem for each line whose signature does not match."""
    path = _path()
    if not path.exists():
        return [], []
    found: list[Checkpoint] = []
    problems: list[audit.ChainProblem] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data: dict[str, Any] = json.loads(raw)
            seq, chain_hash, at, mac = int(data["seq"]), str(data["hash"]), str(data["at"]), str(data["mac"])
        except (ValueError, KeyError, TypeError):
            problems.append(audit.ChainProblem(0, f"checkpoint line {number} cannot be read"))
            continue
        if not hmac.compare_digest(mac, audit.sign(_message(seq, chain_hash, at))):
            problems.append(audit.ChainProblem(seq, f"checkpoint line {number} is not signed with the audit key"))
            continue
        found.append(Checkpoint(seq, chain_hash, at, number))
    return found, problems


def compare_with_checkpoints() -> list[audit.ChainProblem]:
    """Each genuine checkpoint's event must still be in the log with the hash it had then."""
    checkpoints, problems = read_checkpoints()
    if not checkpoints:
        return problems
    rows = db.session.execute(
        select(audit.AuditEvent.id, audit.AuditEvent.hash).where(
            audit.AuditEvent.id.in_({checkpoint.seq for checkpoint in checkpoints})
        )
    )
    hashes = {int(row[0]): str(row[1]) for row in rows}
    newest = max(checkpoints, key=lambda checkpoint: checkpoint.seq)
    last_id = db.session.scalar(select(audit.AuditEvent.id).order_by(audit.AuditEvent.id.desc()).limit(1)) or 0
    if last_id < newest.seq:
        problems.append(
            audit.ChainProblem(
                newest.seq,
                f"the log ends at event {last_id}, but a checkpoint written at {_when(newest.at)} recorded "
                f"event {newest.seq}: {newest.seq - last_id} events were removed from the end",
            )
        )
    for checkpoint in sorted(checkpoints, key=lambda c: c.seq):
        stored = hashes.get(checkpoint.seq)
        if stored is not None and stored != checkpoint.hash:
            problems.append(
                audit.ChainProblem(
                    checkpoint.seq,
                    f"differs from the checkpoint written at {_when(checkpoint.at)}: the log was rewritten since",
                )
            )
    return problems


def last_checkpoint() -> Checkpoint | None:
    checkpoints, _ = read_checkpoints()
    return max(checkpoints, key=lambda checkpoint: checkpoint.seq) if checkpoints else None


def _when(at: str) -> str:
    try:
        return datetime.fromisoformat(at).strftime("%H:%M:%S UTC on %-d %B %Y")
    except ValueError:
        return at
