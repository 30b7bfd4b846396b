"""framework.testing's fixtures, as a project's tests use them (the plugin is loaded by its entry point)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import override_settings

from framework.conf.urls import email_settings

pytestmark = pytest.mark.django_db


def test_the_plugin_is_registered_through_its_entry_point(pytestconfig):
    assert pytestconfig.pluginmanager.has_plugin("framework")


def test_api_client_is_anonymous(api_client):
    response = api_client.get("/api/v1/books/")

    assert response.status_code == 401


def test_session_client_is_signed_in_as_user(session_client, user):
    assert session_client.get("/api/v1/books/").status_code == 200
    assert session_client.user == user
    assert session_client.cookies["sessionid"].value


def test_make_user_gives_roles_as_groups(make_user):
    editor = make_user("eve", roles=["editor", "reviewer"])

    assert sorted(editor.groups.values_list("name", flat=True)) == ["editor", "reviewer"]
    assert editor.check_password("password")
    assert make_user().username != make_user().username


def test_client_for_refuses_an_unknown_backend(client_for, user):
    with pytest.raises(ValueError, match="unknown auth 'oauth'"):
        client_for(user, auth="oauth")


def test_smtp_server_receives_a_message_with_both_parts(smtp_server):
    message = EmailMultiAlternatives("hi", "text", "from@example.com", ["to@example.com"])
    message.attach_alternative("<p>text</p>", "text/html")

    with override_settings(**email_settings(smtp_server.url)):
        message.send()

    [received] = smtp_server.wait_for(1)
    assert received["Subject"] == "hi" and received["To"] == "to@example.com"
    assert received.get_body(("html",)).get_content().strip() == "<p>text</p>"
    assert received.get_body(("plain",)).get_content().strip() == "text"


def test_smtp_server_wait_for_fails_when_nothing_arrives(smtp_server):
    with pytest.raises(AssertionError, match="0 of 1 messages arrived"):
        smtp_server.wait_for(1, timeout=0.2)


def test_mailoutbox_is_pytest_djangos(mailoutbox):
    mail.send_mail("subject", "body", "from@example.com", ["to@example.com"])

    assert [message.subject for message in mailoutbox] == ["subject"]
