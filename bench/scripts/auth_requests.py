# Run by bench/auth_overhead.py in the framework project with `manage.py shell -c`: the public list,
# the JWT list, the API-key list and the session's list, each a whole request through the project's WSGI application,
# in turns; writes JSON (CPU milliseconds per request, and cProfile's report when asked) to BENCH_AUTH_OUT.
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time

from django.core.wsgi import get_wsgi_application

from framework.auth.api_keys import create_api_key
from framework.auth.tokens import issue_tokens

ROUNDS = int(os.environ.get("BENCH_AUTH_ROUNDS", "15"))
REQUESTS = int(os.environ.get("BENCH_AUTH_REQUESTS", "100"))
PROFILE = os.environ.get("BENCH_AUTH_PROFILE", "")

from django.contrib.auth import get_user_model  # noqa: E402

from importlib import import_module  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402

user = get_user_model().objects.get(username="bench")
_api_key, key = create_api_key(user, "auth-overhead")
access = issue_tokens(user)["access"]
# A signed-in session, as the login view leaves it (bench/scripts/seed.py makes one the same way).
session = import_module(settings.SESSION_ENGINE).SessionStore()
session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash()})
session.create()
SCENARIOS = {
    "public": ("/api/v1/public-notes/", {}),
    "jwt": ("/api/v1/notes/", {"HTTP_AUTHORIZATION": f"Bearer {access}"}),
    "api_key": ("/api/v1/notes/", {"HTTP_AUTHORIZATION": f"Api-Key {key}"}),
    "session": ("/api/v1/notes/", {"HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}),
}
application = get_wsgi_application()


def environ(path, headers):
    return {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1:8000", "HTTP_ACCEPT": "application/json",
        "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        **headers,
    }


def start_response(status, headers, exc_info=None):
    if not status.startswith("200"):
        raise RuntimeError(f"answered {status}")


def serve(path, headers):
    response = application(environ(path, headers), start_response)
    try:
        for _chunk in response:
            pass
    finally:
        response.close()


def batch(name):
    path, headers = SCENARIOS[name]
    # CPU time, not wall time: other work on the machine takes the CPU from this process, not its CPU time.
    start = time.process_time()
    for _ in range(REQUESTS):
        serve(path, headers)
    return (time.process_time() - start) / REQUESTS * 1000


for name in SCENARIOS:  # warm up: first-use imports, the connection, the caches of compiled things
    batch(name)
times = {name: [] for name in SCENARIOS}
for round_ in range(ROUNDS):
    names = list(SCENARIOS)
    names = names[round_ % len(names):] + names[:round_ % len(names)]
    for name in names:
        times[name].append(batch(name))
# The median, and the fastest round: on a machine shared with other work, the fastest is the least disturbed.
result = {
    "ms_per_request": {name: round(statistics.median(values), 3) for name, values in times.items()},
    "fastest_ms_per_request": {name: round(min(values), 3) for name, values in times.items()},
}
for figure in ("ms_per_request", "fastest_ms_per_request"):
    result[figure.replace("ms_per_request", "auth_adds_ms")] = {
        name: round(result[figure][name] - result[figure]["public"], 3) for name in ("jwt", "api_key", "session")
    }

def backend_alone(backend, headers):
    """CPU microseconds `backend.authenticate()` takes, on requests built beforehand (the best of 5 rounds)."""
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    factory = APIRequestFactory()
    best = float("inf")
    for _ in range(5):
        requests = [Request(factory.get("/api/v1/notes/", **headers)) for _ in range(REQUESTS * 10)]
        start = time.process_time()
        for request in requests:
            backend.authenticate(request)
        best = min(best, (time.process_time() - start) / len(requests) * 1e6)
    return round(best, 1)


from framework.auth.backends.api_key import APIKeyAuthentication  # noqa: E402
from framework.auth.backends.jwt import JWTAuthentication  # noqa: E402

result["backend_us"] = {
    "jwt": backend_alone(JWTAuthentication(), SCENARIOS["jwt"][1]),
    "api_key": backend_alone(APIKeyAuthentication(), SCENARIOS["api_key"][1]),
}
if PROFILE:
    reports = {}
    for name in SCENARIOS:
        profiler = cProfile.Profile()
        path, headers = SCENARIOS[name]
        profiler.enable()
        for _ in range(REQUESTS * 5):
            serve(path, headers)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(PROFILE)
        stats.print_stats(int(os.environ.get("BENCH_AUTH_LINES", "40")))
        reports[name] = out.getvalue()
    result["profiles"] = reports
with open(os.environ["BENCH_AUTH_OUT"], "w") as out:
    json.dump(result, out)
