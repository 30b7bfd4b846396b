"""The Django settings the framework owns: what every project gets without writing it.

Values read from the environment come from the schemas instead; see schemas.py.
"""

from typing import Any


def settings() -> dict[str, Any]:
    return {
        "INSTALLED_APPS": [
            # First, so that its management commands take precedence.
            "framework",
            "django.contrib.admin",
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
            "django.contrib.staticfiles",
            "rest_framework",
            "django_filters",
            "drf_spectacular",
            "drf_spectacular_sidecar",
            "django_celery_results",
            "rest_framework_simplejwt.token_blacklist",
            "rest_framework_api_key",
            "corsheaders",
            "framework.auth",
            "framework.scheduler",
            "framework.tasks",
        ],
        "MIDDLEWARE": [
            # Outermost: every response gets its request id and one access line, those that
            # the middleware below answers itself too (the HTTPS redirect, static files, CORS
            # preflights, a middleware's error); see framework.observability.checks.
            "framework.logging.request_id.RequestIdMiddleware",
            "framework.logging.access.AccessLogMiddleware",
            # Before anything asks for the host: a disallowed one is a 400 problem on every path.
            "framework.api.middleware.AllowedHostMiddleware",
            "django.middleware.security.SecurityMiddleware",
            # Static files, answered before the rest of the stack runs.
            "whitenoise.middleware.WhiteNoiseMiddleware",
            # Outside everything that answers or rewrites a response, so that
            # errors and preflights carry the CORS headers too.
            "corsheaders.middleware.CorsMiddleware",
            "framework.api.middleware.ProblemMiddleware",
            # Before anything that reads the body (CSRF reads form posts).
            "framework.api.middleware.RequestSizeLimitMiddleware",
            # Before sessions and authentication: an address that failed too often is not authenticated at all.
            "framework.auth.failures.FailedAuthenticationThrottleMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            # Django's, which also tells the log lines who the user is once it is loaded.
            "framework.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
            "django.middleware.clickjacking.XFrameOptionsMiddleware",
        ],
        "TEMPLATES": [
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [],
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "django.contrib.auth.context_processors.auth",
                        "django.contrib.messages.context_processors.messages",
                    ],
                },
            },
        ],
        "AUTH_PASSWORD_VALIDATORS": [
            {"NAME": f"django.contrib.auth.password_validation.{name}"}
            for name in (
                "UserAttributeSimilarityValidator",
                "MinimumLengthValidator",
                "CommonPasswordValidator",
                "NumericPasswordValidator",
            )
        ],
        # Django's database sessions, each request's read of its session by a statement built once.
        "SESSION_ENGINE": "framework.auth.sessions",
        "USE_I18N": True,
        "USE_TZ": True,
        "STATIC_URL": "static/",
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
        "X_FRAME_OPTIONS": "DENY",
        # Probes call the health endpoints over plain HTTP, inside the network.
        "SECURE_REDIRECT_EXEMPT": [r"^health/"],
        "SPECTACULAR_SETTINGS": {
            "TITLE": "API",
            "DESCRIPTION": "Every error is an RFC 9457 Problem Details object (`application/problem+json`) "
            "with a stable machine `code` and the `request_id`: see the `Problem` schema.",
            "VERSION": "1.0.0",
            "SERVE_INCLUDE_SCHEMA": False,
            "COMPONENT_SPLIT_REQUEST": True,
            # Request bodies are documented as JSON only. The form parsers stay, for the browsable API's
            # HTML forms, but a form cannot say what the schema does: it has no null and no types.
            "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
            # Swagger UI and Redoc from drf-spectacular-sidecar, not a CDN: the docs work offline.
            "SWAGGER_UI_DIST": "SIDECAR",
            "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
            "REDOC_DIST": "SIDECAR",
            # No validator.swagger.io badge, which would send the schema's URL to a third party.
            "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
            "PREPROCESSING_HOOKS": ["framework.auth.schema.hide_disabled_token_endpoints"],
            "POSTPROCESSING_HOOKS": [
                "drf_spectacular.hooks.postprocess_schema_enums",
                "framework.api.schema.add_problem_responses",
            ],
        },
        "CELERY_ACCEPT_CONTENT": ["json"],
        "CELERY_TASK_SERIALIZER": "json",
        "CELERY_RESULT_SERIALIZER": "json",
        "CELERY_RESULT_EXTENDED": True,
        "CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP": True,
        # A task is acknowledged when it ends, not when it starts, and a task whose
        # worker process died is requeued: a crash runs it again instead of losing it.
        "CELERY_TASK_ACKS_LATE": True,
        "CELERY_TASK_REJECT_ON_WORKER_LOST": True,
        # One task taken ahead per process: a worker killed with SIGKILL holds back no more than
        # that many, for the visibility timeout, and a busy worker leaves tasks to idle ones.
        "CELERY_WORKER_PREFETCH_MULTIPLIER": 1,
        # Logs go through LOGGING (request ids, JSON in production), not Celery's own format.
        "CELERY_WORKER_HIJACK_ROOT_LOGGER": False,
        # Django's Tasks API (django.tasks, or the django-tasks backport on 5.2) runs on the
        # framework's Celery: `@task` functions sent with .enqueue() run on `runworker`.
        "TASKS": {"default": {"BACKEND": "framework.tasks.backend.CeleryBackend"}},
        # Schedules live in the database, editable in the admin (framework.scheduler).
        "CELERY_BEAT_SCHEDULER": "framework.scheduler.schedulers:DatabaseScheduler",
    }
