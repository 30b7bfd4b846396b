"""A periodic task: which task, on which schedule, with which arguments, and when it last ran."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from framework.tasks.decorators import as_schedule

ONE_SCHEDULE = "Give either an interval in seconds or a crontab, not both."


def validate_crontab(value: str) -> None:
    try:
        as_schedule(value)
    except ValueError as error:
        raise ValidationError(str(error)) from None


class PeriodicTask(models.Model):
    """One entry of the schedule that `runscheduler` sends.

    Entries declared in code (`@periodic_task`) or settings (`CELERY_BEAT_SCHEDULE`)
    are written here when the scheduler starts, their task, schedule and arguments
    taken from the declaration; `enabled` stays as the admin left it.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    task = models.CharField(_("task"), max_length=200, help_text=_("The task's name, e.g. notes.tasks.purge_drafts."))
    interval = models.PositiveIntegerField(
        _("every (seconds)"), null=True, blank=True, help_text=_("Run every this many seconds; or give a crontab.")
    )
    crontab = models.CharField(
        _("crontab"), max_length=100, blank=True, validators=[validate_crontab],
        help_text=_("minute hour day-of-month month day-of-week, e.g. 0 4 * * * (in TIME_ZONE)."),
    )
    args = models.JSONField(_("positional arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    queue = models.CharField(_("queue"), max_length=200, blank=True, help_text=_("Empty: the default queue."))
    options = models.JSONField(
        _("other options"), default=dict, blank=True,
        help_text=_('Celery\'s apply_async options besides the queue, e.g. {"expires": 3600}.'),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    description = models.TextField(_("description"), blank=True)
    last_run_at = models.DateTimeField(_("last sent at"), null=True, blank=True, editable=False)
    total_run_count = models.PositiveIntegerField(_("times sent"), default=0, editable=False)
    # Changed by edits only (the scheduler's own writes use update()): it tells the scheduler to reload.
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("periodic task")
        verbose_name_plural = _("periodic tasks")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(interval__isnull=False) & Q(crontab="")) | (Q(interval__isnull=True) & ~Q(crontab="")),
                name="framework_scheduler_one_schedule",
                violation_error_message=ONE_SCHEDULE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.schedule_display}"

    @property
    def schedule_display(self) -> str:
        return f"every {self.interval} s" if self.interval is not None else f"crontab {self.crontab}"

    def clean(self) -> None:
        if (self.interval is None) == (not self.crontab):
            raise ValidationError(ONE_SCHEDULE)

    def schedule(self) -> Any:
        """The Celery schedule of this entry."""
        return as_schedule(self.interval if self.interval is not None else self.crontab)


class SchedulerLock(models.Model):
    """The lock that elects one `runscheduler` among several: held by `owner` until `expires_at`, renewed meanwhile."""

    name = models.CharField(max_length=100, unique=True)
    owner = models.CharField(max_length=200)
    expires_at = models.DateTimeField()

    class Meta:
        db_table = "framework_scheduler_lock"

    def __str__(self) -> str:
        return f"{self.name}: {self.owner} until {self.expires_at}"
