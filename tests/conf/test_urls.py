import pytest

from framework.conf.urls import broker_url, cache_config, database_config, email_config


def test_postgres_url():
    config = database_config("postgres://app:pw@db.internal:6543/app", conn_max_age=60, conn_health_checks=True)

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"], config["PASSWORD"]) == (
        "db.internal", 6543, "app", "app", "pw",
    )
    assert (config["CONN_MAX_AGE"], config["CONN_HEALTH_CHECKS"]) == (60, True)


@pytest.mark.parametrize(
    ("url", "engine"),
    [("sqlite:////tmp/app.sqlite3", "django.db.backends.sqlite3"), ("mysql://u:p@h/db", "django.db.backends.mysql")],
)
def test_other_database_schemes(url, engine):
    assert database_config(url)["ENGINE"] == engine


def test_unknown_database_scheme_names_the_accepted_ones():
    with pytest.raises(ValueError, match=r"unknown scheme 'postgress' \(expected one of: postgres, postgresql, sqlite, mysql\)"):
        database_config("postgress://x")


def test_database_url_without_a_host_is_a_local_socket():
    config = database_config("postgres:///name")

    assert (config["HOST"], config["NAME"]) == ("", "name")


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("redis://127.0.0.1:6379/1", "framework.cache.backends.RedisCache", "redis://127.0.0.1:6379/1"),
        ("rediss://cache.example:6380/0", "framework.cache.backends.RedisCache", "rediss://cache.example:6380/0"),
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache", "default"),
        ("locmem://sessions", "django.core.cache.backends.locmem.LocMemCache", "sessions"),
        ("file:///var/tmp/cache", "django.core.cache.backends.filebased.FileBasedCache", "/var/tmp/cache"),
        ("dummy://", "django.core.cache.backends.dummy.DummyCache", None),
    ],
)
def test_cache_schemes(url, backend, location):
    config = cache_config(url, key_prefix="svc", timeout=60)

    assert config["BACKEND"] == backend
    assert config.get("LOCATION") == location
    assert (config["KEY_PREFIX"], config["TIMEOUT"]) == ("svc", 60)


def test_redis_cache_has_short_socket_timeouts():
    # An unreachable cache is answered as misses: it must not hold a request for long.
    options = cache_config("redis://127.0.0.1:6379/1")["OPTIONS"]

    assert options["socket_connect_timeout"] <= 1 and options["socket_timeout"] <= 1


def test_cache_url_with_a_bad_port():
    with pytest.raises(ValueError, match=r"the port is not a number"):
        cache_config("redis://:6379:bad")


@pytest.mark.parametrize("url", ["postgres://app:hunter2@db:xx/app", "postgres://app:hun/ter2@db:5432/app"])
def test_bad_port_message_leaves_out_the_password(url):
    with pytest.raises(ValueError) as caught:
        database_config(url)

    assert "hunter2" not in str(caught.value) and "hun" not in str(caught.value)


def test_unknown_cache_scheme():
    with pytest.raises(ValueError, match=r"unknown scheme 'memcache' \(expected one of: locmem, redis, rediss, file, dummy\)"):
        cache_config("memcache://x")


def test_file_cache_needs_a_path():
    with pytest.raises(ValueError, match="no path"):
        cache_config("file://")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example", {"EMAIL_HOST": "mail.example", "EMAIL_PORT": 25, "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False}),
        ("smtp+tls://u%40x:p%2Fw@mail.example", {"EMAIL_PORT": 587, "EMAIL_USE_TLS": True, "EMAIL_HOST_USER": "u@x", "EMAIL_HOST_PASSWORD": "p/w"}),
        ("smtp+ssl://mail.example:2465", {"EMAIL_PORT": 2465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False}),
    ],
)
def test_smtp_urls(url, expected):
    config = email_config(url)

    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert {key: config[key] for key in expected} == expected


@pytest.mark.parametrize("backend", ["console", "locmem"])
def test_local_email_backends(backend):
    assert email_config(f"{backend}://") == {"EMAIL_BACKEND": f"django.core.mail.backends.{backend}.EmailBackend"}


def test_file_email_backend():
    assert email_config("file:///tmp/mail")["EMAIL_FILE_PATH"] == "/tmp/mail"


def test_email_url_with_a_bad_port():
    with pytest.raises(ValueError, match="the port is not a number"):
        email_config("smtp://host:notaport")


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "rediss://r.example/0", "amqp://guest:guest@127.0.0.1:5672//", "filesystem://"])
def test_broker_urls(url):
    assert broker_url(url) == url


def test_unknown_broker_scheme():
    with pytest.raises(ValueError, match="unknown scheme 'sqs'"):
        broker_url("sqs://x")
