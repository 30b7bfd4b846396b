"""JWT bearer authentication and the token endpoints: every way a wrong token could get in is refused."""

import base64
import json
from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from framework.auth.tokens import issue_tokens

from .conftest import PASSWORD, WHOAMI, assert_problem, bearer

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
VERIFY = "/api/v1/auth/token/verify/"
LOGOUT = "/api/v1/auth/logout/"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims_of(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def assert_refused(response, code="token_not_valid"):
    body = assert_problem(response, 401, code)
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    return body


def test_password_gives_a_token_pair_that_authenticates(client, alice):
    response = client.post(TOKEN, {"username": "alice", "password": PASSWORD}, format="json")

    assert response.status_code == 200, response.content
    tokens = response.json()
    assert set(tokens) == {"access", "refresh"}
    assert jwt.get_unverified_header(tokens["access"])["alg"] == "HS256"
    me = client.get(WHOAMI, **bearer(tokens["access"]))
    assert me.status_code == 200
    assert me.json() == {"username": "alice", "backend": "JWTAuthentication", "api_key": None}


def test_tokens_are_signed_with_the_signing_key(alice):
    access = issue_tokens(alice)["access"]

    claims = jwt.decode(access, settings.SIMPLE_JWT["SIGNING_KEY"], algorithms=["HS256"])
    assert claims["user_id"] == str(alice.pk) and claims["token_type"] == "access"


@pytest.mark.parametrize(
    ("username", "password", "status"),
    # A wrong password or user is refused (401); a blank password is not a credential at all (400).
    [("alice", "wrong password", 401), ("nobody", PASSWORD, 401), ("alice", "", 400)],
)
def test_wrong_credentials_get_no_token(client, alice, username, password, status):
    response = client.post(TOKEN, {"username": username, "password": password}, format="json")

    assert response.status_code == status
    assert "access" not in response.json()


def test_a_wrong_password_is_a_401_problem(client, alice):
    response = client.post(TOKEN, {"username": "alice", "password": "wrong"}, format="json")

    assert_problem(response, 401, "no_active_account")


def test_an_inactive_user_gets_no_token(client, alice):
    alice.is_active = False
    alice.save()

    response = client.post(TOKEN, {"username": "alice", "password": PASSWORD}, format="json")

    assert response.status_code == 401


def test_no_credentials_is_401_not_authenticated_with_a_challenge(client):
    response = client.get(WHOAMI)

    assert_problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer ", "Bearer a b", "Bearer not-a-jwt", "Bearer a.b.c", "Bearer ..."],
)
def test_a_malformed_bearer_header_is_401(client, alice, header):
    response = client.get(WHOAMI, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401, response.content
    assert response.json()["code"] in ("token_not_valid", "bad_authorization_header", "not_authenticated")


@pytest.mark.parametrize("header", ["Token abc", "Bearer\x00x", "🙂", "Basic !!!"])
def test_an_unknown_authorization_scheme_is_401(client, alice, header):
    response = client.get(WHOAMI, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response.json()["code"] in ("not_authenticated", "token_not_valid", "bad_authorization_header")


def test_the_last_character_changed_is_refused(client, alice):
    access = issue_tokens(alice)["access"]
    tampered = access[:-1] + ("A" if access[-1] != "A" else "B")

    assert_refused(client.get(WHOAMI, **bearer(tampered)))


def test_a_changed_claim_is_refused(client, alice, bob):
    header, payload, signature = issue_tokens(alice)["access"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["user_id"] = str(bob.pk)

    forged = ".".join([header, b64(json.dumps(claims).encode()), signature])

    assert_refused(client.get(WHOAMI, **bearer(forged)))


def test_an_expired_access_token_is_refused(client, alice):
    token = AccessToken.for_user(alice)
    token.set_exp(lifetime=-timedelta(seconds=1))

    assert_refused(client.get(WHOAMI, **bearer(str(token))))


def test_a_token_signed_with_another_key_is_refused(client, alice):
    claims = claims_of(issue_tokens(alice)["access"])
    forged = jwt.encode(claims, "another key, long enough for HMAC-SHA256 !!", algorithm="HS256")

    assert_refused(client.get(WHOAMI, **bearer(forged)))


def test_alg_none_is_refused(client, alice):
    claims = claims_of(issue_tokens(alice)["access"])
    unsigned = f"{b64(json.dumps({'alg': 'none', 'typ': 'JWT'}).encode())}.{b64(json.dumps(claims).encode())}."

    assert_refused(client.get(WHOAMI, **bearer(unsigned)))


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")  # the test key is short for HS512
@pytest.mark.parametrize("algorithm", ["HS384", "HS512"])
def test_an_unexpected_algorithm_is_refused_even_with_the_right_key(client, alice, algorithm):
    claims = claims_of(issue_tokens(alice)["access"])
    forged = jwt.encode(claims, settings.SIMPLE_JWT["SIGNING_KEY"], algorithm=algorithm)

    assert_refused(client.get(WHOAMI, **bearer(forged)))


def test_a_refresh_token_is_not_an_access_token(client, alice):
    refresh = issue_tokens(alice)["refresh"]

    assert_refused(client.get(WHOAMI, **bearer(refresh)))


def test_a_user_deactivated_after_issue_is_out_at_once(client, alice):
    access = issue_tokens(alice)["access"]
    assert client.get(WHOAMI, **bearer(access)).status_code == 200

    alice.is_active = False
    alice.save()

    assert_problem(client.get(WHOAMI, **bearer(access)), 401, "user_inactive")


def test_a_password_change_ends_earlier_tokens(client, alice):
    access = issue_tokens(alice)["access"]

    alice.set_password("a new password, just as long")
    alice.save()

    assert_problem(client.get(WHOAMI, **bearer(access)), 401, "password_changed")


def test_a_refresh_token_issued_before_a_password_change_is_refused(client, alice):
    old = issue_tokens(alice)["refresh"]
    alice.set_password("a new password, just as long")
    alice.save()

    assert_problem(client.post(REFRESH, {"refresh": old}, format="json"), 401, "password_changed")
    # One issued after the change still refreshes.
    new = issue_tokens(alice)["refresh"]
    assert client.post(REFRESH, {"refresh": new}, format="json").status_code == 200


def test_a_deleted_users_token_is_refused(client, alice):
    tokens = issue_tokens(alice)
    alice.delete()

    assert client.get(WHOAMI, **bearer(tokens["access"])).status_code == 401
    assert client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json").status_code == 401


def test_refresh_rotates_and_the_used_refresh_token_is_blacklisted(client, alice):
    tokens = issue_tokens(alice)

    response = client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json")

    assert response.status_code == 200
    renewed = response.json()
    assert renewed["refresh"] != tokens["refresh"]
    assert client.get(WHOAMI, **bearer(renewed["access"])).status_code == 200
    assert_problem(client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json"), 401, "token_not_valid")


def test_refresh_refuses_a_deactivated_user(client, alice):
    refresh = issue_tokens(alice)["refresh"]
    alice.is_active = False
    alice.save()

    assert_problem(client.post(REFRESH, {"refresh": refresh}, format="json"), 401, "no_active_account")


def test_refresh_refuses_an_access_token(client, alice):
    access = issue_tokens(alice)["access"]

    assert_problem(client.post(REFRESH, {"refresh": access}, format="json"), 401, "token_not_valid")


def test_logout_blacklists_the_refresh_token(client, alice):
    tokens = issue_tokens(alice)

    assert client.post(LOGOUT, {"refresh": tokens["refresh"]}, format="json").status_code == 204

    assert_problem(client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json"), 401, "token_not_valid")
    assert client.post(VERIFY, {"token": tokens["refresh"]}, format="json").status_code == 400  # "blacklisted": a bad token, not bad credentials
    assert_problem(client.post(LOGOUT, {"refresh": tokens["refresh"]}, format="json"), 401, "token_not_valid")


def test_logout_needs_a_refresh_token(client):
    assert_problem(client.post(LOGOUT, {}, format="json"), 400, "validation_error")


def test_verify(client, alice):
    access = issue_tokens(alice)["access"]

    assert client.post(VERIFY, {"token": access}, format="json").status_code == 200
    assert_problem(client.post(VERIFY, {"token": access[:-2]}, format="json"), 401, "token_not_valid")


def test_a_bad_bearer_token_is_refused_even_with_a_signed_in_session(client, alice):
    client.force_login(alice)

    response = client.get(WHOAMI, HTTP_AUTHORIZATION="Bearer not-a-token")

    assert response.status_code == 401


def test_tokens_are_stateless_beyond_the_user_row(client, alice, django_assert_num_queries):
    access = issue_tokens(alice)["access"]

    with django_assert_num_queries(1):  # the user, for is_active: no session, no password hashing
        assert client.get(WHOAMI, **bearer(access)).status_code == 200


def test_refresh_token_lifetime_comes_from_the_settings(alice):
    refresh = RefreshToken(issue_tokens(alice)["refresh"])

    assert refresh["exp"] - refresh["iat"] == settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"].total_seconds()


@pytest.fixture
def decodes(monkeypatch):
    """The tokens simplejwt decodes (and checks the signature of)."""
    from rest_framework_simplejwt.backends import TokenBackend

    made = []
    decode = TokenBackend.decode

    def counting(self, token, verify=True):
        made.append(token)
        return decode(self, token, verify=verify)

    monkeypatch.setattr(TokenBackend, "decode", counting)
    return made


def test_a_token_used_again_is_not_decoded_again(client, alice, decodes):
    access = issue_tokens(alice)["access"]

    statuses = [client.get(WHOAMI, **bearer(access)).status_code for _ in range(3)]

    assert statuses == [200, 200, 200]
    assert len(decodes) == 1


def test_a_token_validated_before_is_refused_once_expired(client, alice, monkeypatch):
    access = issue_tokens(alice)["access"]
    assert client.get(WHOAMI, **bearer(access)).status_code == 200
    later = timezone.now() + settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"] + timedelta(seconds=1)
    monkeypatch.setattr("framework.auth.backends.jwt.aware_utcnow", lambda: later)

    assert_refused(client.get(WHOAMI, **bearer(access)))


def test_a_change_of_the_jwt_settings_validates_every_token_again(client, alice, settings, decodes):
    access = issue_tokens(alice)["access"]
    assert client.get(WHOAMI, **bearer(access)).status_code == 200

    settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "LEEWAY": 0}

    assert client.get(WHOAMI, **bearer(access)).status_code == 200
    assert len(decodes) == 2


class ProjectAccessToken(AccessToken):
    """A project's token class: its checks are its own, so it is validated on every request."""


def test_a_projects_token_class_is_validated_on_every_request(client, alice, monkeypatch, decodes):
    from rest_framework_simplejwt.authentication import api_settings

    monkeypatch.setattr(api_settings, "AUTH_TOKEN_CLASSES", [ProjectAccessToken])
    access = issue_tokens(alice)["access"]

    statuses = [client.get(WHOAMI, **bearer(access)).status_code for _ in range(2)]

    assert statuses == [200, 200]
    assert len(decodes) == 2
