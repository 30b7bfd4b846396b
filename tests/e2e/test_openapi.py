"""A generated project's OpenAPI schema and docs: generated without warnings, valid as served, and its pages
working in headless Chromium with no request leaving the machine."""

import json
import sys
import urllib.request
from urllib.parse import urlsplit

import pytest
from openapi_spec_validator import validate

from framework.api.schema import MEDIA_TYPE, PROBLEM
from tests.e2e.browser import chromium, page_requests
from tests.e2e.conftest import free_port, manage, serving

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"
# Long enough to fetch the schema and render it on a loaded machine; a wait ends as soon as the page is there.
WAIT = 30

@pytest.fixture(scope="module")
def server(project):
    port = free_port()
    args = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    with serving(args, cwd=project, port=port) as url:
        yield url


def test_schema_generation_emits_no_warnings(project, tmp_path):
    schema = tmp_path / "schema.yml"

    result = manage(project, "spectacular", "--validate", "--fail-on-warn", "--file", str(schema))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "/api/v1/notes/{id}/:" in schema.read_text()


def test_the_served_schema_is_valid_and_documents_the_api(server):
    with urllib.request.urlopen(server + "/api/schema/?format=json", timeout=30) as response:
        content_type = response.headers["Content-Type"]
        schema = json.loads(response.read())

    assert content_type.startswith("application/vnd.oai.openapi+json")
    validate(schema)
    paths, components = schema["paths"], schema["components"]
    assert {"/api/v1/notes/", "/api/v1/notes/{id}/"} <= paths.keys()
    # The error format, the pagination envelope and the auth schemes are in it.
    not_found = paths["/api/v1/notes/{id}/"]["get"]["responses"]["404"]
    assert not_found["content"][MEDIA_TYPE]["schema"] == {"$ref": f"#/components/schemas/{PROBLEM}"}
    page = paths["/api/v1/notes/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    envelope = components["schemas"][page["$ref"].rpartition("/")[2]]
    assert {"count", "next", "previous", "results"} <= envelope["properties"].keys()
    assert components["securitySchemes"]


@pytest.fixture(scope="module")
def alice(project):
    """A user with one note, and an API key of hers."""
    made = manage(
        project, "shell", "-c",
        "from django.contrib.auth import get_user_model; from notes.models import Note; "
        f"Note.objects.create(owner=get_user_model().objects.create_user('alice', password={PASSWORD!r}), title='Buy milk')",
    )
    assert made.returncode == 0, made.stderr
    created = manage(project, "createapikey", "--user", "alice", "--name", "browser")
    assert created.returncode == 0, created.stderr
    return {"api_key": created.stdout.strip()}


@pytest.fixture
def access_token(server, alice):
    request = urllib.request.Request(
        server + "/api/v1/auth/token/",
        data=json.dumps({"username": "alice", "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["access"]


def wait_for(browser, css, *, within=None):
    """The elements matching `css` (in `within`, else the page), once there are some."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, WAIT).until(lambda _: (within or browser).find_elements(By.CSS_SELECTOR, css))


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """One headless Chromium for the module's tests; each test starts on a page of its own."""
    with chromium(tmp_path_factory.mktemp("chromium")) as session:
        yield session


@pytest.fixture
def page(browser):
    """The browser, with the requests of earlier tests forgotten."""
    page_requests(browser)
    yield browser
    browser.get("about:blank")


def assert_only_local_requests(browser, server, *expected_paths):
    requested = page_requests(browser)
    assert {server + path for path in expected_paths} <= requested, sorted(requested)
    assert {urlsplit(url).hostname for url in requested} == {"127.0.0.1"}, sorted(requested)


# Each with a class only its JavaScript renders, not in the page as served.
@pytest.mark.parametrize(("path", "rendered"), [("/api/docs/", ".opblock-summary-path"), ("/api/redoc/", ".redoc-wrap")])
def test_the_docs_render_with_no_request_leaving_localhost(server, page, path, rendered):
    page.get(server + path)
    wait_for(page, rendered)
    dom = page.page_source

    assert "/api/v1/notes/{id}/" in dom
    assert_only_local_requests(page, server, path, "/api/schema/")


def try_notes_list(browser, *, scheme, credential):
    """In Swagger UI: Authorize with `scheme`, then Try it out and Execute on the notes list; (status, body)."""
    from selenium.webdriver.common.by import By

    wait_for(browser, ".opblock-summary-path")
    browser.find_element(By.CSS_SELECTOR, "button.authorize").click()
    box = browser.find_element(By.XPATH, f"//div[contains(@class, 'auth-container')][.//h4[contains(., '{scheme}')]]")
    box.find_element(By.CSS_SELECTOR, "input").send_keys(credential)
    box.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert "Authorized" in box.text
    browser.find_element(By.CSS_SELECTOR, ".modal-ux button.btn-done").click()
    operation = browser.find_element(By.ID, "operations-notes-notes_list")
    operation.find_element(By.CSS_SELECTOR, ".opblock-summary-control").click()
    wait_for(browser, "button.try-out__btn", within=operation)[0].click()
    operation.find_element(By.CSS_SELECTOR, "button.execute").click()
    status = wait_for(browser, ".live-responses-table tbody .response-col_status", within=operation)[0].text
    body = operation.find_element(By.CSS_SELECTOR, ".live-responses-table tbody .response-col_description pre").text
    return int(status), json.loads(body)


def test_swagger_ui_authorizes_with_a_jwt_and_lists_the_users_notes(server, access_token, page):
    page.get(server + "/api/docs/")
    status, body = try_notes_list(page, scheme="jwtAuth", credential=access_token)

    assert status == 200
    assert [note["title"] for note in body["results"]] == ["Buy milk"]
    assert_only_local_requests(page, server, "/api/v1/notes/")


def test_swagger_ui_authorizes_with_an_api_key_and_lists_the_users_notes(server, alice, page):
    page.get(server + "/api/docs/")
    status, body = try_notes_list(page, scheme="apiKeyAuth", credential=alice["api_key"])

    assert status == 200
    assert [note["title"] for note in body["results"]] == ["Buy milk"]


def test_the_admin_login_page_renders_with_its_styles_from_localhost(server, page):
    page.get(server + "/admin/login/")
    form = wait_for(page, "form#login-form")[0]
    fields = {field.get_attribute("name") for field in form.find_elements("css selector", "input")}
    # The admin's stylesheet applied: its header is not the page's default white.
    header = page.find_element("id", "header").value_of_css_property("background-color")

    assert {"username", "password"} <= fields
    assert header not in ("rgba(0, 0, 0, 0)", "rgba(255, 255, 255, 1)")
    assert_only_local_requests(page, server, "/admin/login/", "/static/admin/css/base.css")
