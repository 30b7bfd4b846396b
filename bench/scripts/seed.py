# Run by bench/run.py in each project with `manage.py shell -c`: the same 1000 notes, owned by
# one user, and that user's credentials. Prints one JSON line.
import json
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from notes.models import Note

USERNAME, PASSWORD, ROWS = "bench", "bench-password-4821", 1000
BODY = "A benchmark note, long enough to look like one a person wrote. " * 4

user = get_user_model().objects.create_user(USERNAME, password=PASSWORD)
Note.objects.bulk_create(Note(owner=user, title=f"Note {i}", body=BODY) for i in range(ROWS))
notes = list(Note.objects.order_by("id").values_list("id", flat=True))

# A signed-in session, as the login view would leave it, for session-authenticated scenarios.
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.create()

token = None
if "rest_framework.authtoken" in settings.INSTALLED_APPS:
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=user).key

print(json.dumps({
    "username": USERNAME, "password": PASSWORD, "rows": len(notes), "last_seeded_id": notes[-1],
    "detail_id": notes[len(notes) // 2], "session": store.session_key, "token": token,
}))
