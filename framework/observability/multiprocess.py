"""Metrics across processes: the folder where each of `serve`'s (or a worker's) processes keeps its own.

prometheus-client's multiprocess mode: each process writes its values to
files in PROMETHEUS_MULTIPROC_DIR, and a scrape, answered by any one of them,
sums them all. The folder must be set before prometheus-client is imported (it
chooses its mode then) and before the processes are forked: `start()`, in the
command that forks them. It is made new, so no counts of an earlier run are
added in, and removed by `stop()` in the same process.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

logger = logging.getLogger("framework.observability")

#: prometheus-client's variable, read by it when it is imported.
VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
MADE_TOO_EARLY = (
    "Metrics made before %s set its processes' metrics folder are left out of the scrapes: %s. "
    "Make them when first used (see docs/observability.md), not when their module is imported."
)
#: What prometheus-client's default registry holds from the start: this process's own figures.
_BUILTIN_PREFIXES = ("process_", "python_gc_", "python_info")

_folder: Path | None = None
_owner: int | None = None


def start(command: str) -> Path:
    """Make a new metrics folder for the processes `command` forks, and make it prometheus-client's."""
    global _folder, _owner
    # In memory when the machine has it, as gunicorn's heartbeat files (framework.server.gunicorn).
    parent = "/dev/shm" if os.path.isdir("/dev/shm") else None
    _folder = Path(tempfile.mkdtemp(prefix=f"framework-metrics-{command}-", dir=parent))
    _owner = os.getpid()
    # Written, not read: prometheus-client, imported after this, reads it.
    os.environ[VARIABLE] = str(_folder)
    if "prometheus_client" in sys.modules:
        _switch_imported_client(command)
    return _folder


def _switch_imported_client(command: str) -> None:
    """prometheus-client was imported already (by the URLconf the system checks load, say): metrics made
    from now on must use the folder too. No public API does it: the module-level choice prometheus-client
    makes at import is made again (checked with prometheus-client 0.20 to 0.26)."""
    from prometheus_client import REGISTRY, values

    values.ValueClass = values.get_value_class()
    made = sorted({family.name for family in REGISTRY.collect() if not family.name.startswith(_BUILTIN_PREFIXES)})
    if made:
        logger.warning(MADE_TOO_EARLY, command, ", ".join(made))


def stop() -> None:
    """Remove the folder, in the process that made it (a forked process that exits keeps it)."""
    global _folder
    if _folder is not None and _owner == os.getpid():
        shutil.rmtree(_folder, ignore_errors=True)
        os.environ.pop(VARIABLE, None)
        _folder = None


def folder() -> Path | None:
    """The metrics folder of this process's parent command, or None: this process counts alone."""
    return _folder


def process_ended(pid: int) -> None:
    """A process of the folder has ended: its in-flight gauges no longer count; its counts go to the folder's totals."""
    if _folder is not None:
        from prometheus_client import multiprocess

        from .folding import fold

        multiprocess.mark_process_dead(pid, str(_folder))
        fold(_folder, pid)


class _Files:
    """The folder's files, read under its shared lock (framework.observability.folding)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def collect(self) -> Any:
        from prometheus_client import multiprocess

        from .folding import locked

        with locked(self.folder, exclusive=False):
            return list(multiprocess.MultiProcessCollector(None, path=str(self.folder)).collect())


def collectors() -> list[Any]:
    """What a scrape collects the processes' metrics from: the folder's files, or this process's registry."""
    if _folder is None:
        from prometheus_client import REGISTRY

        return [REGISTRY]
    # Read at each scrape: the files as they are then.
    return [_Files(_folder)]


def gunicorn_hooks() -> dict[str, Any]:
    """gunicorn's hooks for the folder: a worker that ends is marked dead; the folder goes with the master."""
    return {
        "child_exit": lambda server, worker: process_ended(worker.pid),
        "on_exit": lambda server: stop(),
    }
