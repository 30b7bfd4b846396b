from pathlib import Path

from framework.conf import Schema, setting
from framework.conf.environment import Environment
from framework.conf.reference import effective, markdown
from framework.conf.schemas import BUILTIN_SCHEMAS
from framework.conf.schemas.services import ServiceSettings

DOCS = Path(__file__).resolve().parents[2] / "docs" / "settings.md"


class Payments(Schema, env_prefix="PAYMENTS_"):
    """Settings of the payment provider."""

    title = "Payments"
    API_URL: str = setting("https://pay.example", "Base URL of the provider's API.")
    API_KEY: str = setting("sk-default", "Key for the provider.", secret=True)
    RETRIES: int | None = setting(None, "Retries | attempts.")


def test_markdown_lists_each_variable_with_type_default_and_description():
    text = markdown([Payments])

    assert "## Payments" in text
    assert "Settings of the payment provider." in text
    assert "| `PAYMENTS_API_URL` | string | `https://pay.example` | Base URL of the provider's API. |" in text
    assert "| `PAYMENTS_RETRIES` | integer |  | Retries \\| attempts. |" in text


def test_markdown_never_shows_a_secret_default():
    text = markdown([Payments])

    assert "sk-default" not in text
    assert "| `PAYMENTS_API_KEY` | string |  | Key for the provider. Secret. |" in text


def test_markdown_marks_the_variables_kept_in_the_framework_setting():
    text = markdown(BUILTIN_SCHEMAS)

    assert "| *`WEB_TIMEOUT`* | integer | `30` |" in text
    assert "| `DEBUG` | boolean | `false` |" in text


def test_committed_reference_is_the_generated_one():
    # `manage.py settings --markdown` ends with the settings every service called has.
    assert DOCS.read_text() == markdown([*BUILTIN_SCHEMAS, ServiceSettings]), (
        "docs/settings.md is out of date: run `make docs-settings`"
    )


def test_effective_values_name_their_source_and_mask_secrets(tmp_path):
    (tmp_path / ".env").write_text("PAYMENTS_API_KEY=sk-live-123\n")
    environment = Environment(tmp_path, environ={"PAYMENTS_API_URL": "https://u:pw@pay.test"})

    rows = {row.variable: row for row in effective([Payments], environment)}

    assert (rows["PAYMENTS_API_URL"].value, rows["PAYMENTS_API_URL"].source) == ("https://u:********@pay.test", "environment")
    assert (rows["PAYMENTS_API_KEY"].value, rows["PAYMENTS_API_KEY"].source) == ("********", ".env")
    assert (rows["PAYMENTS_RETRIES"].value, rows["PAYMENTS_RETRIES"].source) == ("", "default")
