"""No one grants a role to themselves; the DPO, IG officer and auditor roles need a second person
(the DPO or another administrator); every grant is audited and shown to the DPO."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from support import error_messages, get_page, heading, page, table_rows

from sar.audit import AuditEvent
from sar.auth.models import GrantStatus, Role, RoleGrant, User
from sar.extensions import db


def roles_of(user: User) -> set[Role]:
    db.session.expire_all()
    return set(db.session.get(User, user.id).roles)


def edit_roles(client, user: User, *roles: Role):
    return client.post(
        f"/admin/users/{user.id}/edit",
        data={"full_name": user.full_name, "job_title": "", "team": "", "roles": [role.value for role in roles]},
    )


@pytest.mark.parametrize("role", [Role.DPO, Role.AUDITOR, Role.IG_OFFICER, Role.RECORD_HOLDER])
def test_an_administrator_cannot_give_herself_any_role(client_as, make_user, role):
    admin = make_user(Role.ADMIN)
    client = client_as(user=admin)

    response = edit_roles(client, admin, Role.ADMIN, role)

    assert any("You cannot give yourself a role" in message for message in error_messages(page(response, 422)))
    assert roles_of(admin) == {Role.ADMIN}
    assert client.get("/cases").status_code == 403  # and so sees no child's case


def test_granting_a_case_data_role_waits_for_a_second_person(client_as, make_user):
    first_admin = make_user(Role.ADMIN)
    second_admin = make_user(Role.ADMIN)
    colleague = make_user(Role.RECORD_HOLDER)
    asking = client_as(user=first_admin)

    assert edit_roles(asking, colleague, Role.RECORD_HOLDER, Role.AUDITOR).status_code == 302
    assert roles_of(colleague) == {Role.RECORD_HOLDER}  # not yet
    request = db.session.scalars(select(RoleGrant).where(RoleGrant.status == GrantStatus.PENDING)).one()

    own = asking.post(f"/admin/role-requests/{request.id}/approve")
    assert own.status_code == 303  # the one who asked cannot approve
    assert roles_of(colleague) == {Role.RECORD_HOLDER}

    approving = client_as(user=second_admin)
    assert approving.post(f"/admin/role-requests/{request.id}/approve").status_code == 302
    assert roles_of(colleague) == {Role.RECORD_HOLDER, Role.AUDITOR}
    granted = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "role_granted")).all()
    assert granted[-1].actor_id == second_admin.id and granted[-1].after["requested_by"] == first_admin.email


def test_the_dpo_approves_or_refuses_and_sees_every_grant(client_as, make_user):
    admin = make_user(Role.ADMIN)
    dpo = make_user(Role.DPO, full_name="Dana DPO")
    officer = make_user(Role.RECORD_HOLDER, full_name="Omar Officer")
    other = make_user(Role.RECORD_HOLDER, full_name="Olive Other")
    asking = client_as(user=admin)
    edit_roles(asking, officer, Role.RECORD_HOLDER, Role.IG_OFFICER)
    edit_roles(asking, other, Role.RECORD_HOLDER, Role.DPO)
    dpo_client = client_as(user=dpo)
    approvals = get_page(dpo_client, "/admin/role-requests")
    assert heading(approvals) == "Role approvals"
    waiting = [row[0] for row in table_rows(approvals, "[aria-label='Role requests waiting for approval'] table")]
    assert any(person.startswith("Omar Officer") for person in waiting)
    assert any(person.startswith("Olive Other") for person in waiting)
    requests = {
        r.user_id: r for r in db.session.scalars(select(RoleGrant).where(RoleGrant.status == GrantStatus.PENDING))
    }

    assert dpo_client.post(f"/admin/role-requests/{requests[officer.id].id}/approve").status_code == 302
    assert dpo_client.post(f"/admin/role-requests/{requests[other.id].id}/refuse").status_code == 302

    assert Role.IG_OFFICER in roles_of(officer)
    assert Role.DPO not in roles_of(other)
    decided = table_rows(get_page(dpo_client, "/admin/role-requests"), "[aria-label^='Roles granted'] table")
    outcomes = " ".join(" ".join(row) for row in decided)
    assert "Approved" in outcomes and "Refused" in outcomes and "Dana DPO" in outcomes
    assert "role_grant_refused" in [e.action for e in db.session.scalars(select(AuditEvent))]


def test_nobody_approves_a_role_for_themselves(client_as, make_user):
    admin = make_user(Role.ADMIN)
    other_admin = make_user(Role.ADMIN)
    edit_roles(client_as(user=admin), other_admin, Role.ADMIN, Role.DPO)
    request = db.session.scalars(select(RoleGrant).where(RoleGrant.status == GrantStatus.PENDING)).one()

    response = client_as(user=other_admin).post(f"/admin/role-requests/{request.id}/approve")

    assert response.status_code == 303
    assert Role.DPO not in roles_of(other_admin)


def test_a_new_account_with_a_case_data_role_waits_for_approval(client_as, make_user):
    admin = make_user(Role.ADMIN)
    client = client_as(user=admin)

    response = client.post(
        "/admin/users/new",
        data={
            "email": "new.auditor@council.example",
            "full_name": "New Auditor",
            "job_title": "",
            "team": "",
            "roles": ["auditor"],
            "password": "a temporary passphrase 42",
        },
    )

    assert response.status_code == 302
    user = db.session.scalars(select(User).where(User.email == "new.auditor@council.example")).one()
    assert user.roles == frozenset()
    assert [r.role for r in db.session.scalars(select(RoleGrant).where(RoleGrant.user_id == user.id))] == [Role.AUDITOR]


def test_other_roles_are_granted_at_once_but_still_recorded_for_the_dpo(client_as, make_user):
    admin = make_user(Role.ADMIN)
    colleague = make_user(Role.RECORD_HOLDER)

    edit_roles(client_as(user=admin), colleague, Role.RECORD_HOLDER, Role.ADMIN)

    assert roles_of(colleague) == {Role.RECORD_HOLDER, Role.ADMIN}
    recorded = db.session.scalars(select(RoleGrant).where(RoleGrant.user_id == colleague.id)).all()
    assert [(r.role, r.status, r.decided_by_id) for r in recorded if r.role is Role.ADMIN] == [
        (Role.ADMIN, GrantStatus.APPROVED, admin.id)
    ]
