import threading

import django
import pytest
from django.core import checks

import framework
from framework.health import HealthCheck

BUILTIN = {"database", "cache", "broker", "outbox", "migrations"}


def test_liveness_answers_without_touching_the_database(client):
    # No django_db mark: any database access here would fail the test.
    response = client.get("/health/")

    assert response.status_code == 200
    body = response.json()
    assert body == {"status": "ok", "service": {"name": "tests", "version": None, "build": None}}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/health/", "/health/ready/"])
def test_versions_are_shown_only_where_the_setting_allows(client, settings, path):
    assert "versions" not in client.get(path).json()

    settings.FRAMEWORK = {**settings.FRAMEWORK, "HEALTH_SHOW_VERSIONS": True}
    body = client.get(path).json()

    assert body["versions"] == {"python": body["versions"]["python"], "django": django.get_version(), "framework": framework.__version__}


@pytest.mark.django_db
def test_readiness_names_each_check_with_its_time(client):
    response = client.get("/health/ready/")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == BUILTIN
    for result in body["checks"].values():
        assert result["status"] == "ok" and isinstance(result["ms"], float)


@pytest.mark.django_db
def test_verbose_false_still_runs_the_checks_and_only_shortens_the_answer(client, register):
    @register
    def payments():
        return [checks.Error("the payments API does not answer")]

    response = client.get("/health/ready/?verbose=false")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "service": {"name": "tests", "version": None, "build": None}}


@pytest.mark.parametrize("path", ["/health/", "/health/ready/"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_methods_other_than_get_and_head_are_a_405_problem(path, method):
    from django.test import Client

    # CSRF checks on, as a browser's client would meet them: a 405, not the CSRF page.
    response = getattr(Client(enforce_csrf_checks=True), method)(path)

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response["Allow"] == "GET, HEAD"
    assert response.json()["code"] == "method_not_allowed"


def test_head_is_answered(client):
    assert client.head("/health/").status_code == 200


@pytest.mark.django_db
def test_service_name_version_and_build_come_from_settings(client, settings):
    settings.FRAMEWORK = {"SERVICE_NAME": "notes-api", "SERVICE_VERSION": "1.4.2", "SERVICE_BUILD": "abc1234"}

    assert client.get("/health/ready/").json()["service"] == {"name": "notes-api", "version": "1.4.2", "build": "abc1234"}


@pytest.mark.django_db
def test_an_erring_check_makes_it_503_and_says_why(client, register):
    @register
    def payments():
        return [checks.Error("the payments API does not answer")]

    response = client.get("/health/ready/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["payments"] == {"status": "error", "ms": body["checks"]["payments"]["ms"], "errors": ["the payments API does not answer"]}
    assert body["checks"]["database"]["status"] == "ok"


@pytest.mark.django_db
def test_a_warning_is_reported_without_failing(client, register):
    @register
    def disk():
        return [checks.Warning("disk 91% full")]

    response = client.get("/health/ready/")

    assert response.status_code == 200
    assert response.json()["status"] == "warning"
    assert response.json()["checks"]["disk"]["warnings"] == ["disk 91% full"]


@pytest.mark.django_db
def test_an_exception_is_an_error_whose_text_stays_in_the_log(client, register, caplog):
    @register
    def search():
        raise ConnectionError("cannot reach http://admin:hunter2@search.internal:9200")

    body = client.get("/health/ready/").json()

    assert body["checks"]["search"]["errors"] == ["raised ConnectionError; the log has the details"]
    assert "search.internal" not in str(body)
    assert "search.internal" in caplog.text and "hunter2" not in caplog.text


@pytest.mark.django_db
def test_a_hung_check_fails_after_its_own_timeout_without_holding_the_others(client, register):
    release = threading.Event()

    @register(name="hangs", timeout=0.2)
    def hangs():
        release.wait(30)

    try:
        body = client.get("/health/ready/").json()
    finally:
        release.set()

    assert body["checks"]["hangs"] == {"status": "error", "ms": 200.0, "errors": ["did not answer within 0.2 s"]}
    assert body["checks"]["database"]["status"] == "ok"


@pytest.mark.django_db
def test_a_hung_check_holds_one_thread_however_many_calls_come(client, register):
    from framework.health import runner

    release = threading.Event()
    started = []

    @register(name="hangs", timeout=0.1)
    def hangs():
        started.append(1)
        release.wait(30)

    try:
        for _ in range(5):
            runner.forget()  # past the kept results: each call runs the checks
            body = client.get("/health/ready/").json()
        threads = [thread for thread in threading.enumerate() if thread.name == "health-hangs"]
    finally:
        release.set()

    assert len(started) == 1 and len(threads) == 1
    assert body["checks"]["hangs"]["errors"] == [runner.STILL_RUNNING.format(seconds=0.1)]


@pytest.mark.django_db
def test_calls_within_a_second_share_one_run(client, register):
    runs = []

    @register
    def counted():
        runs.append(1)

    for _ in range(10):
        assert client.get("/health/ready/").status_code == 200

    assert len(runs) == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_calls_run_the_checks_once_at_a_time(register):
    from framework.health import runner

    running, overlaps, runs = [], [], []
    lock = threading.Lock()

    @register
    def slow():
        with lock:
            overlaps.append(len(running))
            running.append(1)
        threading.Event().wait(0.2)
        with lock:
            running.pop()
            runs.append(1)

    calls = [threading.Thread(target=runner.run) for _ in range(8)]
    for call in calls:
        call.start()
    for call in calls:
        call.join()

    assert overlaps == [0] * len(runs) and len(runs) == 1


@pytest.mark.django_db
def test_a_class_registers_each_check_method(client, register):
    @register
    class Partners(HealthCheck):
        def check_billing(self):
            return None

        def check_mailer(self):
            return [checks.Warning("mail queue is long")]

    found = client.get("/health/ready/").json()["checks"]

    assert found["billing"]["status"] == "ok"
    assert found["mailer"]["status"] == "warning"


@pytest.mark.django_db
def test_health_is_outside_authentication_and_throttling(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAdminUser"],
        "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
        "DEFAULT_THROTTLE_RATES": {"anon": "1/hour"},
    }

    statuses = [client.get(path).status_code for path in ["/health/", "/health/ready/"] * 3]

    assert statuses == [200] * 6


def test_health_is_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/health/").status_code == 200
    assert client.get("/api/v1/").status_code == 301


def test_two_checks_of_one_name_are_refused(register):
    register(name="twin")(lambda: None)

    with pytest.raises(ValueError, match="'twin' is registered twice"):
        register(name="twin")(lambda: None)


@pytest.mark.django_db
def test_the_embedded_broker_needs_a_folder_it_can_write(client, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(blocker / "queue"), "data_folder_out": str(blocker / "queue")}

    broker = client.get("/health/ready/").json()["checks"]["broker"]

    assert broker["status"] == "error"
    assert broker["errors"] == [f"the embedded broker's folder {blocker / 'queue'} is not writable by this process"]
