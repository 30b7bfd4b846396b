"""Claims in the broker's Redis: one key per task id, which Redis expires by itself.

The default with a Redis broker. The claims live where the tasks do: a Redis
that loses its data loses the claims along with the queued tasks, and no
other service has to answer for a task to run.

- claim: `SET key <host:pid> NX PX <claim ms>`, in a script that, when the key
  is there, answers who holds it (another process, or "done") and for how
  long: one round trip. A claim that expired is gone, so SET takes it; one
  whose holder was a pool process of this worker that died is taken over
  only if it still names that process (compare and set, in a script).
- finish: `SET key done PX <CELERY_COMPLETED_TASKS_KEPT ms>`: remembered that
  long, then forgotten by Redis (nothing to purge).
- release: `DEL key` only while the claim is still this process's.

Every call is bounded by the broker's connect and socket timeouts (from
CELERY_ENQUEUE_TIMEOUT), with one immediate retry for a connection Redis
closed meanwhile (a restart): a Redis that is down or hung makes the task run
untracked, with a warning, never wait.
"""

from __future__ import annotations

import threading
from typing import Any

import redis
from django.core.exceptions import ImproperlyConfigured
from redis.backoff import NoBackoff
from redis.retry import Retry

from framework.conf import framework_settings
from framework.conf.masking import mask_url

from ..connections import broker as describe_broker
from . import NOT_FINISHED, NOT_RELEASED, REDIS_SCHEMES, SKIPPED, Claim, ClaimStore, claim_seconds, dead_here, logger, worker_id

#: Before each task id: none of kombu's keys (queue names, `_kombu.binding.*`, `unacked*`) nor Celery's
#: results (`celery-task-meta-*`) start so.
KEY_PREFIX = "framework:tasks:claim:"
DONE = b"done"
#: Seconds a call waits for a connection, or an answer, when the broker's options do not say.
DEFAULT_TIMEOUT = 2.0

#: Claim KEYS[1] for ARGV[1] (host:pid) for ARGV[2] ms; {1} when taken, else {0, holder, ms left}.
CLAIM = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1} end
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {1}
end
return {0, holder, redis.call('PTTL', KEYS[1])}
"""
#: Give KEYS[1] to ARGV[2] for ARGV[3] ms if ARGV[1] still holds it; 1 when taken.
TAKE_OVER = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
"""
#: Delete KEYS[1] if ARGV[1] still holds it.
RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
NOT_A_REDIS_BROKER = (
    "CELERY_CLAIMS_STORE=redis keeps the claims in the broker's Redis, but the broker is {broker}: "
    "unset CELERY_CLAIMS_STORE (the database keeps them then), or use a Redis broker."
)
ERRORS = (redis.exceptions.RedisError, OSError)


def key(task_id: str) -> str:
    return KEY_PREFIX + task_id


class RedisClaims(ClaimStore):
    """Claims in the Redis of `app`'s broker (its broker_url), through a client of their own."""

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.url = (app.conf.broker_url or "").split(";")[0]
        if self.url.partition(":")[0] not in REDIS_SCHEMES:
            raise ImproperlyConfigured(NOT_A_REDIS_BROKER.format(broker=describe_broker(app)))
        self.description = f"Redis at {mask_url(self.url)}"
        options = app.conf.broker_transport_options or {}
        self.connect_timeout = float(options.get("socket_connect_timeout") or DEFAULT_TIMEOUT)
        self.socket_timeout = float(options.get("socket_timeout") or DEFAULT_TIMEOUT)
        self._client: redis.Redis | None = None
        self._lock = threading.Lock()

    def client(self) -> redis.Redis:
        """The client, made on first use; its pool, shared by the process's threads, is renewed after a fork (redis-py does)."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    client = redis.Redis.from_url(
                        self.url, socket_connect_timeout=self.connect_timeout, socket_timeout=self.socket_timeout,
                        retry=Retry(NoBackoff(), 1),
                    )
                    self._claim = client.register_script(CLAIM)
                    self._take_over = client.register_script(TAKE_OVER)
                    self._release = client.register_script(RELEASE)
                    self._client = client
        return self._client

    def claim(self, task_id: str, name: str, *, hostname: str | None, time_limit: float | None) -> Claim:
        me = worker_id(hostname)
        lasts = int(claim_seconds(time_limit) * 1000)
        try:
            self.client()
            answer = self._claim(keys=[key(task_id)], args=[me, lasts])
            if answer[0] == 1:
                return Claim("run")
            holder, left = answer[1], int(answer[2])
            if holder == DONE:
                logger.info(SKIPPED, name, task_id)
                return Claim("skip")
            holder = holder.decode(errors="replace") if isinstance(holder, bytes) else str(holder)
            if dead_here(holder, hostname) and self._take_over(keys=[key(task_id)], args=[holder, me, lasts]) == 1:
                return Claim("run")
            return Claim("wait", wait=max(1.0, left / 1000))
        except ERRORS as error:
            return self.untracked(task_id, name, error)

    def finish(self, task_id: str) -> None:
        try:
            self.client().set(key(task_id), DONE, px=framework_settings.CELERY_COMPLETED_TASKS_KEPT * 1000)
        except ERRORS as error:
            logger.warning(NOT_FINISHED, task_id, self.description, error)

    def release(self, task_id: str, *, hostname: str | None = None) -> None:
        try:
            self.client()
            self._release(keys=[key(task_id)], args=[worker_id(hostname)])
        except ERRORS as error:
            logger.warning(NOT_RELEASED, task_id, self.description, error)
