"""Processes a test starts: output kept in a log, ready within a deadline, stopped gracefully then killed.

    with Process([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"], log=tmp_path / "server.log") as server:
        server.wait_until(answers_http(f"http://127.0.0.1:{port}/"), what="answer HTTP")
        ...

A failure (the process exits early, or is not ready in time) raises ProcessFailed with
the end of the process's output in its message.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from .ports import free_port, lost_the_port

T = TypeVar("T")

#: How much of a process's output a failure shows.
OUTPUT_SHOWN = 6000
#: Seconds a process is given to stop after SIGTERM before it is killed.
STOP_TIMEOUT = 20


class ProcessFailed(RuntimeError):
    """A process a test started exited too early, was not ready in time or did not exit (its output in the message)."""


class Process:
    """One process of a test, in a session of its own (stopping it stops its children), its output in `log`."""

    def __init__(
        self,
        args: Sequence[str],
        *,
        log: Path,
        cwd: str | Path | None = None,
        env: dict[str, str] | None = None,
        name: str | None = None,
    ) -> None:
        self.args, self.log, self.cwd, self.env = [str(arg) for arg in args], Path(log), cwd, env
        self.name = name or Path(self.args[0]).name + (f" {self.args[1]}" if len(self.args) > 1 else "")
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> Process:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as output:
            self.popen = subprocess.Popen(
                self.args, cwd=self.cwd, env=self.env, stdout=output, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
        return self

    @staticmethod
    def start_on_free_port(
        make: Callable[[int], Process], ready: Callable[[int], Callable[[], Any]], *,
        timeout: float = 60, what: str = "listen", tries: int = 3,
    ) -> tuple[Process, int]:
        """make(port), started on a free port, once ready(port)() holds; on another port if another process took it.

        Returns the process and its port.
        """
        for attempt in range(1, tries + 1):
            port = free_port()
            process = make(port).start()
            try:
                process.wait_until(ready(port), timeout=timeout, what=what)
                return process, port
            except ProcessFailed:
                process.stop()
                if attempt == tries or not lost_the_port(process.output()):
                    raise
        raise AssertionError("unreachable")

    @property
    def pid(self) -> int:
        return self._popen().pid

    @property
    def returncode(self) -> int | None:
        return self._popen().poll()

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def output(self) -> str:
        """What the process has written so far."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def fail(self, message: str) -> ProcessFailed:
        """The error to raise about this process: `message`, then the end of its output."""
        output = self.output()
        shown = output[-OUTPUT_SHOWN:]
        cut = f"[... {len(output) - len(shown)} characters before]\n" if len(shown) < len(output) else ""
        return ProcessFailed(f"{self.name}: {message}\n--- its output ({self.log}):\n{cut}{shown}")

    def wait_until(self, ready: Callable[[], T], *, timeout: float = 60, what: str = "be ready", interval: float = 0.1) -> T:
        """Call ready() until it returns a true value, which is returned; fail if the process exits or `timeout` passes.

        An exception from ready() counts as "not yet"; the last one is named in the failure.
        """
        deadline = time.monotonic() + timeout
        last_error: BaseException | None = None
        while True:
            if not self.running():
                raise self.fail(f"exited with status {self.returncode} before it could {what}")
            try:
                value = ready()
                if value:
                    return value
            except Exception as error:  # not ready yet
                last_error = error
            if time.monotonic() > deadline:
                reason = f" (last: {type(last_error).__name__}: {last_error})" if last_error else ""
                raise self.fail(f"did not {what} within {timeout:g} s{reason}")
            time.sleep(interval)

    def wait_for_output(self, text: str, *, timeout: float = 60) -> None:
        """Wait until the process has written `text`."""
        self.wait_until(lambda: text in self.output(), timeout=timeout, what=f"write {text!r}")

    def send_signal(self, number: int) -> None:
        self._popen().send_signal(number)

    def wait(self, timeout: float = STOP_TIMEOUT) -> int:
        """Wait for the process to end by itself; fail if it has not within `timeout`."""
        try:
            return self._popen().wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise self.fail(f"did not exit within {timeout:g} s") from None

    def stop(self, timeout: float = STOP_TIMEOUT, stop_signal: int = signal.SIGTERM) -> int:
        """Ask the process to stop (SIGTERM: a graceful shutdown), kill it and its children after `timeout`; its exit status."""
        if self.popen is None:
            return 0
        if self.popen.poll() is None:
            self.popen.send_signal(stop_signal)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)  # what is left of its session: children, or itself
        except (ProcessLookupError, PermissionError):
            pass
        return self.popen.wait()

    def __enter__(self) -> Process:
        return self if self.popen is not None else self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    def _popen(self) -> subprocess.Popen[bytes]:
        if self.popen is None:
            raise RuntimeError(f"{self.name} was not started")
        return self.popen


def answers_http(url: str, timeout: float = 2) -> Callable[[], bool]:
    """ready() for a web server: true once `url` answers, whatever the status."""

    def ready() -> bool:
        try:
            urllib.request.urlopen(url, timeout=timeout).close()
        except urllib.error.HTTPError:
            pass  # it answers: any status will do
        return True

    return ready


def accepts_connections(host: str, port: int, timeout: float = 0.5) -> Callable[[], bool]:
    """ready() for a TCP server: true once it accepts a connection."""

    def ready() -> bool:
        with socket.create_connection((host, port), timeout=timeout):
            return True

    return ready
