"""Every app's API under /api/v1/: one router for all viewsets, plus the few plain paths.

Each app's `api/routes.py` registers its own viewsets here. Paths have no trailing slash, as the
contract says.
"""

from rest_framework.routers import SimpleRouter

from accounts.api import routes as accounts_routes
from applications.api import routes as applications_routes
from auditions.api import routes as auditions_routes
from crawlers.api import routes as crawlers_routes

router = SimpleRouter(trailing_slash=False)

app_name = "api"
urlpatterns = []
for routes in (accounts_routes, auditions_routes, applications_routes, crawlers_routes):
    urlpatterns += routes.register(router)
urlpatterns += router.urls
