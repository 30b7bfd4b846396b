"""Periodic tasks kept by django-celery-beat (framework 0.1's store) carried over into this one: see framework.scheduler.importing."""

from django.db import migrations


def carry_over(apps, schema_editor):
    from framework.scheduler.importing import carry_over

    carry_over(schema_editor.connection, apps.get_model("framework_scheduler", "PeriodicTask"))


class Migration(migrations.Migration):
    dependencies = [("framework_scheduler", "0001_initial")]

    # Going back leaves the rows: the old tables were never changed.
    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
