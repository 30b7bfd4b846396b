from django.urls import include, path

from tests.testapp import views

urlpatterns = [
    path("api/test/fail/<str:kind>/", views.fail),
    path("api/test/shelf/", views.shelf),
    path("api/test/plain-post-only/", views.plain_post_only),
    path("api/test/plain-crash/", views.plain_crash),
    path("api/test/plain-database-down/", views.plain_database_down),
    path("", include("framework.urls")),
]
