"""The metrics settings: who may read the metrics, and the workers' port."""

from framework.conf.schemas import MetricsSettings

from .conftest import load_from, problems_of


def test_the_metrics_are_closed_and_the_workers_serve_none_by_default():
    metrics = load_from()[MetricsSettings]

    assert metrics.framework_values() == {"METRICS_ALLOWED_ADDRESSES": [], "METRICS_TOKEN": None, "WORKER_METRICS_PORT": None}


def test_the_allow_list_takes_addresses_and_networks_of_both_families():
    metrics = load_from(METRICS_ALLOWED_ADDRESSES="10.0.0.0/8, 192.168.1.5,fd00::/8")[MetricsSettings]

    assert metrics.METRICS_ALLOWED_ADDRESSES == ["10.0.0.0/8", "192.168.1.5", "fd00::/8"]


def test_a_malformed_allow_list_entry_is_a_problem_naming_it_with_the_other_problems():
    problems = problems_of(METRICS_ALLOWED_ADDRESSES="10.0.0.0/8,10.0.0.300", WEB_THREADS="many")
    problem = problems["METRICS_ALLOWED_ADDRESSES"]

    assert set(problems) == {"METRICS_ALLOWED_ADDRESSES", "WEB_THREADS"}  # one start-up report, not the first alone
    assert "'10.0.0.300' is not an IP address or network" in problem
    assert "10.0.0.0/8" in problem  # the form expected


def test_the_token_is_read_from_its_file(tmp_path):
    secret = tmp_path / "metrics-token"
    secret.write_text("s3cret-scrape-token\n")

    assert load_from(METRICS_TOKEN_FILE=str(secret))[MetricsSettings].METRICS_TOKEN == "s3cret-scrape-token"


def test_the_token_is_a_secret():
    assert MetricsSettings.is_secret("METRICS_TOKEN")
    assert "s3cret" not in repr(load_from(METRICS_TOKEN="s3cret-scrape-token")[MetricsSettings])


def test_the_workers_port_must_be_a_port():
    assert "less than or equal to 65535" in problems_of(WORKER_METRICS_PORT="70000")["WORKER_METRICS_PORT"]
