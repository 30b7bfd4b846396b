"""The database down: API calls answer 503 `service_unavailable` in the error format, not a 500."""

from tests.api.conftest import assert_problem


def test_a_database_outage_in_an_api_view_is_a_503(anonymous, caplog):
    response = anonymous.get("/api/test/fail/database/")

    body = assert_problem(response, 503, "service_unavailable")
    assert "db.internal" not in response.content.decode()
    assert body["detail"] == "The service is temporarily unavailable; try again later."
    assert "db.internal" in caplog.text  # for the operator, in the log


def test_a_database_outage_in_a_plain_view_under_the_api_is_a_503(anonymous):
    response = anonymous.get("/api/test/plain-database-down/")

    assert_problem(response, 503, "service_unavailable")
    assert "db.internal" not in response.content.decode()
