# Run by bench/run.py in the framework project under DEBUG: is the notes list cached?
# Prints one JSON line with the X-Cache header of a second identical request (None: not cached).
import json

from django.contrib.auth import get_user_model
from django.test import Client

client = Client()
client.force_login(get_user_model().objects.get(username="bench"))
client.get("/api/v1/notes/")
response = client.get("/api/v1/notes/")
print(json.dumps({"status": response.status_code, "x_cache": response.headers.get("X-Cache")}))
