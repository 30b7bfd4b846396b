"""EMAIL_URL's smtp+tls (STARTTLS) and smtp+ssl against a real SMTP server with a certificate."""

import shutil
import ssl
import subprocess

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from framework.conf.urls import email_settings
from framework.email import send_now
from tests.e2e.conftest import free_port
from tests.email.conftest import Inbox


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1: (certificate file, key file)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    return cert, key


@pytest.fixture
def trusted(certificate, monkeypatch):
    """The client trusts the test certificate, as it would a real server's."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


@pytest.mark.parametrize("scheme", ["smtp+tls", "smtp+ssl"])
def test_email_goes_over_tls(scheme, trusted):
    inbox, port = Inbox(), free_port()
    if scheme == "smtp+tls":
        controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=trusted, require_starttls=True)
    else:
        controller = Controller(inbox, hostname="127.0.0.1", port=port, ssl_context=trusted)
    controller.start()
    try:
        with override_settings(**email_settings(f"{scheme}://127.0.0.1:{port}", timeout=5)):
            send_now(to=["ann@example.com"], subject="over tls", body="text")
    finally:
        controller.stop()

    assert [message["Subject"] for message in inbox.messages] == ["over tls"]


def test_starttls_refuses_an_untrusted_server(certificate):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True)
    controller.start()
    try:
        with override_settings(**email_settings(f"smtp+tls://127.0.0.1:{port}", timeout=5)):
            with pytest.raises(ssl.SSLCertVerificationError):
                send_now(to=["ann@example.com"], subject="over tls", body="text")
    finally:
        controller.stop()

    assert inbox.messages == []
