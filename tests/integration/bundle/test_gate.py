"""The release gate: it passes good bundles, blocks bad ones with the page and what leaked, and nothing gets a bundle
out without it: not the web, not the command line, not a job, not a file swapped or a verdict edited after the gate."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from sar.audit import SystemActor
from sar.auth.models import Role
from sar.bundle import builder, queries, service
from sar.bundle.models import Bundle, BundleStatus
from sar.bundle.release import BundleRefused, password_matches, release_bundle, seal_intact
from sar.extensions import db
from sar.jobs import run_worker
from sar.storage import get_store
from tests.integration.bundle.conftest import SignedOff, built_bytes, page_texts


@pytest.fixture
def broken_redactor(monkeypatch: pytest.MonkeyPatch, app: Flask) -> None:
    """A redactor that forgets to redact: copies the working PDF as it is (in this process, so the patch holds)."""
    monkeypatch.setitem(app.config, "BUNDLE_WORKERS", 1)

    def copy(document: object, source: Path, dest: Path) -> None:
        shutil.copyfile(source, dest)

    monkeypatch.setattr(builder, "redact_document", copy)


def _audit_actions(case_id: int) -> list[str]:
    from sar.audit import AuditEvent

    return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.case_id == case_id)))


def test_a_good_bundle_passes_and_is_released_encrypted_with_a_password_shown_once(signed_off: SignedOff) -> None:
    [bundle] = service.build_bundle(signed_off.case, by=signed_off.dpo)
    db.session.commit()
    assert seal_intact(bundle)
    released = release_bundle(bundle, by=signed_off.dpo)
    db.session.commit()
    assert bundle.is_released and bundle.status is BundleStatus.RELEASED
    assert bundle.released_by_label and bundle.password_hash and released.password not in bundle.password_hash
    assert password_matches(bundle, released.password) and not password_matches(bundle, "guess")
    content = b"".join(queries.stream_released(bundle, by=signed_off.dpo))
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert reader.is_encrypted and reader._encryption is not None and reader._encryption.V == 5  # AES-256
    assert reader.decrypt(released.password)
    assert len(reader.pages) == bundle.page_count
    assert not reader.metadata  # scrubbed
    assert page_texts(content, password=released.password)[0].startswith("Test Borough Council")
    actions = _audit_actions(signed_off.case.id)
    for action in (
        "bundle.build_started",
        "bundle.built",
        "bundle.gate_checked",
        "bundle.released",
        "bundle.file_read",
    ):
        assert action in actions
    # The released bundle is what lets the case be closed as disclosed.
    from sar.bundle.facts import bundle_facts

    facts = bundle_facts(signed_off.case)
    assert facts.built and facts.verified and facts.released
    from sar.cases.models import Outcome
    from sar.cases.status import facts_for
    from sar.cases.workflow import unmet

    assert unmet(Outcome.FULL, facts_for(signed_off.case)) == []


def test_a_bundle_with_a_leak_fails_the_gate_naming_the_page_and_the_text(
    signed_off: SignedOff, broken_redactor: None
) -> None:
    [bundle] = service.build_bundle(signed_off.case, by=signed_off.dpo)
    db.session.commit()
    assert bundle.status is BundleStatus.GATE_FAILED and bundle.gate_passed is False
    letter = next(e for e in bundle.entries if e.document_id == signed_off.reviewed.letter.id)
    assert f'page {letter.first_page}: "Gary Pollard" can be read' in bundle.gate_report
    with pytest.raises(BundleRefused, match="failed the release check"):
        release_bundle(bundle, by=signed_off.dpo)
    db.session.commit()
    assert not bundle.is_released and bundle.file_key is None
    assert "bundle.release_refused" in _audit_actions(signed_off.case.id)
    from sar.cases.models import Outcome
    from sar.cases.status import facts_for
    from sar.cases.workflow import unmet

    assert unmet(Outcome.FULL, facts_for(signed_off.case))  # no disclosed outcome without a released bundle
    with pytest.raises(queries.NotReleased):
        queries.stream_released(bundle, by=signed_off.dpo)


def test_editing_the_verdict_in_the_database_does_not_open_the_gate(
    signed_off: SignedOff, broken_redactor: None
) -> None:
    [bundle] = service.build_bundle(signed_off.case, by=signed_off.dpo)
    db.session.commit()
    bundle.gate_passed, bundle.status, bundle.gate_report = True, BundleStatus.BUILT, "Clean"
    db.session.commit()
    with pytest.raises(BundleRefused, match="does not match"):
        release_bundle(bundle, by=signed_off.dpo)
    assert not bundle.is_released


def test_a_file_swapped_after_the_gate_is_refused(signed_off: SignedOff) -> None:
    [bundle] = service.build_bundle(signed_off.case, by=signed_off.dpo)
    db.session.commit()
    assert seal_intact(bundle)
    # Someone with database access points the bundle at another file (here: the unredacted letter) ...
    other = get_store().put(get_store().open(str(signed_off.reviewed.letter.working_key)))
    bundle.built_key = other.key
    db.session.commit()
    with pytest.raises(BundleRefused, match="does not match"):
        release_bundle(bundle, by=signed_off.dpo)
    # ... and also rewrites the hash the gate read: the seal (keyed outside the database) no longer holds.
    bundle.gate_sha256 = other.key
    db.session.commit()
    assert not seal_intact(bundle)
    with pytest.raises(BundleRefused, match="does not match"):
        release_bundle(bundle, by=signed_off.dpo)
    assert not bundle.is_released and bundle.file_key is None


def test_a_stored_file_changed_on_disk_is_refused(signed_off: SignedOff) -> None:
    [bundle] = service.build_bundle(signed_off.case, by=signed_off.dpo)
    db.session.commit()
    path = get_store().path_for(str(bundle.built_key))  # type: ignore[attr-defined]
    data = bytearray(path.read_bytes())
    data[-40] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(BundleRefused):
        release_bundle(bundle, by=signed_off.dpo)
    assert not bundle.is_released


def test_no_route_releases_a_failed_bundle_web_command_line_or_job(
    signed_off: SignedOff,
    broken_redactor: None,
    client_as: Callable[..., FlaskClient],
    app: Flask,
    tmp_path: Path,
) -> None:
    # The job builds it (the same service), and the gate fails it.
    placeholder = service.start_build(signed_off.case, by=signed_off.dpo)
    db.session.commit()
    with app.app_context():
        run_worker(once=True)
    db.session.expire_all()
    bundle = db.session.get_one(Bundle, placeholder.id)
    assert bundle.status is BundleStatus.GATE_FAILED
    # The web: the page shows the release button disabled; posting anyway is refused.
    client = client_as(user=signed_off.dpo)
    page = client.get(f"/cases/{signed_off.case.id}/bundle")
    assert page.status_code == 200 and "failed the release check" in page.text and "disabled" in page.text
    posted = client.post(
        f"/cases/{signed_off.case.id}/bundle/{bundle.id}/release", data={"csrf_token": _csrf(page.text)}
    )
    assert posted.status_code == 422 and "failed the release check" in posted.text
    # The command line builds again (same redactor) and refuses, printing what leaked.
    out, password = tmp_path / "out.pdf", tmp_path / "pw.txt"
    result = app.test_cli_runner().invoke(
        args=["bundle", "build", signed_off.case.reference, "--out", str(out), "--password-file", str(password)]
    )
    assert result.exit_code != 0 and "Gary Pollard" in result.output and not out.exists() and not password.exists()
    db.session.expire_all()
    assert not any(b.is_released for b in db.session.scalars(select(Bundle)))
    # And the only code that sets a bundle released is release_bundle, behind the gate.
    root = Path(__file__).resolve().parents[3] / "sar"
    writers = [p.name for p in root.rglob("*.py") if "status = BundleStatus.RELEASED" in p.read_text()]
    assert writers == ["release.py"]


def _csrf(html: str) -> str:
    import re

    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    return match.group(1) if match else ""


def test_the_command_line_releases_a_good_bundle(signed_off: SignedOff, app: Flask, tmp_path: Path) -> None:
    out, password = tmp_path / "out.pdf", tmp_path / "pw.txt"
    result = app.test_cli_runner().invoke(
        args=["bundle", "build", signed_off.case.reference, "--out", str(out), "--password-file", str(password)]
    )
    assert result.exit_code == 0, result.output
    secret = password.read_text().strip()
    reader = pypdf.PdfReader(str(out))
    assert reader.is_encrypted and reader.decrypt(secret)
    db.session.expire_all()
    [bundle] = db.session.scalars(select(Bundle).where(Bundle.case_id == signed_off.case.id))
    assert bundle.is_released and bundle.released_by_label == "command line"


def test_the_command_line_refuses_a_case_that_is_not_signed_off(
    make_case: Callable[..., object], app: Flask, tmp_path: Path
) -> None:
    case = make_case()
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=[
            "bundle",
            "build",
            case.reference,
            "--out",
            str(tmp_path / "o.pdf"),  # type: ignore[attr-defined]
            "--password-file",
            str(tmp_path / "p.txt"),
        ]
    )
    assert result.exit_code != 0 and "not been signed off" in result.output


def test_a_system_actor_can_build_and_release_for_the_demo(signed_off: SignedOff) -> None:
    actor = SystemActor("demo seed")
    parts = service.build_bundle(signed_off.case, by=actor)
    released = [release_bundle(part, by=actor) for part in parts]
    db.session.commit()
    assert all(r.bundle.is_released and r.password for r in released)


def test_an_auditor_reads_the_page_but_cannot_build_or_release(
    signed_off: SignedOff, client_as: Callable[..., FlaskClient]
) -> None:
    [bundle] = service.build_bundle(signed_off.case, by=signed_off.dpo)
    db.session.commit()
    auditor = client_as(Role.AUDITOR)
    page = auditor.get(f"/cases/{signed_off.case.id}/bundle")
    assert page.status_code == 200 and "Release check" in page.text and "Build the bundle" not in page.text
    assert auditor.post(f"/cases/{signed_off.case.id}/bundle/{bundle.id}/release").status_code in (403, 400)
    assert auditor.post(f"/cases/{signed_off.case.id}/bundle/build").status_code in (403, 400)
    assert client_as(Role.RECORD_HOLDER).get(f"/cases/{signed_off.case.id}/bundle").status_code == 403
    schedule = auditor.get(f"/cases/{signed_off.case.id}/bundle/schedule.pdf")
    assert schedule.status_code == 200
    text = " ".join(page_texts(schedule.data))
    assert "Gary Pollard" in text and "TP" in text and "rita@council" in text and "Page withheld" in text
    assert "Gary Pollard" not in " ".join(page_texts(built_bytes(bundle)))
