"""URLs of mysite: the admin, and the framework's API under /api/.

Apps add their viewsets to the API in their own `api.py`.
"""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("framework.urls")),
]
