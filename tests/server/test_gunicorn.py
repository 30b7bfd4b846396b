import logging

from framework.server.gunicorn import Server, ServerLog, cpu_count, options


def test_options_come_from_the_server_settings(settings):
    settings.FRAMEWORK = {
        "HOST": "0.0.0.0", "PORT": 9000, "WEB_CONCURRENCY": 3, "WEB_THREADS": 1, "WEB_TIMEOUT": 20,
        "WEB_GRACEFUL_TIMEOUT": 25, "WEB_KEEPALIVE": 4, "WEB_MAX_REQUESTS": 500, "WEB_MAX_REQUESTS_JITTER": 50,
    }

    config = options()

    assert config["bind"] == ["0.0.0.0:9000"]
    assert (config["workers"], config["threads"]) == (3, 1)
    assert config["worker_class"] == "framework.server.worker.BufferingWorker"
    assert (config["timeout"], config["graceful_timeout"], config["keepalive"]) == (20, 25, 4)
    assert (config["max_requests"], config["max_requests_jitter"]) == (500, 50)
    assert config["accesslog"] is None
    assert config["logconfig_dict"]["loggers"]["gunicorn.error"]["propagate"] is True


def test_ipv6_hosts_are_bracketed(settings):
    settings.FRAMEWORK = {"HOST": "::", "PORT": 8000, "WEB_THREADS": 4}

    config = options()

    assert config["bind"] == ["[::]:8000"] and config["threads"] == 4


def test_workers_default_to_two_per_core_plus_one(settings):
    settings.FRAMEWORK = {"WEB_CONCURRENCY": None}

    assert options()["workers"] == 2 * cpu_count() + 1


def test_gunicorn_accepts_every_option(settings):
    config = options()
    server = Server(config)

    assert server.cfg.workers == config["workers"]
    assert server.cfg.max_requests == settings.FRAMEWORK["WEB_MAX_REQUESTS"]
    assert server.cfg.worker_abort.__name__ == "worker_abort"


def test_the_master_loads_the_project_and_closes_its_connections_before_each_fork(settings):
    server = Server(options())

    assert server.cfg.preload_app is True
    assert server.cfg.pre_fork.__name__ == "before_fork"


def test_gunicorn_builds_and_writes_no_access_line_of_its_own(caplog):
    server = Server(options())
    log = server.cfg.logger_class(server.cfg)

    with caplog.at_level(logging.DEBUG, logger="gunicorn.access"):
        # The fields gunicorn would read of the response and request: none is touched.
        log.access(resp=None, req=None, environ={}, request_time=None)

    assert server.cfg.logger_class is ServerLog
    assert [record for record in caplog.records if record.name == "gunicorn.access"] == []
