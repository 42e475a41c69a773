from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.cards.views import card_page, card_pdf
from accounts.guardians import views as guardian_pages
from ohmanager import admin_login, views

admin.site.site_header = "Oh Manager"
admin.site.site_title = "Oh Manager back office"
admin.site.index_title = "Back office"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    # Before admin.site.urls: the staff login with brute-force limits (ohmanager/admin_login.py).
    path("admin/login/", admin_login.admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("ohmanager.api_router")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    # The profile card a poster opens (HTML, no JWT): the token is the URL's only credential.
    # No dot in a token: `/c/<token>.pdf` is the PDF of the same card.
    re_path(r"^c/(?P<token>[^/.]+)$", card_page, name="card-page"),
    re_path(r"^c/(?P<token>[^/.]+)\.pdf$", card_pdf, name="card-pdf"),
    # A guardian's consent and revocation pages (issue #17): the token is the link's secret.
    re_path(r"^g/(?P<token>[^/.]+)$", guardian_pages.consent_page, name="guardian-consent"),
    re_path(r"^g/(?P<token>[^/.]+)/revoke$", guardian_pages.revoke_page, name="guardian-revoke"),
    re_path(r"^g/(?P<token>[^/.]+)/renew$", guardian_pages.renew_page, name="guardian-renew"),
]
# `make run` keeps member files on local disk; serve them there so photo URLs open. `static()`
# adds nothing unless DEBUG is on, and production keeps them in a private S3 bucket.
if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "ohmanager.views.bad_request"
handler403 = "ohmanager.views.permission_denied"
handler404 = "ohmanager.views.page_not_found"
handler500 = "ohmanager.views.server_error"
