"""/health/ (liveness) and /health/ready/ (readiness), included by framework.urls."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.liveness, name="health"),
    path("ready/", views.readiness, name="health-ready"),
]
