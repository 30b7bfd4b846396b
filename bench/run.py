#!/usr/bin/env python
"""The framework against plain Django + DRF, Django Ninja and plain Celery, side by side: `python bench/run.py --help`.

Sets up the projects in a temporary folder, serves each under gunicorn with
as many workers (the framework's by `manage.py serve`, unless
`--framework-server gunicorn`), drives them with wrk in alternating runs, and writes the
figures to bench/results/latest.json (a short table goes to stdout).
docs/performance.md explains each scenario.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

# Run as a script: import the `bench` package from the repository, not bench/'s modules as top-level names.
ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path.pop(0)
sys.path.insert(0, str(ROOT))

from bench import load, projects, scenarios  # noqa: E402
from bench.projects import Project, Server  # noqa: E402
from bench.scenarios import SCENARIOS, UNAVAILABLE, Credentials, FeatureError, Scenario  # noqa: E402
from bench.taskqueue import TaskTarget  # noqa: E402

RESULTS = ROOT / "bench" / "results"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/fw_bench"
REDIS_FRAMEWORK = "redis://127.0.0.1:6379/14"
REDIS_BASELINE = "redis://127.0.0.1:6379/15"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run.py", description="Benchmark the framework against plain Django + DRF and plain Celery."
    )
    parser.add_argument("--smoke", action="store_true", help="one short run per scenario: checks that everything works, measures nothing")
    parser.add_argument(
        "--postgres", nargs="?", const=DEFAULT_POSTGRES, metavar="URL",
        help=f"use PostgreSQL: databases URL_framework, URL_baseline and URL_ninja are created (default URL: {DEFAULT_POSTGRES})",
    )
    parser.add_argument("--runs", type=int, default=3, help="measured runs per scenario and server (median reported; default 3)")
    parser.add_argument("--duration", type=int, default=5, help="seconds per run (default 5)")
    parser.add_argument("--workers", type=int, help="gunicorn workers per server (default: CPU count; 1 with --smoke)")
    parser.add_argument("--concurrency", type=int, default=2, help="Celery worker processes per worker (default 2; 1 with --smoke)")
    parser.add_argument("--connections", type=int, help="open wrk connections (default: 2 per worker)")
    parser.add_argument("--calls", type=int, default=500, help="sequential task round trips per run (default 500)")
    parser.add_argument("--tasks", type=int, default=5000, help="tasks sent at once for the throughput (default 5000)")
    parser.add_argument("--redis-framework", default=REDIS_FRAMEWORK, help=f"Redis database of the framework's tasks (default {REDIS_FRAMEWORK})")
    parser.add_argument("--redis-baseline", default=REDIS_BASELINE, help=f"Redis database of plain Celery's tasks (default {REDIS_BASELINE})")
    parser.add_argument("--only", help="comma-separated scenario names (and/or: tasks, startup, metrics) to run")
    parser.add_argument("--output", type=Path, help="results file (default bench/results/latest.json; smoke.json with --smoke)")
    parser.add_argument(
        "--framework-server", choices=("serve", "gunicorn"), default="serve",
        help="serve the framework's project by manage.py serve, as in production (default), or by gunicorn's defaults as the baselines are",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder (projects, databases, server logs)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.runs, args.duration, args.calls, args.tasks, args.concurrency = 1, 1, 10, 50, 1
    args.workers = args.workers or (1 if args.smoke else os.cpu_count() or 1)
    args.connections = args.connections or 2 * args.workers
    args.output = args.output or RESULTS / ("smoke.json" if args.smoke else "latest.json")
    args.only = set(args.only.split(",")) if args.only else None
    for name in (args.only or ()):
        if name not in {s.name for s in SCENARIOS} | {"tasks", "startup", "metrics"}:
            parser.error(f"--only: unknown scenario {name!r} (expected: {', '.join(s.name for s in SCENARIOS)}, tasks, startup, metrics)")
    return args


STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:5.1f}s] {message}", file=sys.stderr, flush=True)


def median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a and b else None


def machine() -> dict:
    import django
    import rest_framework

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    return {
        "cpu": cpu, "cores": os.cpu_count(), "system": platform.platform(), "python": platform.python_version(),
        "django": django.get_version(), "djangorestframework": rest_framework.VERSION,
    }


# -- HTTP -----------------------------------------------------------------------------------------

def measure_scenario(scenario: Scenario, servers: dict[str, Server], credentials: Credentials, args, folder: Path) -> dict:
    """Alternating runs: each round runs every server once, in an order rotated per round."""
    targets = list(scenario.targets) + (["ninja"] if scenario.peer and "ninja" in servers else [])
    runs: dict[str, list[load.Run]] = {target: [] for target in targets}
    def warm_up(target: str) -> None:
        load.run(servers[target].url, credentials.request(scenario, target), seconds=1, connections=args.connections, folder=folder)

    # A short unrecorded run first: warm caches, connections (a first task sent opens the broker's) and
    # the CPU; in smoke mode too, all at once, so that a one-second run is not all first requests.
    if args.smoke:
        with ThreadPoolExecutor(len(targets)) as pool:
            list(pool.map(warm_up, targets))
    else:
        for target in targets:
            warm_up(target)
    def measure(target: str) -> None:
        runs[target].append(load.run(servers[target].url, credentials.request(scenario, target),
                                     seconds=args.duration, connections=args.connections, folder=folder))

    for round_ in range(args.runs):
        order = targets[round_ % len(targets):] + targets[:round_ % len(targets)]
        if args.smoke:  # nothing is measured: all servers at once, to finish sooner
            with ThreadPoolExecutor(len(order)) as pool:
                list(pool.map(measure, order))
        else:
            for target in order:
                measure(target)
    result: dict = {"description": scenario.description, "targets": {}}
    failed = {target: sum(run.failed for run in target_runs) for target, target_runs in runs.items()}
    for target, target_runs in runs.items():
        result["targets"][target] = {
            "rps": median([run.rps for run in target_runs]),
            "p50_ms": median([run.p50_ms for run in target_runs]),
            "p99_ms": median([run.p99_ms for run in target_runs]),
            "worker_ms": round(1000 * args.workers / median([run.rps for run in target_runs]), 3) if all(r.rps for r in target_runs) else None,
            "runs": [run.as_dict() for run in target_runs],
        }
    if any(failed.values()):
        result["status"] = "error: " + ", ".join(f"{target}: {count} failed requests" for target, count in failed.items() if count)
    else:
        result["status"] = "ok"
    figures = result["targets"]
    if scenario.targets == scenarios.AGAINST_BASELINES:
        fw, base, tuned = (figures[t] for t in scenario.targets)
        result["ratios"] = {
            "rps_vs_baseline": ratio(fw["rps"], base["rps"]),
            "rps_vs_tuned": ratio(fw["rps"], tuned["rps"]),
            "p99_vs_tuned": ratio(fw["p99_ms"], tuned["p99_ms"]),
        }
        if "ninja" in figures:
            result["ratios"]["rps_vs_ninja"] = ratio(fw["rps"], figures["ninja"]["rps"])
            result["ratios"]["p99_vs_ninja"] = ratio(fw["p99_ms"], figures["ninja"]["p99_ms"])
            result["ratios"]["ninja_rps_vs_tuned"] = ratio(figures["ninja"]["rps"], tuned["rps"])
    else:
        result["ratios"] = {"rps_cached_vs_uncached": ratio(figures["framework_cached"]["rps"], figures["framework"]["rps"])}
    return result


def detect_features(framework: Project, server: Server) -> dict[str, object]:
    """Which optional features the framework has: True, False (missing) or a FeatureError (broken)."""
    checks = {
        "jwt": lambda: scenarios.jwt(server) is not None,
        "api_key": lambda: scenarios.api_key(framework),
        "health": lambda: scenarios.has_health(server),
        "cache": lambda: scenarios.has_cache(framework),
    }
    features: dict[str, object] = {}
    for name, check in checks.items():
        try:
            features[name] = check()
        except (FeatureError, RuntimeError) as error:
            features[name] = FeatureError(str(error))
    return features


def drop_queued_tasks(redis_url: str) -> None:
    """Drop the tasks `create` sent to Celery's default queue in `redis_url`: no worker is to run them."""
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_timeout=5).delete("celery")
    except redis.RedisError as error:
        say(f"could not empty the task queue of {redis_url}: {error}")


def http_benchmarks(framework: Project, baseline: Project, ninja: Project | None, args, workdir: Path) -> tuple[dict, dict]:
    wanted = [s for s in SCENARIOS if args.only is None or s.name in args.only]
    servers = {
        # The framework caches the notes list per user: against the baselines, which
        # cache nothing, it runs with a cache that stores nothing (`cached_list`
        # measures the cache on its own).
        # A note written by `create` sends its word-count task on each side, to its own Redis database
        # (no worker runs them: the queue is dropped afterwards).
        "framework": Server("framework", framework, workers=args.workers, log=workdir / "framework.log",
                            serve=args.framework_server == "serve", CACHE_URL="dummy://",
                            CELERY_BROKER_URL=args.redis_framework),
        "baseline": Server("baseline", baseline, workers=args.workers, log=workdir / "baseline.log",
                           CELERY_BROKER_URL=args.redis_baseline),
        "baseline_tuned": Server("baseline_tuned", baseline, workers=args.workers, log=workdir / "baseline_tuned.log",
                                 DJANGO_SETTINGS_MODULE="baseline.settings_tuned", CELERY_BROKER_URL=args.redis_baseline),
    }
    if ninja is not None:
        servers["ninja"] = Server("ninja", ninja, workers=args.workers, log=workdir / "ninja.log")
    results: dict = {}
    memory: dict = {}
    try:
        for server in servers.values():
            server.start()
        for server in servers.values():
            server.wait_ready()
        say("checking which features the framework has")
        features = detect_features(framework, servers["framework"])
        credentials = Credentials(servers)
        if features["api_key"] and not isinstance(features["api_key"], Exception):
            credentials.api_keys["framework"] = features["api_key"]
        if features["cache"] is True and any(s.targets != scenarios.AGAINST_BASELINES for s in wanted):
            # The same project with its default cache (local memory), for `cached_list`.
            cached = Server("framework_cached", framework, workers=args.workers, log=workdir / "framework_cached.log",
                            serve=args.framework_server == "serve")
            servers["framework_cached"] = cached
            cached.start()
            cached.wait_ready()
        for scenario in wanted:
            feature = features.get(scenario.feature) if scenario.feature else True
            if isinstance(feature, Exception):
                results[scenario.name] = {"description": scenario.description, "status": f"error: {feature}"}
            elif not feature:
                results[scenario.name] = {"description": scenario.description, "status": UNAVAILABLE}
            else:
                say(f"scenario {scenario.name}: {scenario.description}")
                try:
                    results[scenario.name] = measure_scenario(scenario, servers, credentials, args, workdir)
                except (RuntimeError, FeatureError) as error:
                    results[scenario.name] = {"description": scenario.description, "status": f"error: {error}"}
            say(f"  {results[scenario.name]['status']}")
        for label in ("framework", "baseline", "baseline_tuned", "ninja"):
            if label in servers:
                memory[label + "_worker_rss_mb"] = servers[label].worker_rss_mb()
                memory[label + "_worker_private_mb"] = servers[label].worker_private_mb()
        for kind in ("rss", "private"):
            framework_mb, baseline_mb = memory[f"framework_worker_{kind}_mb"], memory[f"baseline_worker_{kind}_mb"]
            memory[f"{kind}_difference_mb"] = round(framework_mb - baseline_mb, 1) if framework_mb and baseline_mb else None
    finally:
        for server in servers.values():
            server.terminate()
        for server in servers.values():
            server.stop()
        for url in (args.redis_framework, args.redis_baseline):
            drop_queued_tasks(url)
    for name, auth in (("list_jwt", "jwt"), ("list_api_key", "api_key"), ("list_session", "session")):
        # What authenticating adds: the authenticated list's worker time per request minus the public list's.
        if results.get(name, {}).get("status") == "ok" and results.get("list", {}).get("status") == "ok":
            results[name]["auth_added_ms"] = {
                target: round(results[name]["targets"][target]["worker_ms"] - results["list"]["targets"][target]["worker_ms"], 3)
                for target in results[name]["targets"] if target in results["list"]["targets"]
            }
    return results, memory


# -- Start-up and tasks ------------------------------------------------------------------------------

def startup(framework: Project, baseline: Project, args) -> dict:
    """Wall time of `manage.py check`, alternating between the projects."""
    times: dict[str, list[float]] = {"framework": [], "baseline": []}
    def check(project: Project) -> None:
        start = time.perf_counter()
        project.must("check")
        times[project.label].append(time.perf_counter() - start)

    if args.smoke:  # nothing is measured: both at once, to finish sooner
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(check, (framework, baseline)))
    for _ in range(0 if args.smoke else 5):
        for project in (framework, baseline):
            check(project)
    result = {f"{label}_s": median(values) for label, values in times.items()}
    result["ratio"] = ratio(result["framework_s"], result["baseline_s"])
    result["status"] = "ok"
    return result


REDIS_MISSING = "error: Redis is not reachable at 127.0.0.1:6379 (the task benchmark needs it)"


def start_task_workers(framework: Project, baseline: Project, args, workdir: Path) -> list[TaskTarget]:
    """Both Celery workers, started early: they boot while the HTTP scenarios run, then wait idle."""
    if not projects.reachable("127.0.0.1", 6379):
        return []
    targets = [
        TaskTarget("framework", framework, redis_url=args.redis_framework, task="benchmark.tasks.noop",
                   concurrency=args.concurrency, log=workdir / "worker-framework.log"),
        TaskTarget("baseline", baseline, redis_url=args.redis_baseline, task="notes.tasks.noop",
                   concurrency=args.concurrency, log=workdir / "worker-baseline.log"),
    ]
    for target in targets:
        target.start_worker()
    return targets


def task_benchmarks(targets: list[TaskTarget], args) -> dict:
    if not targets:
        return {"status": REDIS_MISSING}
    runs: dict[str, list[dict]] = {target.label: [] for target in targets}

    def measure(target: TaskTarget) -> None:
        runs[target.label].append(target.measure(calls=args.calls, tasks=args.tasks, warmup=3 if args.smoke else 20))

    try:
        for round_ in range(args.runs):
            order = targets[round_ % 2:] + targets[:round_ % 2]
            say(f"tasks: run {round_ + 1} ({', '.join(target.label for target in order)})")
            if args.smoke:  # nothing is measured: both at once, to finish sooner
                with ThreadPoolExecutor(2) as pool:
                    list(pool.map(measure, order))
            else:
                for target in order:
                    measure(target)
    except RuntimeError as error:
        return {"status": f"error: {error}"}
    result: dict = {"status": "ok", "calls": args.calls, "tasks": args.tasks, "targets": {}}
    for label, target_runs in runs.items():
        result["targets"][label] = {
            "decorator": target_runs[0]["decorator"],
            "roundtrip_p50_ms": median([run["p50_ms"] for run in target_runs]),
            "roundtrip_p99_ms": median([run["p99_ms"] for run in target_runs]),
            "tasks_per_s": median([run["tasks_per_s"] for run in target_runs]),
            "runs": target_runs,
        }
    fw, base = result["targets"]["framework"], result["targets"]["baseline"]
    result["ratios"] = {
        "roundtrip_p50": ratio(fw["roundtrip_p50_ms"], base["roundtrip_p50_ms"]),
        "roundtrip_p99": ratio(fw["roundtrip_p99_ms"], base["roundtrip_p99_ms"]),
        "throughput": ratio(fw["tasks_per_s"], base["tasks_per_s"]),
    }
    return result


def metrics_overhead(args) -> dict:
    """bench/metrics_overhead.py, in a process of its own (prometheus-client's mode is chosen at its import)."""
    import subprocess

    script = Path(__file__).resolve().parent / "metrics_overhead.py"
    run = subprocess.run(
        [sys.executable, str(script), "--json", "--rounds", "10" if args.smoke else "200"],
        capture_output=True, text=True, timeout=600,
    )
    if run.returncode != 0:
        return {"status": f"error: {run.stderr.strip().splitlines()[-1] if run.stderr.strip() else run.returncode}"}
    return {"status": "ok", **json.loads(run.stdout.splitlines()[-1])}


# -- Report -----------------------------------------------------------------------------------------

def fmt(value, spec: str = ".0f") -> str:
    return "-" if value is None else format(value, spec)


def table(results: dict) -> str:
    lines = [
        f"{'scenario':<14}{'framework':>11}{'baseline':>10}{'tuned':>9}{'fw/base':>9}{'fw/tuned':>10}"
        f"{'p50 fw/tuned ms':>18}{'p99 fw/tuned ms':>18}{'ninja':>8}{'fw/ninja':>10}{'p99 ninja ms':>14}",
        "  (requests/s; baseline: Django defaults, CONN_MAX_AGE=0; tuned: CONN_MAX_AGE=60 + health checks;"
        " ninja: Django Ninja, as tuned)",
        "  (framework: manage.py serve; baseline, tuned and ninja: gunicorn's defaults, sync workers)"
        if results["config"].get("framework_server", "serve") == "serve" else "  (every project: gunicorn's defaults, sync workers)",
    ]
    for name, scenario in results["http"].items():
        if scenario["status"] != "ok":
            lines.append(f"{name:<14}{scenario['status']}")
            continue
        figures, ratios = scenario["targets"], scenario["ratios"]
        if "rps_cached_vs_uncached" in ratios:
            cached, uncached = figures["framework_cached"], figures["framework"]
            lines.append(f"{name:<14}{fmt(cached['rps']):>11}  uncached {fmt(uncached['rps'])} req/s: "
                         f"cached/uncached {fmt(ratios['rps_cached_vs_uncached'], '.2f')}x")
            continue
        fw, base, tuned = figures["framework"], figures["baseline"], figures["baseline_tuned"]
        lines.append(
            f"{name:<14}{fmt(fw['rps']):>11}{fmt(base['rps']):>10}{fmt(tuned['rps']):>9}"
            f"{fmt(ratios['rps_vs_baseline'], '.2f'):>8}x{fmt(ratios['rps_vs_tuned'], '.2f'):>9}x"
            f"{fmt(fw['p50_ms'], '.1f') + '/' + fmt(tuned['p50_ms'], '.1f'):>18}"
            f"{fmt(fw['p99_ms'], '.1f') + '/' + fmt(tuned['p99_ms'], '.1f'):>18}"
            + (f"{fmt(figures['ninja']['rps']):>8}{fmt(ratios['rps_vs_ninja'], '.2f'):>9}x{fmt(figures['ninja']['p99_ms'], '.1f'):>14}"
               if "ninja" in figures else "")
        )
        if "auth_added_ms" in scenario:
            added = scenario["auth_added_ms"]
            ninja_added = f", ninja: {fmt(added['ninja'], '.2f')}" if "ninja" in added else ""
            lines.append(f"{'':<14}auth adds {fmt(added['framework'], '.2f')} ms/request (tuned baseline: {fmt(added['baseline_tuned'], '.2f')}{ninja_added})")
    tasks = results.get("tasks")
    if tasks:
        if tasks["status"] != "ok":
            lines.append(f"{'tasks':<14}{tasks['status']}")
        else:
            fw, base, r = tasks["targets"]["framework"], tasks["targets"]["baseline"], tasks["ratios"]
            lines.append(f"{'task p50 ms':<14}{fmt(fw['roundtrip_p50_ms'], '.2f'):>11}{fmt(base['roundtrip_p50_ms'], '.2f'):>10}{'':>9}{fmt(r['roundtrip_p50'], '.2f'):>8}x")
            lines.append(f"{'task p99 ms':<14}{fmt(fw['roundtrip_p99_ms'], '.2f'):>11}{fmt(base['roundtrip_p99_ms'], '.2f'):>10}{'':>9}{fmt(r['roundtrip_p99'], '.2f'):>8}x")
            lines.append(f"{'tasks/s':<14}{fmt(fw['tasks_per_s']):>11}{fmt(base['tasks_per_s']):>10}{'':>9}{fmt(r['throughput'], '.2f'):>8}x")
    memory = results.get("memory")
    if memory and memory.get("framework_worker_rss_mb"):
        lines.append(f"{'worker RSS MB':<14}{fmt(memory['framework_worker_rss_mb'], '.1f'):>11}{fmt(memory['baseline_worker_rss_mb'], '.1f'):>10}"
                     f"{fmt(memory['baseline_tuned_worker_rss_mb'], '.1f'):>9}   framework - baseline: {fmt(memory['rss_difference_mb'], '+.1f')} MB"
                     + (f"; ninja {fmt(memory['ninja_worker_rss_mb'], '.1f')}" if memory.get("ninja_worker_rss_mb") else ""))
    if memory and memory.get("framework_worker_private_mb"):
        lines.append(f"{'worker USS MB':<14}{fmt(memory['framework_worker_private_mb'], '.1f'):>11}{fmt(memory['baseline_worker_private_mb'], '.1f'):>10}"
                     f"{fmt(memory['baseline_tuned_worker_private_mb'], '.1f'):>9}   framework - baseline: {fmt(memory['private_difference_mb'], '+.1f')} MB"
                     + (f"; ninja {fmt(memory['ninja_worker_private_mb'], '.1f')}" if memory.get("ninja_worker_private_mb") else "")
                     + " (private: not shared with the master)")
    metrics = results.get("metrics")
    if metrics:
        lines.append(f"{'metrics':<14}{metrics['status']}" if metrics["status"] != "ok" else
                     f"{'metrics ms':<14}{fmt(metrics['added_ms'], '.4f'):>11}   added per request (budget {metrics['budget_ms']} ms)")
    start = results.get("startup")
    if start:
        lines.append(f"{'check s':<14}{fmt(start['framework_s'], '.2f'):>11}{fmt(start['baseline_s'], '.2f'):>10}{'':>9}{fmt(start['ratio'], '.2f'):>8}x")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    load.require_wrk()
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="fw-bench-"))
    workers: list[TaskTarget] = []
    # The Django Ninja peer runs when django-ninja is installed (the dev extra has it).
    try:
        with_ninja = bool(importlib.metadata.version("django-ninja"))
    except importlib.metadata.PackageNotFoundError:
        with_ninja = False
    labels = ("framework", "baseline") + (("ninja",) if with_ninja else ())
    urls = {label: f"{args.postgres}_{label}" if args.postgres else None for label in labels}
    results: dict = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "config": {
            "smoke": args.smoke, "database": "postgresql" if args.postgres else "sqlite", "workers": args.workers,
            "worker_class": "sync" if args.framework_server == "gunicorn" else "framework: serve's; others: sync",
            "framework_server": args.framework_server, "celery_concurrency": args.concurrency, "connections": args.connections, "runs": args.runs, "seconds_per_run": args.duration,
            "load_generator": "wrk (1 thread)", "rows": 1000, "page_size": 20,
        },
    }
    try:
        for url in filter(None, urls.values()):
            projects.create_postgres_database(url)
        framework = projects.framework_project(workdir, urls["framework"])
        baseline = projects.baseline_project(workdir, urls["baseline"])
        ninja = projects.ninja_project(workdir, urls["ninja"]) if with_ninja else None
        if ninja is None:
            say("django-ninja is not installed: the Django Ninja peer is left out")
        say(f"setting up the projects in {workdir}")
        with ThreadPoolExecutor(3) as pool:
            list(pool.map(Project.prepare, [project for project in (framework, baseline, ninja) if project]))
        if args.only is None or "tasks" in args.only:
            workers = start_task_workers(framework, baseline, args, workdir)
        results["http"], results["memory"] = http_benchmarks(framework, baseline, ninja, args, workdir)
        if args.only is None or "startup" in args.only:
            say("start-up: manage.py check")
            results["startup"] = startup(framework, baseline, args)
        if args.only is None or "tasks" in args.only:
            results["tasks"] = task_benchmarks(workers, args)
        if args.only is None or "metrics" in args.only:
            say("metrics: what the request metrics add to a request")
            results["metrics"] = metrics_overhead(args)
    finally:
        for target in workers:
            target.terminate_worker()
        for target in workers:
            target.stop_worker()
        if args.keep:
            say(f"kept the work folder {workdir}")
        else:
            import shutil

            shutil.rmtree(workdir, ignore_errors=True)
            for url in filter(None, urls.values()):
                projects.drop_postgres_database(url)
    say("done")
    results["elapsed_s"] = round(time.monotonic() - started, 1)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    print(f"results: {args.output} ({results['elapsed_s']} s)")
    statuses = [s["status"] for s in results["http"].values()] + [results[k]["status"] for k in ("tasks", "startup", "metrics") if k in results]
    return 1 if any(status.startswith("error") for status in statuses) else 0


if __name__ == "__main__":
    sys.exit(main())
