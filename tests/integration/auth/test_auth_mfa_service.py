"""The MFA service and secret encryption, below the web layer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from sar.auth import mfa, secrets, service
from sar.auth.models import Role
from sar.extensions import db


def test_secret_encryption_round_trip_and_key_binding(app):
    token = secrets.encrypt("JBSWY3DPEHPK3PXP")
    assert "JBSWY3DPEHPK3PXP" not in token
    assert secrets.decrypt(token) == "JBSWY3DPEHPK3PXP"
    with pytest.raises(secrets.SecretUnreadable):
        secrets.decrypt(token, secret_key="a different secret key")
    with pytest.raises(secrets.SecretUnreadable):
        secrets.decrypt("garbage")


def test_rotating_secret_key_leaves_recovery_codes_until_an_admin_resets(app, make_user):
    user = make_user(Role.IG_OFFICER, mfa=False)
    admin = make_user(Role.ADMIN)
    secret = mfa.start_enrolment(user)
    codes = mfa.confirm_enrolment(user, pyotp.TOTP(secret).now())
    app.config["SECRET_KEY"] = "rotated-" + app.config["SECRET_KEY"]
    # Still enrolled: knowing the password alone must not allow setting up a new authenticator.
    assert mfa.is_enrolled(user) and mfa.secret_unreadable(user)
    with pytest.raises(mfa.MfaError):
        mfa.start_enrolment(user)
    user.mfa_last_timestep = None
    assert not mfa.verify_totp(user, pyotp.TOTP(secret).now())
    assert mfa.use_recovery_code(user, codes[0]) == 9
    service.reset_mfa(user, by=admin)
    assert not mfa.is_enrolled(user)
    assert mfa.start_enrolment(user) != secret


def test_totp_window_and_replay(app, make_user):
    user = make_user(Role.IG_OFFICER, mfa=False)
    secret = mfa.start_enrolment(user)
    assert mfa.start_enrolment(user) == secret  # reloading the page shows the same secret
    totp = pyotp.TOTP(secret)
    now = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
    mfa.confirm_enrolment(user, totp.at(now), at=now)
    assert not mfa.verify_totp(user, totp.at(now), at=now)  # replay of the enrolment code
    later = now + timedelta(seconds=30)
    assert mfa.verify_totp(user, totp.at(later), at=now)  # one step of clock drift is accepted
    assert not mfa.verify_totp(user, totp.at(now), at=later)  # an older step, after a newer one: refused
    far = now + timedelta(minutes=5)
    assert not mfa.verify_totp(user, totp.at(far), at=now + timedelta(seconds=60))  # outside the window
    assert mfa.verify_totp(user, totp.at(far), at=far)


def test_recovery_codes_single_use_and_counted(app, make_user):
    user = make_user(Role.IG_OFFICER, mfa=False)
    secret = mfa.start_enrolment(user)
    codes = mfa.confirm_enrolment(user, pyotp.TOTP(secret).now())
    db.session.commit()
    assert mfa.use_recovery_code(user, codes[3]) == 9
    assert mfa.use_recovery_code(user, codes[3]) is None
    assert mfa.use_recovery_code(user, "abcde-fghjk") is None
    assert mfa.use_recovery_code(user, "") is None
    assert len(mfa.unused_recovery_codes(user)) == 9


def test_qr_code_is_inline_svg_without_style_or_script(app):
    svg = str(mfa.qr_code_svg("otpauth://totp/Test:a@b.example?secret=JBSWY3DPEHPK3PXP&issuer=Test"))
    assert svg.startswith("<svg") and 'role="img"' in svg and "aria-label=" in svg
    assert "style" not in svg and "script" not in svg and "href" not in svg


def test_provisioning_uri_names_the_issuer(app, make_user):
    user = make_user(Role.IG_OFFICER, mfa=False)
    uri = mfa.provisioning_uri(user, pyotp.random_base32())
    assert uri.startswith("otpauth://totp/") and "issuer=Test%20Borough%20Council" in uri


def test_grouped_secret():
    assert mfa.grouped_secret("ABCDEFGHIJ") == "ABCD EFGH IJ"
