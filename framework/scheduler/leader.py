"""Leader election among `runscheduler` processes: a lock row in the database, with an expiry, renewed by its holder.

Each scheduler tries to take or renew the lock (one conditional UPDATE, or
an INSERT the unique name decides) before it sends anything. The holder
renews it every quarter of CELERY_SCHEDULER_LOCK_TIMEOUT; the others look as
often, and one takes it once it has expired: within the timeout and a
quarter when the leader dies, at once when it stops cleanly (it releases
the lock). The expiry is compared with each host's clock: keep them in sync (NTP).
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from datetime import timedelta

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from framework.conf import framework_settings

logger = logging.getLogger("framework.scheduler")

LEADING = "Scheduler %s leads: it sends the periodic tasks."
FOLLOWING = "Scheduler %s waits: %s leads; it takes over if that one stops renewing its lock."
LOST = "Scheduler %s no longer leads (its lock expired or was taken); it stops sending."
UNREACHABLE = "Scheduler %s cannot reach the database for its lock (%s)."


class Leadership:
    """This process's claim on the scheduler lock `name`."""

    def __init__(self, name: str = "default") -> None:
        self.name = name
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.leading = False
        self._next_look = 0.0
        self._lease_ends = 0.0
        self._announced_follow = False

    @property
    def timeout(self) -> float:
        return float(framework_settings.CELERY_SCHEDULER_LOCK_TIMEOUT)

    @property
    def interval(self) -> float:
        """Seconds between two looks at the lock, whether leading or waiting."""
        return self.timeout / 4

    def hold(self) -> bool:
        """Whether this process leads now; takes or renews the lock when it is time to look."""
        now = time.monotonic()
        if now < self._next_look:
            return self.leading and now < self._lease_ends
        from .models import SchedulerLock

        self._next_look = now + self.interval
        moment = timezone.now()
        until = moment + timedelta(seconds=self.timeout)
        try:
            taken = SchedulerLock.objects.filter(Q(owner=self.owner) | Q(expires_at__lt=moment), name=self.name).update(
                owner=self.owner, expires_at=until
            )
            if not taken:
                try:
                    with transaction.atomic():
                        SchedulerLock.objects.create(name=self.name, owner=self.owner, expires_at=until)
                    taken = 1
                except IntegrityError:
                    taken = 0
            holder = None if taken else SchedulerLock.objects.filter(name=self.name).values_list("owner", flat=True).first()
        except DatabaseError as error:
            # No other scheduler can take the lock from a database it cannot reach either:
            # a leader goes on until its lease ends.
            logger.warning(UNREACHABLE, self.owner, error)
            return self.leading and now < self._lease_ends
        was = self.leading
        self.leading = bool(taken)
        if self.leading:
            self._lease_ends = now + self.timeout
            if not was:
                logger.info(LEADING, self.owner)
        elif was:
            logger.warning(LOST, self.owner)
        elif not self._announced_follow:
            logger.info(FOLLOWING, self.owner, holder)
        self._announced_follow = not self.leading
        return self.leading

    def release(self) -> None:
        """Give the lock up (a clean stop), so that another scheduler takes over at once."""
        from .models import SchedulerLock

        if not self.leading:
            return
        try:
            SchedulerLock.objects.filter(name=self.name, owner=self.owner).delete()
        except DatabaseError as error:
            logger.warning(UNREACHABLE, self.owner, error)
        self.leading = False
