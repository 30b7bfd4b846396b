"""Free TCP ports for the servers a test starts, picked so that concurrent runs seldom meet, and retried when they do."""

from __future__ import annotations

import random
import socket

#: Below Linux's ephemeral range (32768-60999), from which the kernel takes the local port of
#: every outgoing connection and every bind to port 0: a port taken from here is not handed to
#: a client socket of another process between the moment it is chosen and the server's bind.
PORTS = range(20000, 32768)
#: What a server that lost the race for its port says (gunicorn, runserver, redis-server, Python).
ADDRESS_IN_USE = ("Address already in use", "address already in use", "EADDRINUSE", "Errno 98")
TRIES = 100

# Random from the system, not the `random` module's state, which test runners seed alike in
# every process (pytest-randomly does): two processes must not walk the same sequence.
_random = random.SystemRandom()
_given: set[int] = set()


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing is bound to on `host` now, outside the ephemeral range, never given before by this process.

    Another process may still bind it before the server does: start the server with
    `processes.Process.start_on_free_port`, which tries another port when that happens.
    """
    for _ in range(TRIES):
        port = _random.choice(PORTS)
        if port in _given:
            continue
        with socket.socket() as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
        _given.add(port)
        return port
    raise RuntimeError(f"no free TCP port on {host} in {TRIES} tries among {PORTS.start}-{PORTS.stop - 1}")


def lost_the_port(output: str) -> bool:
    """Whether a server's output says another process had its port."""
    return any(sign in output for sign in ADDRESS_IN_USE)
