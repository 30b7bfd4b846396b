"""What authenticating a request costs, in-process: the notes list with JWT and with an API key against the public list.

    .venv/bin/python bench/auth_overhead.py [--profile tottime|cumulative] [--rounds N] [--requests N]

Builds a project as `make bench` does (`framework-admin startproject`, the
benchmark app, DEBUG off, throttles off, `CACHE_URL=dummy://`, 1000 notes of
one user, on SQLite unless --database-url says otherwise), then, inside it
(`manage.py shell`), serves whole requests through its WSGI application,
middleware included, in turns: the public list, the JWT-authenticated notes
list, the API-key-authenticated one and the session's (bench/scripts/auth_requests.py).
Prints the median and the fastest CPU milliseconds per request of each, what
authentication adds over the public list (whose query, unscoped, costs more
than the notes list's), and the CPU time of the backends' `authenticate()`
alone; with --profile, cProfile's report of each.
Not a test: a measurement (no HTTP server, no client: only the worker's part).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.projects import BENCH, framework_project  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=("tottime", "cumulative"), help="print cProfile's report, sorted so")
    parser.add_argument("--lines", type=int, default=40, help="lines of each profile report (default 40)")
    parser.add_argument("--rounds", type=int, default=15, help="rounds of the three lists, in turns (default 15)")
    parser.add_argument("--requests", type=int, default=100, help="requests per list and round (default 100)")
    parser.add_argument("--database-url", help="a database of your own (default: a new SQLite file)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="fw-auth-overhead-"))
    project = framework_project(workdir, args.database_url)
    project.environ["CACHE_URL"] = "dummy://"
    print(f"building the project in {workdir}", file=sys.stderr)
    project.prepare()
    out = workdir / "auth_requests.json"
    project.must(
        "shell", "-c", (BENCH / "scripts" / "auth_requests.py").read_text(),
        BENCH_AUTH_OUT=str(out), BENCH_AUTH_ROUNDS=str(args.rounds), BENCH_AUTH_REQUESTS=str(args.requests),
        BENCH_AUTH_PROFILE=args.profile or "", BENCH_AUTH_LINES=str(args.lines),
    )
    result = json.loads(out.read_text())
    for name, report in result.pop("profiles", {}).items():
        print(f"==== {name}\n{report}")
    load = os.getloadavg()[0]
    print(f"load average {load:.2f}; ms per request, median and fastest of {args.rounds} rounds of {args.requests}:")
    for name, label in (
        ("public", "public list "), ("jwt", "JWT list    "), ("api_key", "API-key list"), ("session", "session list"),
    ):
        line = f"  {label}  {result['ms_per_request'][name]:.3f}  {result['fastest_ms_per_request'][name]:.3f}"
        if name != "public":
            line += f"   auth adds {result['auth_adds_ms'][name]:.3f}  {result['fastest_auth_adds_ms'][name]:.3f}"
        print(line)
    backends = result["backend_us"]
    print(f"  the backend alone (authenticate(), CPU µs): JWT {backends['jwt']}, API key {backends['api_key']}")
    if not args.keep:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
