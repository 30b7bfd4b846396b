"""The load generator: wrk, driven through a Lua script that reports each run as one JSON line."""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path

WRK_MISSING = "wrk is not installed: install it with `apt-get install wrk` (Debian/Ubuntu) or `brew install wrk`"

# wrk calls done() once at the end; latencies are in microseconds. Non-2xx/3xx
# answers count as `status` errors, so a run with any of them is not a measurement.
REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "mean_us": %.1f, '
    .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


@dataclass(frozen=True)
class Request:
    """What every request of a run sends."""

    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None


@dataclass(frozen=True)
class Run:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    mean_ms: float
    errors: dict[str, int]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def failed(self) -> int:
        return sum(self.errors.values())

    def as_dict(self) -> dict:
        return {
            "rps": round(self.rps, 1), "requests": self.requests, "seconds": round(self.seconds, 2),
            "p50_ms": self.p50_ms, "p99_ms": self.p99_ms, "mean_ms": self.mean_ms, "errors": self.errors,
        }


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit(f"bench: {WRK_MISSING}")
    return path


def script(request: Request, folder: Path) -> Path:
    """A Lua script for `request`: the method and body, and the JSON report."""
    lines = [f"wrk.method = {json.dumps(request.method)}"]
    if request.body is not None:
        lines.append(f"wrk.body = {json.dumps(request.body)}")
    path = folder / f"wrk-{uuid.uuid4().hex}.lua"
    path.write_text("\n".join(lines) + "\n" + REPORT)
    return path


def run(base_url: str, request: Request, *, seconds: int, connections: int, folder: Path) -> Run:
    """Drive `base_url + request.path` for `seconds` with `connections` open connections."""
    args = [
        require_wrk(), "--threads", "1", "--connections", str(connections), "--duration", f"{seconds}s",
        "--timeout", "10s", "--script", str(script(request, folder)),
    ]
    for name, value in request.headers.items():
        args += ["--header", f"{name}: {value}"]
    result = subprocess.run([*args, base_url + request.path], capture_output=True, text=True, timeout=seconds + 60)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}")
    report = json.loads(lines[-1])
    return Run(
        requests=report["requests"],
        seconds=report["duration_us"] / 1e6,
        p50_ms=report["p50_us"] / 1000,
        p99_ms=report["p99_us"] / 1000,
        mean_ms=round(report["mean_us"] / 1000, 3),
        errors=report["errors"],
    )
