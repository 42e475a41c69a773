"""The audition catalogue: one row per casting call, however many sites it was seen on.

Crawled and staff-entered auditions are the same model; a crawled one carries the
`SourceListing`s it was seen on. Derived columns (normalised title/company, the search
document, trust score and flags, feed points) are kept current by `auditions.derived` on every
write (the services and ingest both save through it).
"""

import uuid
from datetime import date

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Rolling auditions (no deadline) sort after every dated one; they expire by age or when their
# source stops listing them (auditions.services.auditions_expire).
ROLLING_DEADLINE = date(9999, 12, 31)


class Category(models.TextChoices):
    FILM = "film", _("Film")
    DRAMA = "drama", _("Drama")
    WEB_DRAMA = "web_drama", _("Web drama")
    SHORT_FORM = "short_form", _("Short-form")
    COMMERCIAL = "commercial", _("Commercial")
    MUSIC_VIDEO = "music_video", _("Music video")
    THEATER = "theater", _("Theater")
    MUSICAL = "musical", _("Musical")
    MODEL = "model", _("Model")
    VOICE = "voice", _("Voice")
    IDOL = "idol", _("Idol")
    EXTRA = "extra", _("Extra")
    OTHER = "other", _("Other")


class Region(models.TextChoices):
    SEOUL = "seoul", "서울"
    BUSAN = "busan", "부산"
    DAEGU = "daegu", "대구"
    INCHEON = "incheon", "인천"
    GWANGJU = "gwangju", "광주"
    DAEJEON = "daejeon", "대전"
    ULSAN = "ulsan", "울산"
    SEJONG = "sejong", "세종"
    GYEONGGI = "gyeonggi", "경기"
    GANGWON = "gangwon", "강원"
    CHUNGBUK = "chungbuk", "충북"
    CHUNGNAM = "chungnam", "충남"
    JEONBUK = "jeonbuk", "전북"
    JEONNAM = "jeonnam", "전남"
    GYEONGBUK = "gyeongbuk", "경북"
    GYEONGNAM = "gyeongnam", "경남"
    JEJU = "jeju", "제주"
    NATIONWIDE = "nationwide", _("Nationwide")
    ONLINE = "online", _("Online")
    OVERSEAS = "overseas", _("Overseas")


class PayType(models.TextChoices):
    PAID = "paid", _("Paid")
    UNPAID = "unpaid", _("Unpaid")
    NEGOTIABLE = "negotiable", _("Negotiable")
    UNKNOWN = "unknown", _("Unknown")


class PayUnit(models.TextChoices):
    PER_SESSION = "per_session", _("Per session")
    DAY = "day", _("Per day")
    PROJECT = "project", _("Per project")
    MONTH = "month", _("Per month")


class ApplyMethod(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("Email")
    EXTERNAL_URL = "external_url", _("External site")
    PHONE = "phone", _("Phone")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    ANY = "any", _("Any")


class Source(models.Model):
    """A site listings come from (a crawler's board) or "manual" for staff-entered ones."""

    class Kind(models.TextChoices):
        CRAWLER = "crawler", _("Crawler")
        MANUAL = "manual", _("Manual")

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=120)
    homepage_url = models.URLField(max_length=500, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CRAWLER)
    # The start of the last crawl of this source that ran to a successful end, and the oldest
    # post it reached (the posted_at of the oldest listing it saw). A rolling call's listing
    # not seen since then, though posted after that oldest one, is no longer on the source;
    # an older one may just sit past the pages the crawl reads. Set by `source_listings_checked`.
    listings_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    listings_checked_back_to = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Advertiser(models.Model):
    """A poster known by its contact (#18): the normalised e-mail addresses, phone numbers and
    company names its calls gave (`AdvertiserKey`). Ingest links each call to one; staff merge
    two that are one poster (auditions.posters). Its figures come from our members'
    applications to its calls, never shown under a privacy floor (auditions.posters)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, blank=True)
    # Staff blocked it: its future calls are quarantined on ingest.
    blocked = models.BooleanField(default=False)
    blocked_at = models.DateTimeField(null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-last_seen_at", "id"]
        permissions = [
            ("merge_advertiser", "Can merge posters"),
            ("block_advertiser", "Can block posters"),
        ]

    def __str__(self) -> str:
        return self.name or str(self.id)


class AdvertiserKey(models.Model):
    """One contact identity of a poster: a normalised e-mail address, phone number or company
    name. Unique: the same contact is always the same poster."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Phone")
        COMPANY = "company", _("Company")

    advertiser = models.ForeignKey(Advertiser, on_delete=models.CASCADE, related_name="keys")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = models.CharField(max_length=254)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="advertiser_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class Audition(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        EXPIRED = "expired", _("Expired")
        HIDDEN = "hidden", _("Hidden")
        MERGED = "merged", _("Merged into another")
        # Held back pending staff review (#18): too risky a trust score, enough member
        # reports, or a blocked poster. A 404 to members, like hidden.
        QUARANTINED = "quarantined", _("Quarantined pending review")

    class Quarantine(models.TextChoices):
        NONE = "", _("Not quarantined")
        TRUST = "trust", _("Trust score")
        REPORTS = "reports", _("Member reports")
        POSTER = "poster", _("Blocked poster")

    class Review(models.TextChoices):
        NONE = "", _("Not reviewed")
        # Staff cleared it: no automatic quarantine again, whatever re-ingest finds.
        CLEARED = "cleared", _("Cleared by staff")
        SCAM = "scam", _("Hidden as a scam")

    # Only these are ever shown to performers; draft, hidden and merged ones are a 404.
    PUBLIC_STATUSES = (Status.OPEN, Status.CLOSED, Status.EXPIRED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=300)
    category = models.CharField(max_length=16, choices=Category.choices, default=Category.OTHER)
    company = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    production_type = models.CharField(max_length=100, blank=True)
    director = models.CharField(max_length=100, blank=True)
    casting_director = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=16, choices=Region.choices, blank=True)
    location = models.CharField(max_length=200, blank=True)

    pay_type = models.CharField(max_length=16, choices=PayType.choices, default=PayType.UNKNOWN)
    pay_amount_min = models.PositiveBigIntegerField(null=True, blank=True)
    pay_amount_max = models.PositiveBigIntegerField(null=True, blank=True)
    pay_unit = models.CharField(max_length=16, choices=PayUnit.choices, blank=True)
    pay_currency = models.CharField(max_length=3, default="KRW")
    pay_raw = models.CharField(max_length=300, blank=True)

    deadline = models.DateField(null=True, blank=True, help_text=_("Empty = rolling."))
    deadline_raw = models.CharField(max_length=100, blank=True)
    shoot_start = models.DateField(null=True, blank=True)
    shoot_end = models.DateField(null=True, blank=True)
    posted_at = models.DateTimeField(default=timezone.now)

    apply_method = models.CharField(
        max_length=16, choices=ApplyMethod.choices, default=ApplyMethod.EXTERNAL_URL
    )
    apply_target = models.CharField(max_length=500, blank=True)
    apply_direct_only = models.BooleanField(
        default=False,
        help_text=_("The post refuses third-party submissions: the performer applies herself."),
    )
    apply_subject_format = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("The e-mail subject the post asks for, as written; empty when none."),
    )
    required_media = models.JSONField(default=list, blank=True)
    contact_raw = models.CharField(max_length=500, blank=True)

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    trust_score = models.PositiveSmallIntegerField(default=100)
    trust_flags = models.JSONField(default=list, blank=True, editable=False)
    quarantine_reason = models.CharField(
        max_length=8, choices=Quarantine.choices, blank=True, default="", editable=False
    )
    trust_review = models.CharField(
        max_length=8, choices=Review.choices, blank=True, default="", editable=False
    )
    advertiser = models.ForeignKey(
        Advertiser,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="auditions",
        editable=False,
    )
    # Fields a staff member edited; crawls never overwrite them.
    staff_locked_fields = models.JSONField(default=list, blank=True, editable=False)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )

    # Derived, maintained by the services.
    title_norm = models.CharField(max_length=300, blank=True, editable=False)
    company_norm = models.CharField(max_length=200, blank=True, editable=False)
    # Character bigrams + unigrams under the `simple` config (auditions/search.py). PostgreSQL
    # only; NULL on SQLite, where search falls back to `contains`.
    search_vector = SearchVectorField(null=True, editable=False)
    # Non-null sort keys, so keyset pagination can compare rows without NULL special cases.
    deadline_sort = models.GeneratedField(
        expression=Coalesce("deadline", Value(ROLLING_DEADLINE)),
        output_field=models.DateField(),
        db_persist=True,
    )
    pay_sort = models.GeneratedField(
        expression=Coalesce("pay_amount_max", "pay_amount_min", Value(0)),
        output_field=models.BigIntegerField(),
        db_persist=True,
    )
    # The member-independent part of the recommended feed's score, as of today (feed_points.py).
    feed_points = models.PositiveSmallIntegerField(default=0, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-posted_at", "-id"]
        # The admin's merge action: it retires a call and moves its listings and applications,
        # which editing one (change_audition) does not imply (see auditions/admin.py).
        permissions = [
            ("merge_audition", "Can merge duplicate auditions"),
            # The moderation queue's decisions (#18): clear, hide as a scam, close, merge.
            ("moderate_audition", "Can decide on reported and quarantined auditions"),
        ]
        indexes = [
            # One per public ordering, led by status (every list filters on it).
            models.Index(fields=["status", "-posted_at", "-id"], name="audition_status_posted"),
            models.Index(fields=["status", "deadline_sort", "id"], name="audition_status_deadline"),
            models.Index(fields=["status", "-pay_sort", "-id"], name="audition_status_pay"),
            models.Index(fields=["deadline", "title_norm"], name="audition_dedupe"),
            models.Index(fields=["title_norm", "company_norm"], name="audition_repost"),
            # The recommended feed walks the open catalogue best-first by its member-independent
            # points and stops after a page; category and region decide a member's own points
            # and deadline_sort whether it is still open, all read from the index alone.
            models.Index(
                fields=["-feed_points", "-posted_at", "-id"],
                include=["category", "region", "deadline_sort"],
                condition=Q(status="open"),
                name="audition_feed_rank",
            ),
            models.Index(
                fields=["category", "-feed_points", "-posted_at", "-id"],
                include=["region", "deadline_sort"],
                condition=Q(status="open"),
                name="audition_feed_category",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(pay_amount_min__isnull=True)
                | Q(pay_amount_max__isnull=True)
                | Q(pay_amount_min__lte=models.F("pay_amount_max")),
                name="audition_pay_range",
            ),
            models.CheckConstraint(
                condition=Q(shoot_start__isnull=True)
                | Q(shoot_end__isnull=True)
                | Q(shoot_start__lte=models.F("shoot_end")),
                name="audition_shoot_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if not (self.title or "").strip():
            raise ValidationError({"title": _("A title is required.")})
        if not isinstance(self.required_media, list):
            raise ValidationError({"required_media": _("Must be a list.")})


class ModerationCase(Audition):
    """The moderation queue (#18): the auditions that are quarantined or carry unresolved
    member reports, as the admin lists them (auditions.admin.ModerationCaseAdmin)."""

    class Meta:
        proxy = True
        verbose_name = _("moderation case")
        verbose_name_plural = _("moderation queue")


class Role(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    audition = models.ForeignKey(Audition, on_delete=models.CASCADE, related_name="roles")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=200)
    gender = models.CharField(max_length=8, choices=Gender.choices, default=Gender.ANY)
    age_min = models.PositiveSmallIntegerField(null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(null=True, blank=True)
    height_min_cm = models.PositiveSmallIntegerField(null=True, blank=True)
    height_max_cm = models.PositiveSmallIntegerField(null=True, blank=True)
    headcount = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "id"]
        # "Does a role fit this member" for the recommended feed, read from the index alone.
        indexes = [
            models.Index(
                fields=["audition"],
                include=["gender", "age_min", "age_max", "height_min_cm", "height_max_cm"],
                name="role_fit",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_min__lte=models.F("age_max")),
                name="role_age_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SourceListing(models.Model):
    """One sighting of an audition on one site. Never deleted: `last_seen_at` says when the
    crawler last found it."""

    audition = models.ForeignKey(Audition, on_delete=models.CASCADE, related_name="listings")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="listings")
    url = models.URLField(max_length=1000)
    canonical_url = models.URLField(max_length=1000)
    external_id = models.CharField(max_length=200, blank=True)
    # The listing whose content fills the audition; merged-in listings only add a source.
    is_primary = models.BooleanField(default=True)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    content_hash = models.CharField(max_length=64)
    # The crawler's fingerprint of the raw item this listing was last written from (raw
    # fields, normaliser version, reference date): a re-crawl whose raw item has the same
    # fingerprint is unchanged without being normalised again. Empty: unknown, never matches.
    raw_fingerprint = models.CharField(max_length=64, blank=True, default="")
    raw = models.JSONField(default=dict, blank=True)
    # The crawler's normaliser version (crawlers.scraper.pipelines.NORMALISER_VERSION) this
    # listing's content was last read from `raw` with; 0 = unknown (written before versions
    # were recorded, or not by the crawler). `manage.py renormalize` re-reads those below the
    # current version from `raw`, without crawling again.
    normaliser_version = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["first_seen_at", "id"]
        # "Anything read by an older normaliser?" stays one index probe once all are current.
        indexes = [models.Index(fields=["normaliser_version"], name="listing_normaliser_version")]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~Q(external_id=""),
                name="listing_unique_external_id",
            ),
            models.UniqueConstraint(
                fields=["source", "canonical_url"], name="listing_unique_canonical_url"
            ),
        ]

    def __str__(self) -> str:
        return self.url


class Bookmark(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    audition = models.ForeignKey(Audition, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "audition"], name="bookmark_unique"),
        ]
        indexes = [models.Index(fields=["member", "-created_at"], name="bookmark_member_recent")]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.audition_id}"


class AuditionEvent(models.Model):
    """The audit trail: who (a staff member, or nobody = a crawl or the system) changed what."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated by a crawl")
        EDITED = "edited", _("Edited by staff")
        STATUS = "status", _("Status changed")
        EXPIRED = "expired", _("Expired")
        LISTING_MERGED = "listing_merged", _("Listing from another source merged in")
        MERGED = "merged", _("Merged")
        QUARANTINED = "quarantined", _("Quarantined")
        RELEASED = "released", _("Released from quarantine")
        CLEARED = "cleared", _("Cleared by staff")
        REPORTED = "reported", _("Reported by a member")
        SCAM = "scam", _("Hidden as a scam")
        POSTER_BLOCKED = "poster_blocked", _("Poster blocked")
        POSTER_MERGED = "poster_merged", _("Poster merged into another")

    audition = models.ForeignKey(Audition, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    # {field: [old, new]} for edits; free keys for merges.
    changes = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["audition", "-created_at"], name="event_audition_recent")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.created_at:%Y-%m-%d %H:%M}"


class Dismissal(models.Model):
    """A member hid this audition from their recommended feed (DELETE on the endpoint undoes)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dismissals"
    )
    audition = models.ForeignKey(Audition, on_delete=models.CASCADE, related_name="dismissals")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "audition"], name="dismissal_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} ✕ {self.audition_id}"


class SavedSearch(models.Model):
    """A member's named `GET auditions` filter set, re-run for alerts at `frequency`.

    `filters` holds the query parameters as the list endpoint takes them (validated by its
    FilterSet before saving). `notified_until` is the last-notified marker: alerts consider
    auditions created after it, and every announced audition also gets a `SavedSearchDelivery`
    row, so a re-run (or two overlapping runs) never announces one twice.
    """

    class Frequency(models.TextChoices):
        INSTANT = "instant", _("After every crawl")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        OFF = "off", _("Off")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=100)
    filters = models.JSONField(default=dict, blank=True)
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.DAILY)
    notified_until = models.DateTimeField(default=timezone.now)
    # The floor under the marker's slack: nothing created before it is ever announced. Moved
    # to "now" when the search starts, its filters change, or alerts resume after a pause.
    announce_after = models.DateTimeField(default=timezone.now)
    last_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["member", "-created_at", "-id"], name="savedsearch_member"),
            models.Index(fields=["frequency"], name="savedsearch_frequency"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        self.name = " ".join((self.name or "").split())
        if not self.name:
            raise ValidationError({"name": _("A name is required.")})
        if not isinstance(self.filters, dict):
            raise ValidationError({"filters": _("Must be an object.")})


class SavedSearchDelivery(models.Model):
    """One audition announced by one saved search: the unique pair is what makes an alert
    at-most-once per search and audition, whatever the marker and however often runs repeat."""

    saved_search = models.ForeignKey(
        SavedSearch, on_delete=models.CASCADE, related_name="deliveries"
    )
    audition = models.ForeignKey(Audition, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["saved_search", "audition"], name="savedsearch_delivery_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.saved_search_id} → {self.audition_id}"


class Report(models.Model):
    """A member's report of a call (#18): one per member and audition. `weight` is fixed when
    it is made (a member who applied to the call knows more); unresolved reports' weights add
    up to the quarantine (auditions.services.reports). Staff's decision resolves them."""

    class Reason(models.TextChoices):
        SCAM = "scam", _("Scam")
        FEE = "fee", _("Asks for money")
        FAKE = "fake", _("Fake or impersonating")
        INAPPROPRIATE = "inappropriate", _("Inappropriate")
        EXPIRED = "expired", _("Expired")
        DUPLICATE = "duplicate", _("Duplicate")
        OTHER = "other", _("Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    audition = models.ForeignKey(Audition, on_delete=models.CASCADE, related_name="reports")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="audition_reports"
    )
    reason = models.CharField(max_length=16, choices=Reason.choices)
    text = models.TextField(blank=True, max_length=2000)
    weight = models.PositiveSmallIntegerField(default=1)
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "audition"], name="report_unique"),
        ]
        indexes = [models.Index(fields=["audition", "resolved_at"], name="report_audition_open")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} → {self.audition_id}"


class ScamWarning(models.Model):
    """A member told that a call she applied to or bookmarked was hidden as a scam (#18): one
    per member and call, so a second hide (after a clear) tells only those not told yet."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scam_warnings"
    )
    audition = models.ForeignKey(Audition, on_delete=models.CASCADE, related_name="scam_warnings")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "audition"], name="scam_warning_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} warned of {self.audition_id}"
