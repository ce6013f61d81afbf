"""Administrators manage staff accounts; every change is audited with before and after."""

from __future__ import annotations

from auth_helpers import TEST_PASSWORD, password_step
from sqlalchemy import func, select
from support import (
    error_links,
    error_messages,
    field_error,
    get_page,
    heading,
    page,
    post_page,
    summary_rows,
    table_headers,
    table_rows,
    text_of,
)

from sar.audit import AuditEvent
from sar.auth import grants
from sar.auth.models import Role, User
from sar.extensions import db


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User)) or 0


def new_user_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "email": "Jo.Bloggs@Council.example",
        "full_name": "Jo Bloggs",
        "job_title": "Senior social worker",
        "team": "",
        "roles": ["record_holder"],
        "password": "a temporary passphrase 42",
    }
    data.update(overrides)
    return data


ADMIN_PAGES = ["/admin/users", "/admin/users/new", "/admin/teams", "/admin/teams/new"]


def test_admin_pages_refuse_other_roles_and_send_anonymous_users_to_sign_in(app, client, client_as):
    for role in (Role.DPO, Role.IG_OFFICER, Role.RECORD_HOLDER, Role.AUDITOR):
        staff = client_as(role)
        for path in ADMIN_PAGES:
            assert staff.get(path).status_code == 403, (role, path)
        assert staff.post("/admin/users/new", data=new_user_data()).status_code == 403
    for path in ADMIN_PAGES:
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert user_count() == 4


def test_admin_lists_users_with_roles_team_and_status(app, client_as, make_user, make_team):
    team = make_team("Early Help")
    make_user(Role.RECORD_HOLDER, team=team, full_name="Rita Holder", mfa=False)
    html = get_page(client_as(Role.ADMIN), "/admin/users")
    assert table_headers(html) == ["Name", "Roles", "Team", "Authenticator", "Status"]
    [rita] = [row for row in table_rows(html) if row[0].startswith("Rita Holder")]
    assert rita[1:] == ["Record holder", "Early Help", "Not set up", "Active"]


def test_create_user_with_team_and_roles_is_audited(app, client_as, make_team):
    team = make_team("Fostering and Adoption")
    admin = client_as(Role.ADMIN)
    form = get_page(admin, "/admin/users/new")
    assert "Fostering and Adoption" in [text_of(option) for option in form.select("select[name=team] option")]
    assert form.select("input[type=checkbox][name=roles]")
    response = admin.post("/admin/users/new", data=new_user_data(team=str(team.id), roles=["record_holder", "auditor"]))
    assert response.status_code == 302
    user = db.session.scalars(select(User).where(User.email == "jo.bloggs@council.example")).one()
    assert user.team_id == team.id and user.roles == {Role.RECORD_HOLDER}  # auditor waits for approval
    assert [r.role for r in grants.pending_for(user)] == [Role.AUDITOR]
    assert not user.mfa_enrolled
    created = events("user_created")[-1]
    assert created.after["roles"] == ["auditor", "record_holder"]
    assert created.after["team_id"] == team.id
    assert created.actor_label != "system"
    # The temporary password alone does not let anyone set up the authenticator ...
    fresh = app.test_client()
    step = password_step(fresh, "jo.bloggs@council.example", password="a temporary passphrase 42")
    assert "authenticator app is not set up yet" in " ".join(error_messages(page(step)))
    # ... the one-time link emailed to the new account's address does, with the password.
    via_link = fresh.post(
        emailed_link_path("jo.bloggs@council.example"),
        data={"email": "jo.bloggs@council.example", "password": "a temporary passphrase 42"},
    )
    assert via_link.headers["Location"].endswith("/sign-in/set-up-authenticator")


def test_create_user_double_submit_makes_one_account(app, client_as):
    admin = client_as(Role.ADMIN)
    before = user_count()
    assert admin.post("/admin/users/new", data=new_user_data()).status_code == 302
    again = admin.post("/admin/users/new", data=new_user_data())
    html = page(again, 422)
    assert error_links(html) == {"An account already exists for jo.bloggs@council.example": "#email"}
    assert field_error(html, "email") == "An account already exists for jo.bloggs@council.example"
    assert user_count() == before + 1
    assert len(events("user_created")) == before + 1


def test_create_user_bad_input_is_refused_and_nothing_saved(app, client_as):
    admin = client_as(Role.ADMIN)
    before = user_count()
    cases = {
        "Email address must be 254 characters or fewer": new_user_data(email="a" * 250 + "@council.example"),
        "Full name must be 200 characters or fewer": new_user_data(full_name="N" * 201),
        "Job title must be 200 characters or fewer": new_user_data(job_title="J" * 201),
        "Enter an email address in the correct format, like name@example.gov.uk": new_user_data(email="not an email"),
        "Enter the person's full name": new_user_data(full_name=""),
        "Select at least one role": new_user_data(roles=[]),
        "Password must be 12 characters or more": new_user_data(password="short"),
        "Not a valid choice.": new_user_data(team="99999"),
    }
    for message, data in cases.items():
        assert error_messages(post_page(admin, "/admin/users/new", data, status=422)) == [message]
    assert user_count() == before


def test_edit_roles_team_and_job_title_audits_before_and_after(app, client_as, make_user, make_team):
    team = make_team("Corporate Parenting")
    user = make_user(Role.RECORD_HOLDER, full_name="Sam Case")
    admin = client_as(Role.ADMIN)
    form = get_page(admin, f"/admin/users/{user.id}/edit")
    assert form.find("input", {"name": "full_name"})["value"] == "Sam Case"
    response = admin.post(
        f"/admin/users/{user.id}/edit",
        data={"full_name": "Sam Case", "job_title": "IRO", "team": str(team.id), "roles": ["ig_officer", "dpo"]},
    )
    assert response.status_code == 302
    db.session.expire_all()
    changed = db.session.get(User, user.id)
    # Removing a role is immediate; the two case-data roles wait for a second person (separation of duties).
    assert changed.roles == frozenset() and changed.team_id == team.id and changed.job_title == "IRO"
    assert sorted(r.role for r in grants.pending_for(changed)) == [Role.DPO, Role.IG_OFFICER]
    roles_event = events("roles_changed")[-1]
    assert roles_event.before == {"roles": ["record_holder"]}
    assert roles_event.after == {"roles": []}
    assert roles_event.actor_label != "system"
    details = events("user_updated")[-1]
    assert details.before["team_id"] is None and details.after["team_id"] == team.id
    assert details.before["job_title"] == "" and details.after["job_title"] == "IRO"


def test_cannot_remove_the_last_active_administrator(app, client_as, make_user):
    admin_user = make_user(Role.ADMIN)
    admin = client_as(user=admin_user)
    # Removing one's own admin role is refused.
    response = admin.post(
        f"/admin/users/{admin_user.id}/edit",
        data={"full_name": "Test Officer", "job_title": "", "team": "", "roles": ["dpo"]},
    )
    assert error_messages(page(response, 422)) == ["You cannot remove your own administrator role"]

    # With a second administrator, the first can be demoted by the second ...
    other_user = make_user(Role.ADMIN)
    other = client_as(user=other_user)
    assert (
        other.post(
            f"/admin/users/{admin_user.id}/edit",
            data={"full_name": "Test Officer", "job_title": "", "team": "", "roles": ["dpo"]},
        ).status_code
        == 302
    )
    # ... but the remaining administrator cannot be deactivated (nor deactivate themselves).
    refused = other.post(f"/admin/users/{other_user.id}/deactivate")
    assert "You cannot deactivate your own account" in error_messages(page(refused, 422))
    db.session.expire_all()
    assert db.session.get(User, other_user.id).active
    demoted = db.session.get(User, admin_user.id)
    assert demoted.roles == frozenset() and [r.role for r in grants.pending_for(demoted)] == [Role.DPO]


def test_last_active_admin_rule_in_the_service(app, make_user):
    from sar.auth import service

    only_admin = make_user(Role.ADMIN)
    helper = make_user(Role.ADMIN)
    service.set_active(helper, False, by=only_admin)
    db.session.commit()
    # helper is deactivated: only_admin is the last active administrator.
    third = make_user(Role.IG_OFFICER)
    try:
        service.set_roles(only_admin, {Role.DPO}, by=third)
    except service.AccountError as problem:
        assert "at least one active administrator" in str(problem)
    else:
        raise AssertionError("removing the last active administrator must be refused")
    try:
        service.set_active(only_admin, False, by=third)
    except service.AccountError as problem:
        assert "at least one active administrator" in str(problem)
    else:
        raise AssertionError("deactivating the last active administrator must be refused")
    # Taking admin away from an already-deactivated administrator is fine.
    service.set_roles(helper, {Role.DPO}, by=only_admin)


def test_deactivate_and_reactivate_are_audited(app, client_as, make_user):
    user = make_user(Role.IG_OFFICER)
    admin = client_as(Role.ADMIN)
    assert admin.post(f"/admin/users/{user.id}/deactivate").status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, user.id).active
    assert events("user_deactivated")[-1].before == {"active": True}
    assert "Enter a correct email address and password" in password_step(app.test_client(), user.email).get_data(
        as_text=True
    )
    assert admin.post(f"/admin/users/{user.id}/reactivate").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).active
    assert events("user_reactivated")[-1].after == {"active": True}


def test_deactivated_user_loses_an_existing_session(app, client_as, make_user):
    user = make_user(Role.IG_OFFICER)
    their_browser = client_as(user=user)
    assert their_browser.get("/").status_code == 200
    client_as(Role.ADMIN).post(f"/admin/users/{user.id}/deactivate")
    assert their_browser.get("/").status_code == 302


def test_reset_mfa_makes_the_user_enrol_again(app, enrolled, client_as):
    user, _, _ = enrolled()
    admin = client_as(Role.ADMIN)
    html = get_page(admin, f"/admin/users/{user.id}")
    assert summary_rows(html)["Authenticator app"] == "Set up, 10 recovery codes left"
    assert html.find("button", string="Reset authenticator app") is not None
    assert admin.post(f"/admin/users/{user.id}/reset-mfa").status_code == 302
    db.session.expire_all()
    reset_user = db.session.get(User, user.id)
    assert not reset_user.mfa_enrolled and reset_user.mfa_secret_encrypted is None
    assert reset_user.recovery_codes == []
    event = events("mfa_reset")[-1]
    assert event.before == {"mfa_enrolled": True, "recovery_codes_unused": 10}
    # The browser the user enrolled in is signed out by the reset.
    assert event.after == {"mfa_enrolled": False, "recovery_codes_unused": 0, "sessions_ended": 1}
    fresh = app.test_client()
    assert "not set up yet" in " ".join(error_messages(page(password_step(fresh, user.email))))
    step = fresh.post(emailed_link_path(user.email), data={"email": user.email, "password": TEST_PASSWORD})
    assert step.headers["Location"].endswith("/sign-in/set-up-authenticator")


def emailed_link_path(address: str) -> str:
    """The path of the newest set-up link in the outbox for ``address``."""
    import re

    from sar.mail import OutboxMessage

    message = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.to_address == address, OutboxMessage.kind == "enrolment_link")
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None, "no set-up link was emailed"
    found = re.search(r"https?://[^/\s]+(/sign-in/enrol/\S+)", message.body)
    assert found
    return found.group(1)


def test_unknown_user_is_404(client_as):
    admin = client_as(Role.ADMIN)
    assert admin.get("/admin/users/999999").status_code == 404
    assert admin.post("/admin/users/999999/unlock").status_code == 404


def test_own_account_page_and_password_change(app, client_as, make_user, make_team):
    user = make_user(Role.RECORD_HOLDER, Role.AUDITOR, team=make_team("MASH"), full_name="Pat Own")
    client = client_as(user=user)
    account = get_page(client, "/account")
    assert heading(account) == "Your account"
    rows = summary_rows(account)
    assert (rows["Name"], rows["Team"], rows["Roles"]) == ("Pat Own", "MASH", "Auditor, Record holder")
    navigation = get_page(client, "/").select("header a, nav a")
    assert "Your account" in [text_of(link) for link in navigation]

    wrong = client.post(
        "/account/password",
        data={
            "current_password": "not my password",
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
        },
    )
    # Status 200: the failure is counted and audited like a failed sign-in (so it must be committed).
    assert field_error(page(wrong, 200), "current_password") == "Your current password is incorrect"
    weak = client.post(
        "/account/password",
        data={"current_password": TEST_PASSWORD, "new_password": "short", "confirm_password": "short"},
    )
    assert field_error(page(weak, 422), "new_password") == "Password must be 12 characters or more"
    mismatch = client.post(
        "/account/password",
        data={"current_password": TEST_PASSWORD, "new_password": "a brand new passphrase", "confirm_password": "other"},
    )
    assert error_messages(page(mismatch, 422)) == ["The passwords you entered do not match"]
    assert events("password_changed") == []

    ok = client.post(
        "/account/password",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
        },
    )
    assert ok.status_code == 302
    assert len(events("password_changed")) == 1
    assert "hash" not in str(events("password_changed")[0].after)
    assert password_step(app.test_client(), user.email, password="a brand new passphrase").status_code == 302


def test_simultaneous_create_for_the_same_email_is_a_clear_error(app, make_user, monkeypatch):
    """Two requests that both pass the "already exists?" check: the unique index decides, cleanly."""
    from sar.auth import service

    admin = make_user(Role.ADMIN)
    service.create_user(
        email="race@council.example", full_name="First", password=TEST_PASSWORD, roles={Role.DPO}, by=admin
    )
    monkeypatch.setattr(service, "find_user_by_email", lambda email: None)
    try:
        service.create_user(
            email="race@council.example", full_name="Second", password=TEST_PASSWORD, roles={Role.DPO}, by=admin
        )
    except service.AccountError as problem:
        assert "already exists" in str(problem)
    else:
        raise AssertionError("the duplicate must be refused")
    db.session.commit()  # the transaction is still usable: the first account is kept
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email == "race@council.example")) == 1


def test_admin_sets_a_temporary_password(app, client_as, make_user):
    user = make_user(Role.IG_OFFICER)
    admin = client_as(Role.ADMIN)
    links = [text_of(link) for link in get_page(admin, f"/admin/users/{user.id}").select("main a")]
    assert f"Set a new temporary password for {user.full_name}" in links
    short = admin.post(f"/admin/users/{user.id}/password", data={"password": "short"})
    assert error_messages(page(short, 422)) == ["Password must be 12 characters or more"]
    assert events("password_reset") == []
    ok = admin.post(f"/admin/users/{user.id}/password", data={"password": "a fresh temporary phrase"})
    assert ok.status_code == 302
    event = events("password_reset")[-1]
    assert "hash" not in str(event.after) and event.actor_label != "system"
    assert password_step(app.test_client(), user.email, password="a fresh temporary phrase").status_code == 302
    assert client_as(Role.DPO).get(f"/admin/users/{user.id}/password").status_code == 403


def test_a_temporary_password_must_be_replaced_before_anything_else(app, client_as, make_user):
    user = make_user(Role.IG_OFFICER)
    admin = client_as(Role.ADMIN)
    admin.post(f"/admin/users/{user.id}/password", data={"password": "a fresh temporary phrase"})
    officer = client_as(user=db.session.get(User, user.id))

    blocked = officer.get("/cases/")
    assert blocked.status_code == 302 and blocked.headers["Location"].endswith("/account/password")
    assert "Choose a new password to continue" in text_of(get_page(officer, "/account/password").select_one("main"))

    changed = officer.post(
        "/account/password",
        data={
            "current_password": "a fresh temporary phrase",
            "new_password": "my own new passphrase 7",
            "confirm_password": "my own new passphrase 7",
        },
    )
    assert changed.status_code == 302
    assert officer.get("/").status_code == 200


def test_accounts_an_administrator_creates_start_with_a_temporary_password(app, client_as):
    admin = client_as(Role.ADMIN)
    assert admin.post("/admin/users/new", data=new_user_data()).status_code == 302
    created = db.session.scalar(select(User).where(User.email == "jo.bloggs@council.example"))
    assert created is not None and created.must_change_password
