"""Every app's API under /api/v1/: one router for the viewsets, plus the few plain paths.

Paths have no trailing slash, as the contract says.
"""

from rest_framework.routers import SimpleRouter

router = SimpleRouter(trailing_slash=False)

# Each app registers its viewsets here, e.g.:
# router.register("auditions", AuditionViewSet, basename="audition")

app_name = "api"
urlpatterns: list = [
    *router.urls,
]
