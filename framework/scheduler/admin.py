"""The periodic tasks' admin page: change, disable or add schedules with no deploy."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import PeriodicTask


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(admin.ModelAdmin):
    list_display = ["name", "task", "schedule_display", "enabled", "last_run_at", "total_run_count"]
    list_filter = ["enabled"]
    search_fields = ["name", "task", "description"]
    readonly_fields = ["last_run_at", "total_run_count", "changed_at"]
    actions = ["enable", "disable"]
    fieldsets = [
        (None, {"fields": ["name", "task", "enabled", "description"]}),
        (_("Schedule: one of the two"), {"fields": ["interval", "crontab"]}),
        (_("Arguments and options"), {"fields": ["args", "kwargs", "queue", "options"]}),
        (_("Runs"), {"fields": ["last_run_at", "total_run_count", "changed_at"]}),
    ]

    @admin.display(description=_("schedule"))
    def schedule_display(self, obj: PeriodicTask) -> str:
        return obj.schedule_display

    # save() on each, not update(): changed_at must move, so that the scheduler reloads.
    @admin.action(description=_("Enable the selected periodic tasks"))
    def enable(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._set_enabled(queryset, True)

    @admin.action(description=_("Disable the selected periodic tasks"))
    def disable(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._set_enabled(queryset, False)

    @staticmethod
    def _set_enabled(queryset: QuerySet[Any], enabled: bool) -> None:
        for row in queryset:
            row.enabled = enabled
            row.save(update_fields=["enabled", "changed_at"])
