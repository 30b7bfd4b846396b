"""Sending email to a real SMTP server: at once, and through the task (run eagerly for now)."""

import json
import logging

import pytest
from django.core.files.base import ContentFile

from framework.email import InvalidEmail, send_email, send_now
from framework.email.messages import compose
from framework.email.tasks import GAVE_UP, send_email_task


def parts(message):
    return {part.get_content_type(): part for part in message.walk() if not part.is_multipart()}


def test_send_now_delivers_text_html_and_attachments(inbox, tmp_path):
    report = tmp_path / "report.csv"
    report.write_text("a,b\n1,2\n")

    message_id = send_now(
        to=["ann@example.com"],
        cc=["Bob <bob@example.com>"],
        bcc=["audit@example.com"],
        reply_to=["help@example.com"],
        from_email="Service <service@example.com>",
        subject="Your report",
        body="See the attachments.",
        html="<p>See the <b>attachments</b>.</p>",
        attachments=[report, ("logo.png", b"\x89PNG\r\n\x1a\n", "image/png"), ContentFile(b"%PDF-1.4", name="doc.pdf")],
        headers={"X-Campaign": "reports"},
    )

    [message] = inbox.messages
    assert message["Message-ID"] == message_id
    assert (message["Subject"], message["To"], message["Cc"]) == ("Your report", "ann@example.com", "Bob <bob@example.com>")
    assert (message["From"], message["Reply-To"], message["X-Campaign"]) == ("Service <service@example.com>", "help@example.com", "reports")
    assert "Bcc" not in message
    assert sorted(inbox.recipients[0]) == ["ann@example.com", "audit@example.com", "bob@example.com"]
    found = parts(message)
    assert found["text/plain"].get_content().strip() == "See the attachments."
    assert found["text/html"].get_content().strip() == "<p>See the <b>attachments</b>.</p>"
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    assert attachments["report.csv"].get_content().splitlines() == ["a,b", "1,2"]  # text travels with CRLF
    assert attachments["logo.png"].get_content_type() == "image/png"
    assert attachments["logo.png"].get_content() == b"\x89PNG\r\n\x1a\n"
    assert attachments["doc.pdf"].get_content() == b"%PDF-1.4"


def test_send_now_renders_templates_with_a_context(inbox, settings, tmp_path):
    (tmp_path / "welcome.txt").write_text("Hello {{ name }}.")
    (tmp_path / "welcome.html").write_text("<p>Hello {{ name }}.</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]

    send_now(to=["ann@example.com"], subject="Welcome", template="welcome", context={"name": "Ann <3"})

    found = parts(inbox.messages[0])
    assert found["text/plain"].get_content().strip() == "Hello Ann &lt;3."
    assert found["text/html"].get_content().strip() == "<p>Hello Ann &lt;3.</p>"


def test_html_only_gets_a_text_part_without_tags(inbox):
    send_now(to=["ann@example.com"], subject="Hi", html="<p>Hello <b>there</b></p>")

    assert parts(inbox.messages[0])["text/plain"].get_content().strip() == "Hello there"


def test_send_now_uses_the_default_sender(inbox, settings):
    settings.DEFAULT_FROM_EMAIL = "Team <team@example.com>"

    send_now(to="ann@example.com", subject="Hi", body="text")

    assert inbox.messages[0]["From"] == "Team <team@example.com>"


def test_send_now_raises_when_the_server_is_down(email_down):
    with pytest.raises(ConnectionRefusedError):
        send_now(to=["ann@example.com"], subject="Hi", body="text")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"to": ["not-an-address"]}, "to: 'not-an-address' is not a valid email address"),
        ({"to": ["ann@example.com"], "cc": ["ann@"]}, "cc: 'ann@' is not a valid email address"),
        ({"to": ["ann@example.com"], "bcc": "a b@example.com"}, "bcc: 'a b@example.com' is not a valid email address"),
        ({"to": ["ann@example.com"], "reply_to": ["x"]}, "reply_to: 'x' is not a valid email address"),
        ({"to": ["ann@example.com"], "from_email": "nobody"}, "from_email: 'nobody' is not a valid email address"),
        ({"to": ["ann@example.com\nBcc: victim@example.com"]}, "to: 'ann@example.com\\nBcc: victim@example.com' is not"),
        ({"to": []}, "no recipient: give at least one address in to, cc or bcc"),
        ({"to": ["ann@example.com"], "subject": "two\nlines"}, "subject: must be one line"),
        ({"to": ["ann@example.com"], "attachments": [42]}, "attachment 0: expected a path, an open file"),
    ],
)
def test_bad_input_is_refused_at_the_call(arguments, message):
    arguments = {"subject": "Hi", "body": "text", **arguments}

    for send in (send_now, send_email):
        with pytest.raises(InvalidEmail) as caught:
            send(**arguments)
        assert str(caught.value).startswith(message)


def test_an_invalid_address_queues_nothing(eager_tasks, inbox):
    with pytest.raises(InvalidEmail):
        send_email(to=["ann@example.com", "bob@"], subject="Hi", body="text")

    assert inbox.messages == []


def test_the_task_payload_is_json():
    message = compose(to=["ann@example.com"], subject="Hi", body="text", attachments=[("a.bin", b"\x00\xff")])

    assert json.loads(json.dumps(message)) == message


def test_send_email_goes_through_the_task(eager_tasks, inbox, caplog):
    caplog.set_level(logging.INFO, logger="framework.email")

    message_id = send_email(to=["a@example.com"], subject="hi", body="text", html="<p>text</p>")

    [message] = inbox.messages
    assert message["Message-ID"] == message_id
    assert set(parts(message)) == {"text/plain", "text/html"}
    assert f"Email {message_id} sent to 1 recipient(s)." in caplog.text


@pytest.mark.django_db(transaction=True)
def test_send_email_in_a_transaction_waits_for_the_commit(eager_tasks, inbox):
    from django.db import transaction

    with transaction.atomic():
        send_email(to=["a@example.com"], subject="kept", body="text")
        assert inbox.messages == []
    with transaction.atomic():
        send_email(to=["a@example.com"], subject="rolled back", body="text")
        transaction.set_rollback(True)

    assert [message["Subject"] for message in inbox.messages] == ["kept"]


def test_with_the_server_down_the_task_retries_then_logs_the_failure(email_down, caplog):
    caplog.set_level(logging.INFO, logger="framework.email")
    message = compose(to=["a@example.com"], subject="secret subject", body="secret body")

    result = send_email_task.apply(kwargs={"message": message})

    assert result.failed()
    assert isinstance(result.result, ConnectionRefusedError)
    attempts = send_email_task.max_retries + 1
    retries = [r for r in caplog.records if r.levelno == logging.WARNING and r.name == "framework.email"]
    [failure] = [r for r in caplog.records if r.levelno == logging.ERROR and r.name == "framework.email"]
    assert len(retries) == attempts - 1
    assert failure.msg == GAVE_UP
    assert failure.getMessage().startswith(f"Email {message['message_id']} not sent after {attempts} attempt(s), giving up: ConnectionRefusedError")
    assert "secret" not in caplog.text


def test_a_temporary_refusal_is_retried(inbox, caplog):
    inbox.reply = "451 Try again later"
    message = compose(to=["a@example.com"], subject="Hi", body="text")

    result = send_email_task.apply(kwargs={"message": message})

    assert result.failed()
    assert inbox.attempts == send_email_task.max_retries + 1
    assert "SMTPDataError: (451" in caplog.text


def test_a_permanent_refusal_is_not_retried(inbox, caplog):
    inbox.reply = "554 Rejected"
    message = compose(to=["a@example.com"], subject="Hi", body="text")

    result = send_email_task.apply(kwargs={"message": message})

    assert result.failed()
    assert inbox.attempts == 1
    assert f"Email {message['message_id']} not sent: SMTPDataError" in caplog.text


def test_the_task_backs_off_and_is_acknowledged_after_it_ran():
    assert ConnectionError in send_email_task.autoretry_for
    assert send_email_task.retry_backoff and send_email_task.retry_jitter
    assert send_email_task.acks_late and send_email_task.ignore_result
