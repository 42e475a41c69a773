"""This app's API endpoints, registered on the project's one router (ohmanager/api_router.py)."""

from django.urls import URLPattern, path
from rest_framework.routers import SimpleRouter

from applications.api import views


def register(router: SimpleRouter) -> list[URLPattern]:
    """Registers this app's viewsets; returns any plain paths that are not viewsets."""
    router.register("applications", views.ApplicationViewSet, basename="application")
    return [
        path("me/calendar", views.CalendarFeedView.as_view(), name="me-calendar"),
        path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    ]
