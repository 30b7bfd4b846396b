"""`manage.py tasks`: look at the task queue: ping a worker through it, or list workers and queues."""

from __future__ import annotations

import signal
import time
from typing import Any

from celery.exceptions import TimeoutError as ResultTimeout
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from framework.tasks import BrokerUnavailable, check_broker, get_app, outbox, ping
from framework.tasks.base import BROKER_ERRORS, broker_unavailable
from framework.tasks.connections import describe

NO_WORKER = "no worker answered within {timeout:g} s; is `python manage.py runworker` running on this broker?"


class Command(BaseCommand):
    help = (
        "Look at the task queue. ping: send framework.tasks.ping and wait for pong. inspect: workers, queues "
        "and the outbox. relay: publish the outbox's tasks (runworker does it too)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{ping,inspect,relay}")
        ping_parser = actions.add_parser("ping", help="send the ping task through the queue and wait for its answer")
        ping_parser.add_argument("--timeout", type=float, default=10, help="seconds to wait for the answer")
        inspect_parser = actions.add_parser("inspect", help="list the running workers and the queues' lengths")
        inspect_parser.add_argument("--timeout", type=float, default=2, help="seconds to wait for workers to answer")
        relay_parser = actions.add_parser("relay", help="publish the outbox's due tasks, until stopped (SIGTERM, Ctrl-C)")
        relay_parser.add_argument("--once", action="store_true", help="publish what is due now, then exit")

    def handle(self, *args: Any, action: str, timeout: float = 0, **options: Any) -> None:
        app = get_app()
        self.stdout.write(f"Task queue of {app.main}: {describe(app)}")
        try:
            if action == "ping":
                check_broker(app)
                self.ping(timeout)
            elif action == "relay":
                self.relay(app, once=options["once"])
            else:
                self.inspect(app, timeout)
        except BrokerUnavailable as error:
            raise CommandError(str(error)) from None

    def ping(self, timeout: float) -> None:
        started = time.monotonic()
        result = ping.delay()
        try:
            answer = result.get(timeout=timeout)
        except ResultTimeout:
            raise CommandError(NO_WORKER.format(timeout=timeout)) from None
        self.stdout.write(f"{answer} (in {time.monotonic() - started:.2f} s)")

    def inspect(self, app: Any, timeout: float) -> None:
        try:
            inspector = app.control.inspect(timeout=timeout)
            queues = inspector.active_queues() or {}
            active = inspector.active() or {}
            reserved = inspector.reserved() or {}
            stats = inspector.stats() or {}
        except BROKER_ERRORS as error:
            raise broker_unavailable(app, error) from error
        if not queues:
            self.stdout.write("Workers: none answered")
        else:
            self.stdout.write("Workers:")
        for name in sorted(queues):
            pool = stats.get(name, {}).get("pool", {})
            self.stdout.write(
                f"  {name}: queues {', '.join(queue['name'] for queue in queues[name])}; "
                f"concurrency {pool.get('max-concurrency', '?')}; running {len(active.get(name, []))} task(s); "
                f"taken, not acknowledged yet {len(active.get(name, [])) + len(reserved.get(name, []))}"
            )
        names = sorted({queue["name"] for worker_queues in queues.values() for queue in worker_queues} | {app.conf.task_default_queue})
        self.stdout.write("Queues (messages waiting):")
        with app.connection_for_read() as connection:
            channel = connection.default_channel
            for name in names:
                try:
                    waiting = channel.queue_declare(name, passive=True).message_count
                except Exception:  # noqa: BLE001 -- a queue nobody declared yet holds nothing
                    waiting = 0
                self.stdout.write(f"  {name}: {waiting}")

        self.outbox()

    def outbox(self) -> None:
        if not outbox.enabled():
            self.stdout.write("Outbox: off (CELERY_OUTBOX)")
            return
        try:
            count, age = outbox.backlog()
            delayed = outbox.delayed()
        except DatabaseError as error:
            raise CommandError(f"cannot read the outbox: {error}; run: python manage.py migrate") from None
        oldest = f", the oldest due {age:.0f} s ago" if age is not None else ""
        self.stdout.write(f"Outbox: {count} task(s) waiting to be published{oldest}; {delayed} delayed (countdown/ETA)")

    def relay(self, app: Any, *, once: bool) -> None:
        from framework.tasks.relay import Relay

        relay = Relay(app)
        if once:
            try:
                published = relay.run_once()
            except DatabaseError as error:
                raise CommandError(f"cannot read the outbox: {error}; run: python manage.py migrate") from None
            self.stdout.write(f"Published {published} task(s) from the outbox")
            return
        signal.signal(signal.SIGTERM, lambda signum, frame: relay.stopping.set())
        self.stdout.write("Relaying the outbox (Ctrl-C or SIGTERM to stop)")
        try:
            relay.run()
        except KeyboardInterrupt:
            relay.stopping.set()
