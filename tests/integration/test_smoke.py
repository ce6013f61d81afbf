from sar.auth.models import Role


def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_home_needs_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_home_shows_signed_in_user(client_as):
    response = client_as(Role.IG_OFFICER).get("/")
    assert response.status_code == 200
    assert b"Test Officer" in response.data
    assert b"Test Borough Council" in response.data
