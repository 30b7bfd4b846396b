"""The periodic-task store: schedules in the database, editable in the admin, read by Celery beat (`runscheduler`)."""
