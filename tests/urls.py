from django.urls import include, path

urlpatterns = [path("", include("framework.urls"))]
