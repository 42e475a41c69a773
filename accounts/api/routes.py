"""This app's API endpoints, registered on the project's one router (ohmanager/api_router.py)."""

from django.urls import URLPattern, path
from rest_framework.routers import SimpleRouter

from accounts.api import card_views, guardian_views, profile_views, views


def register(router: SimpleRouter) -> list[URLPattern]:
    """Registers this app's viewsets; returns any plain paths that are not viewsets."""
    router.register("auth/sessions", views.SessionViewSet, basename="session")
    router.register("me/photos", profile_views.PhotoViewSet, basename="me-photo")
    router.register("me/filmography", profile_views.FilmographyViewSet, basename="me-credit")
    router.register("me/media", card_views.MediaViewSet, basename="me-media")
    return [
        path("auth/signup", views.SignupView.as_view(), name="auth-signup"),
        path("auth/verify", views.VerifyView.as_view(), name="auth-verify"),
        path("auth/verify/resend", views.VerifyResendView.as_view(), name="auth-verify-resend"),
        path("auth/login", views.LoginView.as_view(), name="auth-login"),
        path("auth/refresh", views.RefreshView.as_view(), name="auth-refresh"),
        path("auth/logout", views.LogoutView.as_view(), name="auth-logout"),
        path("auth/password/reset", views.PasswordResetView.as_view(), name="auth-password-reset"),
        path(
            "auth/password/reset/confirm",
            views.PasswordResetConfirmView.as_view(),
            name="auth-password-reset-confirm",
        ),
        path(
            "auth/password/change", views.PasswordChangeView.as_view(), name="auth-password-change"
        ),
        path("me", views.MeView.as_view(), name="me"),
        path("me/profile", profile_views.ProfileView.as_view(), name="me-profile"),
        path("me/card", card_views.CardLinkView.as_view(), name="me-card"),
        path("me/guardian", guardian_views.GuardianView.as_view(), name="me-guardian"),
        path(
            "me/guardian/resend",
            guardian_views.GuardianResendView.as_view(),
            name="me-guardian-resend",
        ),
    ]
