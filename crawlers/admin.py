"""Back office for crawls: sources (with their last run and health, a "crawl now" action) and
runs (read-only). Saving a source goes through crawlers.services, which keeps its auditions
Source and its beat schedule in step."""

from django.contrib import admin, messages
from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from crawlers import selectors, services
from crawlers.models import CrawlRun, CrawlSource
from crawlers.tasks import crawl_source


@admin.register(CrawlSource)
class CrawlSourceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "enabled", "schedule", "last_run", "health")
    list_filter = ("kind", "enabled")
    search_fields = ("name", "slug")
    readonly_fields = ("periodic_task_link", "created_at", "updated_at")
    actions = ("crawl_now",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "enabled", "homepage_url", "start_urls",
                           "config")}),
        (_("Schedule"), {"fields": ("schedule", "periodic_task_link")}),
        (_("Politeness and limits"), {"fields": ("download_delay", "concurrency",
                                                  "request_timeout_seconds", "timeout_seconds",
                                                  "max_pages")}),
        (None, {"fields": ("created_at", "updated_at")}),
    )  # fmt: skip

    def get_queryset(self, request: HttpRequest) -> QuerySet[CrawlSource]:
        last = CrawlRun.objects.filter(source=OuterRef("pk")).order_by("-started_at")
        return super().get_queryset(request).annotate(
            last_status=Subquery(last.values("status")[:1]),
            last_started=Subquery(last.values("started_at")[:1]),
        )

    @admin.display(description=_("last run"), ordering="last_started")
    def last_run(self, obj: CrawlSource) -> str:
        if not getattr(obj, "last_started", None):
            return "—"
        return f"{obj.last_started:%Y-%m-%d %H:%M} · {obj.last_status}"

    @admin.display(description=_("health"))
    def health(self, obj: CrawlSource) -> str:
        return selectors.crawl_source_health(source=obj)

    @admin.display(description=_("periodic task"))
    def periodic_task_link(self, obj: CrawlSource) -> str:
        if not obj.periodic_task_id:
            return "—"
        url = reverse("admin:django_celery_beat_periodictask_change", args=[obj.periodic_task_id])
        return format_html('<a href="{}">{}</a>', url, obj.periodic_task)

    def get_readonly_fields(self, request: HttpRequest, obj: CrawlSource | None = None):
        # The slug names the catalogue's Source its listings hang on: fixed once created.
        return (*self.readonly_fields, "slug") if obj else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: CrawlSource, form, change: bool) -> None:
        services.crawl_source_save(crawl_source=obj)

    def delete_model(self, request: HttpRequest, obj: CrawlSource) -> None:
        services.crawl_source_delete(crawl_source=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CrawlSource]) -> None:
        for source in queryset:
            services.crawl_source_delete(crawl_source=source)

    def has_crawl_now_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("crawlers.crawl_now")

    @admin.action(description=_("Crawl now"), permissions=["crawl_now"])
    def crawl_now(self, request: HttpRequest, queryset: QuerySet[CrawlSource]) -> None:
        for source in queryset:
            # After the admin request's transaction commits (ATOMIC_REQUESTS).
            crawl_source.delay_on_commit(source.pk, trigger=CrawlRun.Trigger.ADMIN)
        self.message_user(
            request,
            _("%(count)d crawl(s) queued; runs appear under Crawl runs.")
            % {"count": len(queryset)},
            messages.SUCCESS,
        )


@admin.register(CrawlRun)
class CrawlRunAdmin(admin.ModelAdmin):
    list_display = ("source", "started_at", "status", "trigger", "duration", "pages_fetched",
                    "items_seen", "items_created", "items_updated", "items_unchanged",
                    "items_merged", "items_rejected", "error_count")  # fmt: skip
    list_filter = ("status", "trigger", "source")
    date_hierarchy = "started_at"
    list_select_related = ("source",)

    def get_readonly_fields(self, request: HttpRequest, obj: CrawlRun | None = None):
        return [field.name for field in CrawlRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CrawlRun | None = None) -> bool:
        return False
