"""The template's Dockerfile, docker-compose.yml and .dockerignore: parsed (no Docker engine here), and
every `manage.py` command they run exists in the generated project."""

import json
import re
import shlex
import tomllib

import pytest
import yaml

from tests.e2e.conftest import manage

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def commands(project):
    result = manage(project, "help", "--commands")
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def named_commands(args):
    """The manage.py subcommands an argument list or a shell string runs."""
    words = shlex.split(args) if isinstance(args, str) else list(args)
    return {words[index + 1] for index, word in enumerate(words[:-1]) if word.endswith("manage.py")}


def instruction(dockerfile, name):
    return [line.split(None, 1)[1] for line in dockerfile.splitlines() if line.split(None, 1)[:1] == [name]]


@pytest.fixture(scope="module")
def dockerfile(project):
    # Continuation lines joined, as Docker reads them.
    return (project / "Dockerfile").read_text().replace("\\\n", " ")


@pytest.fixture(scope="module")
def compose(project):
    return yaml.safe_load((project / "docker-compose.yml").read_text())


def test_dockerfile_is_multi_stage_and_runs_as_a_user(dockerfile):
    stages = instruction(dockerfile, "FROM")
    assert len(stages) >= 2
    final_stage = dockerfile.split("\nFROM ")[-1]
    users = instruction(final_stage, "USER")
    assert users and users[-1].strip() not in ("root", "0")
    assert "--from=build" in final_stage


def test_dockerfile_serves_and_checks_health_with_existing_commands(dockerfile, commands):
    [cmd] = instruction(dockerfile, "CMD")
    assert json.loads(cmd) == ["python", "manage.py", "serve"]
    [healthcheck] = instruction(dockerfile, "HEALTHCHECK")
    check = json.loads(healthcheck.split("CMD", 1)[1])
    assert named_commands(check) == {"health"}

    named = named_commands(json.loads(cmd)) | named_commands(check)
    for line in instruction(dockerfile, "RUN"):
        named |= named_commands(line)
    assert "collectstatic" in named
    assert named <= commands


def test_compose_runs_web_worker_scheduler_with_postgresql_and_redis(compose, commands):
    services = compose["services"]
    assert {"web", "worker", "scheduler", "db", "redis"} <= set(services)
    assert services["db"]["image"].startswith("postgres")
    assert services["redis"]["image"].startswith("redis")
    for name in ("db", "redis"):
        assert services[name]["healthcheck"]["test"]

    assert named_commands(services["web"]["command"]) == {"serve"}
    assert named_commands(services["worker"]["command"]) == {"runworker"}
    assert named_commands(services["scheduler"]["command"]) == {"runscheduler"}
    assert named_commands(services["web"]["healthcheck"]["test"]) == {"health"}

    named = set().union(*(named_commands(service.get("command", [])) for service in services.values()))
    assert named <= commands, f"not commands of the project: {named - commands}"


def test_compose_starts_the_processes_once_their_services_are_healthy(compose):
    services = compose["services"]
    for name in ("web", "worker", "scheduler"):
        depends_on = services[name]["depends_on"]
        assert depends_on["db"]["condition"] == "service_healthy"
        assert depends_on["redis"]["condition"] == "service_healthy"
        assert depends_on["migrate"]["condition"] == "service_completed_successfully"
        environment = services[name]["environment"]
        assert environment["DEBUG"] == "false"
        assert environment["DATABASE_URL"].startswith("postgres://mysite:")
        assert environment["REDIS_URL"].startswith("redis://redis:")


def test_no_template_syntax_is_left_and_local_secrets_stay_out(project):
    for name in ("Dockerfile", "docker-compose.yml", ".dockerignore"):
        assert not re.search(r"{{|{%", (project / name).read_text()), name
    assert ".env" in (project / ".dockerignore").read_text().splitlines()


def test_the_image_gets_the_runtime_dependencies_and_development_the_test_tools(project, dockerfile):
    metadata = tomllib.loads((project / "pyproject.toml").read_text())

    assert [name for name in metadata["project"]["dependencies"] if "testing" in name or "pytest" in name] == []
    assert any(name.startswith("framework[testing]") for name in metadata["dependency-groups"]["dev"])
    # The build stage installs what [project] dependencies lists, and nothing of the dev group.
    assert "['project']['dependencies']" in dockerfile and "dependency-groups" not in dockerfile
