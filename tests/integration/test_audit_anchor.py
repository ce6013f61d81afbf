"""The audit chain anchored outside the database: every event sealed with a key from configuration,
signed checkpoints of the head in an append-only file, and verify-audit reporting edits, re-chained
edits and a truncated tail."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from sar import audit, audit_anchor
from sar.audit import AuditEvent, SystemActor
from sar.auth.models import Role
from sar.extensions import db
from sar.mail import OutboxMessage

SYSTEM = SystemActor("system")


def add_events(count: int) -> list[int]:
    ids = [audit.record("case_viewed", object_type="case", summary=f"view {n}", by=SYSTEM).id for n in range(count)]
    db.session.commit()
    return ids


def run_verify(app: Flask) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["verify-audit"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def rechain_from(event_id: int, summary: str) -> None:
    """What someone with write access to the database file can do: edit a row and recompute the
    hash of it and of every later row, so the chain links up again (the triggers dropped first)."""
    db.session.commit()
    with db.engine.begin() as connection:
        rows = connection.execute(sa.text("SELECT id FROM audit_events WHERE id >= :id ORDER BY id"), {"id": event_id})
        ids = [row[0] for row in rows]
    prev = db.session.get(AuditEvent, event_id - 1).hash if event_id > 1 else audit.GENESIS_HASH
    db.session.expunge_all()
    for current in ids:
        event = db.session.get(AuditEvent, current)
        payload = event.payload() | {"prev_hash": prev}
        if current == event_id:
            payload["summary"] = summary
        new_hash = audit._digest(payload)
        db.session.expunge(event)
        with db.engine.begin() as connection:
            connection.execute(
                sa.text("UPDATE audit_events SET summary = :s, prev_hash = :p, hash = :h WHERE id = :id"),
                {"s": payload["summary"], "p": prev, "h": new_hash, "id": current},
            )
        prev = new_hash


def test_every_event_is_sealed_with_the_configured_key(app: Flask) -> None:
    ids = add_events(3)
    events = [db.session.get(AuditEvent, i) for i in ids]

    assert all(event.seal and audit.seal_matches(event) for event in events)
    app.config["AUDIT_HMAC_KEY"] = "another-key-" + "x" * 40
    assert not any(audit.seal_matches(event) for event in events)


def test_an_edit_with_every_later_hash_recomputed_is_reported(app: Flask) -> None:
    ids = add_events(6)
    rechain_from(ids[2], "nothing to see here")

    code, output = run_verify(app)

    assert code == 1
    assert f"BROKEN at event {ids[2]}" in output
    assert "seal does not match" in output and "hashes recomputed" in output


def test_deleting_the_newest_rows_is_reported_against_the_last_checkpoint(app: Flask) -> None:
    ids = add_events(25)
    checkpoint = audit_anchor.write_checkpoint()
    assert checkpoint is not None and checkpoint.seq == ids[-1]
    with db.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM audit_events WHERE id > :id"), {"id": ids[4]})

    code, output = run_verify(app)

    assert code == 1
    assert f"the log ends at event {ids[4]}" in output and "20 events were removed from the end" in output


def test_a_rewrite_since_a_checkpoint_is_reported_even_if_the_tail_was_regrown(app: Flask) -> None:
    ids = add_events(5)
    audit_anchor.write_checkpoint()
    with db.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM audit_events WHERE id >= :id"), {"id": ids[3]})
    add_events(4)  # new, properly sealed events take the deleted ids

    code, output = run_verify(app)

    assert code == 1
    assert f"event {ids[-1]}" in output and "differs from the checkpoint" in output


def test_checkpoints_are_appended_signed_lines_and_a_forged_one_is_reported(app: Flask) -> None:
    add_events(2)
    audit_anchor.write_checkpoint()
    add_events(1)
    audit_anchor.write_checkpoint()
    path = Path(app.config["AUDIT_CHECKPOINT_PATH"])
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [line["seq"] for line in lines] == [2, 3]
    assert (path.stat().st_mode & 0o777) == 0o600

    with path.open("a") as handle:  # someone without the key adds a checkpoint claiming less history
        handle.write(json.dumps({"seq": 1, "hash": "0" * 64, "at": "2026-01-01T00:00:00", "mac": "f" * 64}) + "\n")
    code, output = run_verify(app)

    assert code == 1 and "checkpoint line 3 is not signed with the audit key" in output


def test_intact_log_reports_the_last_checkpoint(app: Flask) -> None:
    add_events(3)
    result = app.test_cli_runner().invoke(args=["audit-checkpoint"])
    assert result.exit_code == 0 and "Checkpoint written: event 3" in result.output

    code, output = run_verify(app)

    assert code == 0
    assert "Audit trail intact: 3 events checked. Last checkpoint: event 3" in output


def test_a_running_service_writes_checkpoints_on_its_own(app: Flask, client_as) -> None:
    app.config["AUDIT_CHECKPOINT_MINUTES"] = 15
    audit_anchor._last_written.clear()
    reader = client_as(Role.AUDITOR)
    reader.get("/audit/")

    checkpoint = audit_anchor.last_checkpoint()

    assert checkpoint is not None and checkpoint.seq >= 1


def test_checkpoints_can_be_emailed_to_the_dpo(app: Flask, make_user) -> None:
    dpo = make_user(Role.DPO)
    add_events(2)

    result = app.test_cli_runner().invoke(args=["audit-checkpoint", "--email-dpo"])

    assert result.exit_code == 0
    message = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "audit_checkpoint")).one()
    assert message.to_address == dpo.email and "Chain hash" in message.body
