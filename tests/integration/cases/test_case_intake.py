"""Logging a request through the intake form: the happy path, bad input and duplicate submissions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from support import (
    banners,
    error_links,
    error_messages,
    field_error,
    form_token,
    get_page,
    heading,
    intake_data,
    page,
    post_page,
    summary_rows,
    text_of,
)

from sar.audit import AuditEvent
from sar.auth.models import Role
from sar.cases.models import Case, CaseStatus, PersonRole, RequesterType, Right
from sar.cases.signals import case_changed
from sar.extensions import db


def _case_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Case)) or 0


def _errors(response) -> list[str]:
    """The error summary's messages, as the officer reads them."""
    return error_messages(page(response, response.status_code))


def test_log_a_request_creates_the_case_with_its_people_and_audits_it(officer_client, officer):
    seen = []
    with case_changed.connected_to(lambda case, reason, by: seen.append(reason)):
        response = officer_client.post("/cases/new", data=intake_data(form_token(officer_client)))
    assert response.status_code == 302, _errors(response) or response.get_data(as_text=True)
    case = db.session.scalars(select(Case)).one()
    assert response.headers["Location"].endswith(f"/cases/{case.id}")
    year = case.received_on.year
    assert case.reference == f"SAR-{year}-00001"
    assert case.status is CaseStatus.RECEIVED
    assert case.logged_by_id == officer.id
    assert case.right_values == {Right.ACCESS}
    assert case.requester_type is RequesterType.PARENT_PR
    subject, requester = case.subject, case.requester
    assert subject is not None and requester is not None
    assert subject.full_name == "Kayla Marie Smith"
    assert subject.aliases == ["Kay", "KMS"]
    assert subject.nhs_number == "943 476 5919"
    assert subject.addresses == [
        "14 Elm Road, Netherfield, Calderbridge, HX3 5TT",
        "2 Mill Lane, Calderbridge, HX4 1AB",
    ]
    assert requester.role is PersonRole.REQUESTER
    assert requester.phones == ["07700 900123"]
    assert requester.addresses == ["14 Elm Road, Netherfield, Calderbridge, HX3 5TT"]
    assert seen == ["case logged"]
    created = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.created")).one()
    assert created.case_id == case.id and created.actor_id == officer.id


def test_received_on_is_the_london_date_of_the_time_received(officer_client):
    # 23:30 in London on 30 June (BST) is 22:30 UTC the same day; 00:30 on 1 July is still 30 June in UTC.
    data = intake_data(form_token(officer_client), received_date=["1", "7", "2025"], received_time="00:30")
    assert officer_client.post("/cases/new", data=data).status_code == 302
    case = db.session.scalars(select(Case)).one()
    assert case.received_on.isoformat() == "2025-07-01"
    assert case.received_at == datetime(2025, 6, 30, 23, 30, tzinfo=UTC)
    assert case.reference == "SAR-2025-00001"


def test_a_double_submission_logs_one_case_and_sends_the_second_to_it(officer_client):
    data = intake_data(form_token(officer_client))
    first = officer_client.post("/cases/new", data=data)
    second = officer_client.post("/cases/new", data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert _case_count() == 1
    case = db.session.scalars(select(Case)).one()
    # The first submission's "Request logged" waits too, as its redirect was not followed.
    assert banners(get_page(officer_client, second.headers["Location"]))[-1] == (
        f"This request was already logged as {case.reference}. It has not been logged twice."
    )


def test_a_form_token_this_session_was_not_given_is_refused_and_nothing_saved(officer_client):
    html = post_page(officer_client, "/cases/new", intake_data("made-up-token"), status=422)
    assert error_messages(html) == ["This form has expired. Check the details and select ‘Log the request’ again."]
    assert _case_count() == 0


def test_two_tabs_give_two_cases(officer_client):
    first_token, second_token = form_token(officer_client), form_token(officer_client)
    assert officer_client.post("/cases/new", data=intake_data(first_token)).status_code == 302
    # The second matches the first (same subject and date of birth): the officer is warned first (issue 9).
    warned = post_page(officer_client, "/cases/new", intake_data(second_token))
    assert "may be a request the council already has open" in text_of(warned.select_one("#possible-duplicates"))
    first = db.session.scalars(select(Case)).one()
    confirmed = intake_data(second_token, duplicates_seen=str(first.id))
    assert officer_client.post("/cases/new", data=confirmed).status_code == 302
    assert sorted(c.reference[-5:] for c in db.session.scalars(select(Case))) == ["00001", "00002"]


def test_the_subject_asking_for_themselves_needs_no_requester(officer_client):
    data = intake_data(form_token(officer_client), requester_type="self", requester_full_name="")
    assert officer_client.post("/cases/new", data=data).status_code == 302
    case = db.session.scalars(select(Case)).one()
    assert [p.role for p in case.people] == [PersonRole.DATA_SUBJECT]
    assert case.requester is case.subject


def _refused(client, **overrides) -> list[str]:
    response = client.post("/cases/new", data=intake_data(form_token(client), **overrides))
    assert response.status_code == 422, response.status_code
    assert _case_count() == 0
    return _errors(response)


def test_impossible_future_and_pre_gdpr_dates_are_refused(officer_client):
    assert _refused(officer_client, received_date=["31", "2", "2026"]) == ["The date received must be a real date"]
    assert _refused(officer_client, received_date=["", "2", "2026"]) == ["The date received must include a day"]
    assert _refused(officer_client, received_date=["", "", ""]) == ["Enter the date received"]
    tomorrow = datetime.now(UTC) + timedelta(days=2)
    assert _refused(officer_client, received_date=[str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)]) == [
        "The date received must be today or in the past"
    ]
    assert _refused(officer_client, received_date=["24", "5", "2018"]) == [
        "The date received must be on or after 25 May 2018"
    ]
    assert _refused(officer_client, subject_date_of_birth=["30", "13", "2014"]) == [
        "The date of birth must be a real date"
    ]


def test_a_time_later_today_is_in_the_future(officer_client):
    from sar import calendar

    now = calendar.now()
    if now.hour == 23:
        return  # no later time today to try
    response = officer_client.post(
        "/cases/new",
        data=intake_data(
            form_token(officer_client),
            received_date=[str(now.day), str(now.month), str(now.year)],
            received_time="23:59",
        ),
    )
    assert response.status_code == 422 and _case_count() == 0
    # Reported on the time field (the date is fine), linked from the error summary (issue 9).
    [(message, target)] = error_links(page(response, 422)).items()
    assert message.startswith("The time received must be in the past") and target == "#received_time"
    assert field_error(page(response, 422), "received_time") == message


def test_missing_choices_and_bad_identifiers_are_listed_in_the_error_summary(officer_client):
    errors = _refused(
        officer_client,
        channel="",
        rights=[],
        received_time="25:00",
        subject_full_name="",
        subject_nhs_number="943 476 5918",
        subject_ni_number="QQ 12 34 56 C",
        requester_phone="12345",
    )
    assert "Select how the request arrived" in errors
    assert "Select at least one right" in errors
    assert "Enter a real time, like 14:30" in errors
    assert "Enter the data subject's full name" in errors
    assert "Enter a real NHS number, like 943 476 5919" in errors
    assert any("National Insurance number" in e for e in errors)
    assert any("UK phone number" in e for e in errors)


def test_error_summary_links_go_to_the_fields(officer_client):
    data = intake_data(form_token(officer_client), channel="", received_date=["", "", ""])
    soup = post_page(officer_client, "/cases/new", data, status=422)
    links = error_links(soup)
    assert links["Select how the request arrived"] == "#channel"
    assert links["Enter the date received"] == "#received_date-day"
    assert soup.find(id="received_date-day") is not None and soup.find(id="channel") is not None
    assert field_error(soup, "channel") == "Select how the request arrived"
    assert field_error(soup, "received_date") == "Enter the date received"
    assert soup.title.get_text().startswith("Error:")


def test_overlong_fields_are_refused_with_the_limit(officer_client):
    errors = _refused(officer_client, subject_full_name="x" * 201, requester_relationship="y" * 101)
    assert "The data subject's name must be 200 characters or fewer" in errors
    assert "The relationship must be 100 characters or fewer" in errors


def test_a_requester_is_required_when_someone_asks_on_the_subjects_behalf(officer_client):
    assert _refused(officer_client, requester_full_name="") == ["Enter the requester's full name"]


def test_scope_range_must_run_forwards(officer_client):
    errors = _refused(officer_client, scope_from=["1", "1", "2020"], scope_to=["1", "1", "2019"])
    assert errors == ["The end of the date range must be the same as or after its start"]


def test_scope_teams_are_recorded(officer_client, make_team):
    team = make_team("Early Help")
    db.session.commit()
    data = intake_data(form_token(officer_client), scope_teams=[str(team.id)], scope_from=["1", "9", "2015"])
    assert officer_client.post("/cases/new", data=data).status_code == 302
    case = db.session.scalars(select(Case)).one()
    assert case.team_ids == [team.id]
    assert case.scope_from.isoformat() == "2015-09-01"


def test_the_form_shows_every_section_and_the_portability_note(officer_client):
    html = get_page(officer_client, "/cases/new")
    assert heading(html) == "Log a request"
    assert [text_of(h2) for h2 in html.select("form h2")] == [
        "How it arrived",
        "What is being asked for",
        "Scope",
        "Who is asking",
        "Who the records are about (the data subject)",
    ]
    text = text_of(html.select_one("main"))
    assert "Portability is normally not available" in text and "educational record" in text
    assert html.select_one("main form[method=post]").has_attr("novalidate")  # the server checks everything


def test_record_holders_and_auditors_cannot_log_requests(client_as):
    assert client_as(Role.RECORD_HOLDER).get("/cases/new").status_code == 403
    assert client_as(Role.AUDITOR).get("/cases/new").status_code == 403
    assert client_as(Role.AUDITOR).post("/cases/new", data=intake_data("x")).status_code == 403
    assert _case_count() == 0


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/cases/new")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_double_click_that_races_the_first_submission_lands_on_the_same_case(officer_client, monkeypatch):
    """Both requests pass the "already logged?" check before either commits; the unique token decides."""
    from sar.cases import service

    data = intake_data(form_token(officer_client))
    assert officer_client.post("/cases/new", data=data).status_code == 302
    # The officer has been shown the open case this matches (issue 9's duplicate warning) and goes ahead.
    data["duplicates_seen"] = str(db.session.scalars(select(Case.id)).one())
    real = service.find_by_form_token
    misses = [True, True]  # the view's check and log_case's check both miss the first case

    def find(token: str):
        if misses:
            misses.pop()
            return None
        return real(token)

    monkeypatch.setattr(service, "find_by_form_token", find)
    with officer_client.session_transaction() as session:
        session["case_form_tokens"] = [data["form_token"]]  # as if the second click came from the same page
    second = officer_client.post("/cases/new", data=data)
    assert second.status_code == 302
    assert misses == []
    assert _case_count() == 1
    assert any("already logged" in message for message in banners(get_page(officer_client, second.headers["Location"])))


def test_time_received_is_optional_for_post_only(officer_client):
    by_email = officer_client.post("/cases/new", data=intake_data(form_token(officer_client), received_time=""))
    assert by_email.status_code == 422 and "Enter the time received" in _errors(by_email)
    by_post = intake_data(form_token(officer_client), channel="post", received_time="")
    assert officer_client.post("/cases/new", data=by_post).status_code == 302
    case = db.session.scalars(select(Case)).one()
    assert case.received_time_known is False
    received = summary_rows(get_page(officer_client, f"/cases/{case.id}"))["Received"]
    assert received.endswith("(time not recorded)")


def test_a_request_matching_an_open_case_warns_and_links_to_it_first(officer_client):
    assert officer_client.post("/cases/new", data=intake_data(form_token(officer_client))).status_code == 302
    first = db.session.scalars(select(Case)).one()
    # Same requester, received the same day, about a different child: still worth a look.
    data = intake_data(
        form_token(officer_client), subject_full_name="Tyler Smith", subject_date_of_birth=["2", "2", "2016"]
    )
    soup = post_page(officer_client, "/cases/new", data)
    assert _case_count() == 1
    link = soup.select_one("#possible-duplicates a")
    assert link is not None and link["href"] == f"/cases/{first.id}" and link.text == first.reference
    assert "the same requester, received the same day" in text_of(soup.select_one("#possible-duplicates"))
    assert soup.find("button", string=lambda s: s and "Log it as a new request" in s) is not None
    seen = soup.find("input", {"name": "duplicates_seen"})["value"]
    assert officer_client.post("/cases/new", data={**data, "duplicates_seen": seen}).status_code == 302
    assert _case_count() == 2
