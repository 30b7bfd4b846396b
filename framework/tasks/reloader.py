"""Code reload for `runworker` in development: the worker restarts when a Python file changes.

Django's own run_with_reloader runs the command in a thread, where a Celery
worker cannot install its signal handlers, and kills it on SIGTERM. Here the
worker keeps the main thread of a child process, the file watcher runs
beside it, and a change (or SIGTERM to the parent) stops the worker warm.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import threading
from collections.abc import Callable
from typing import Any

from django.utils import autoreload

logger = logging.getLogger("framework.tasks")

RELOAD = 3  # the child's exit status that asks the parent for a new child


def run_with_reloader(main: Callable[[], int]) -> int:
    """Run `main` in a child process, again after each code change; return its last exit status."""
    if os.environ.get(autoreload.DJANGO_AUTORELOAD_ENV) == "true":
        return _run_child(main)
    return _run_parent()


def _run_parent() -> int:
    environ = {**os.environ, autoreload.DJANGO_AUTORELOAD_ENV: "true"}
    # Ctrl-C reaches the child from the terminal; forwarding it too would mean a second,
    # cold, shutdown. A no-op handler, not SIG_IGN, which the child would inherit.
    signal.signal(signal.SIGINT, lambda signum, frame: None)
    while True:
        child = subprocess.Popen(autoreload.get_child_arguments(), env=environ, close_fds=False)
        signal.signal(signal.SIGTERM, lambda signum, frame: child.send_signal(signum))
        status = child.wait()
        if status != RELOAD:
            return status if status >= 0 else 128 - status


def _run_child(main: Callable[[], int]) -> int:
    reloader = autoreload.get_reloader()
    changed = threading.Event()

    def on_change(sender: Any, file_path: Any, **kwargs: Any) -> bool:
        logger.info("%s changed, restarting the worker.", file_path)
        changed.set()
        reloader.stop()
        os.kill(os.getpid(), signal.SIGTERM)  # the worker's warm shutdown
        return True  # handled: Django's own reaction would exit the watcher thread only

    autoreload.file_changed.connect(on_change, weak=False)
    threading.Thread(target=reloader.run, args=(threading.main_thread(),), daemon=True).start()
    status = main()
    return RELOAD if changed.is_set() else status
