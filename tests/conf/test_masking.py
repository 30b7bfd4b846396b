import pytest

"""The one masker (framework/conf/masking.py): keys in structures and text, and URL passwords."""

from framework.conf import masking
from framework.conf.masking import MASK, Masker, mask_url

masker = Masker()


@pytest.mark.parametrize(
    "key",
    [
        "password", "Password", "new_password", "newPassword", "new-password", "passwd", "pwd",
        "secret", "client_secret", "clientSecret", "SECRET_KEY", "token", "access_token", "refreshToken",
        "csrfmiddlewaretoken", "access", "refresh", "authorization", "Authorization", "HTTP_AUTHORIZATION",
        "api_key", "apiKey", "api-key", "X-Api-Key", "cookie", "Cookie", "HTTP_COOKIE", "Set-Cookie",
        "card_number", "cardNumber", "card-number", "account_number", "accountNumber", "cvv", "CVV",
    ],
)
def test_sensitive_keys_in_every_case(key):
    assert masker.is_sensitive(key)


@pytest.mark.parametrize("key", ["username", "email", "last_access", "title", "status", "path", "author"])
def test_ordinary_keys_are_left_alone(key):
    assert not masker.is_sensitive(key)


def test_nested_dicts_and_lists_are_masked_without_changing_the_original():
    original = {"user": "ann", "password": "hunter2", "nested": {"apiKey": "k-123-secret", "items": [{"token": "t1"}, "x"]}}

    masked = masker.mask(original)

    assert masked == {"user": "ann", "password": MASK, "nested": {"apiKey": MASK, "items": [{"token": MASK}, "x"]}}
    assert original["password"] == "hunter2"


def test_a_sensitive_key_masks_a_whole_structure():
    assert masker.mask({"secret": {"a": 1}}) == {"secret": MASK}


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("login with password=hunter2 from 10.0.0.1", "hunter2"),
        ("{'password': 'hunter2', 'user': 'ann'}", "hunter2"),
        ('{"nested": {"apiKey": "k-123-secret"}}', "k-123-secret"),
        ("Authorization: Bearer eyJhbGciOi.payload.sig", "eyJhbGciOi"),
        ("Cookie: sessionid=abc123; csrftoken=def456", "abc123"),
        ("Cookie: sessionid=abc123; csrftoken=def456", "def456"),
        ("GET /callback?code=1&access_token=zzz-top&x=1", "zzz-top"),
        ("could not connect to postgres://admin:s3cr3t@db:5432/app", "s3cr3t"),
    ],
)
def test_values_in_text_are_masked(text, hidden):
    masked = masker.mask_text(text)

    assert hidden not in masked
    assert MASK in masked


def test_text_without_secrets_is_unchanged():
    text = "GET /api/v1/notes/ 200 in 3.1ms: user=ann, status=ok"

    assert masker.mask_text(text) == text


def test_a_projects_own_keys_in_every_case():
    own = Masker(["national_id"])

    assert own.mask({"nationalId": "123", "national-id": "456", "NATIONAL_ID_NUMBER": "789"}) == {
        "nationalId": MASK, "national-id": MASK, "NATIONAL_ID_NUMBER": MASK,
    }
    assert not masker.is_sensitive("nationalId")


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgres://app:s3cret@db:5432/app", "postgres://app:********@db:5432/app"),
        ("redis://:s3cret@cache:6379/0", "redis://:********@cache:6379/0"),
        ("redis://cache:6379/0", "redis://cache:6379/0"),
        ("postgres://app:s3cr/et#x?y@db:5432/app", "postgres://app:********@db:5432/app"),
        ("redis://:pa#ss@[db/0", "redis://:********@[db/0"),
        ("postgres://app@db/app", "postgres://app@db/app"),
        ("not a url", "not a url"),
    ],
)
def test_mask_url(url, masked):
    assert mask_url(url) == masked


#: Passwords with each character that ends a naive parse of a URL, unencoded, and one percent-encoded.
AWKWARD_PASSWORDS = ["pa/ss", "p@ss", "pa:ss", "pa%2Fss", "p%@:/s"]


@pytest.mark.parametrize("password", AWKWARD_PASSWORDS)
def test_a_url_password_with_slash_at_colon_or_percent_is_masked(password):
    url = f"redis://user:{password}@cache.internal:6379/0"

    assert mask_url(url) == "redis://user:********@cache.internal:6379/0"
    assert masker.mask_text(f"cannot connect to {url}: refused") == (
        "cannot connect to redis://user:********@cache.internal:6379/0: refused"
    )


@pytest.mark.parametrize("password", AWKWARD_PASSWORDS)
def test_each_url_of_a_list_keeps_its_host(password):
    location = f"redis://u:{password}@one:6379/0,redis://u:{password}@two:6379/0"

    assert mask_url(location) == "redis://u:********@one:6379/0,redis://u:********@two:6379/0"


def test_logging_re_exports_the_one_masker():
    from framework.logging import masking as logging_masking

    assert logging_masking.Masker is masking.Masker
    assert logging_masking.MASK is masking.MASK


def test_keys_are_judged_alike_however_many_were_seen_before():
    masker = Masker(["shelf_code"])
    # More distinct keys than the masker keeps answers for (keys may come from a request's data).
    masker.mask({f"field_{number}": "x" for number in range(5000)})

    masked = masker.mask({"password": "p", "Shelf-Code": "s", "name": "n", "field_4999": "x"})

    assert masked == {"password": MASK, "Shelf-Code": MASK, "name": "n", "field_4999": "x"}
    assert len(masker._sensitive) <= masking._MAX_KEYS_KEPT
