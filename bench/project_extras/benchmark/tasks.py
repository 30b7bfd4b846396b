"""A no-op task, declared the way the framework documents it."""

try:
    from framework.tasks import task

    DECORATOR = "framework.tasks.task"
except ImportError:  # the tasks feature is not there yet: the project's Celery app, through shared_task
    from celery import shared_task as task

    DECORATOR = "celery.shared_task (framework.tasks.task is missing)"


@task
def noop() -> None:
    return None
