from django.urls import include, path

from tests.testapp import views

urlpatterns = [
    path("api/test/fail/<str:kind>/", views.fail),
    path("api/test/shelf/", views.shelf),
    path("api/test/plain-post-only/", views.plain_post_only),
    path("api/test/plain-whoami/", views.plain_whoami),
    path("api/test/plain-crash/", views.plain_crash),
    path("api/test/plain-database-down/", views.plain_database_down),
    path("api/test/whoami/", views.whoami),
    path("api/test/remote-notes/", views.remote_notes),
    path("api/test/plain-remote-notes/", views.plain_remote_notes),
    path("api/test/rights/books-delete/", views.books_delete_right),
    path("api/test/roles/editors/", views.editors_only),
    path("api/test/roles/publishers/", views.publishers),
    path("api/test/basic/", views.basic_only),
    path("api/test/model-permissions/books/", views.ModelPermissionBooks.as_view()),
    path("", include("framework.urls")),
]
