"""The recommended feed (`GET auditions/recommended`): open auditions scored for one member.

Eligibility and the score are computed in the database, in the one query that pages the feed:
the member's facts (age on the day, gender, height, interests, regions) are constants, so
"a role fits" is one hashed `IN` over the roles' covering index, dismissed and applied
auditions are anti-joins, and every score part is a `CASE` over the audition's own
columns. The page is cut with a keyset over (score, posted_at, id), so a deep page costs what
the first costs and the query count does not depend on the catalogue's size.

Only the page (20 rows) comes back to Python, where `explain` turns the annotated parts and
the page's role rows into `reasons` (codes + human text). The role predicates exist twice (Q
objects for SQL, `_role_fits` for the page's explanation); test_recommendations pins both
against the same crafted roles.

Score (0-100): a fitting role 15, category in interests 25, region 15 (one of the member's) or
10 (online/nationwide), pay 10 (paid with an amount) or 4 (paid or negotiable without one),
deadline 10 (within 7 days) or 5 (within 14), freshness 10 (3 days) / 6 (7) / 3 (14), trust
score x 0.15 (0-15). A near miss (asked for with `near_misses=true`) gets no role points.
"""

import dataclasses
import hashlib
import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from accounts.models import Member, Profile
from applications.models import Application
from auditions.models import Audition, Dismissal, Gender, PayType, Region, Role
from auditions.pagination import keyset_filter
from auditions.selectors import _visible, _with_related, audition_attach_related
from auditions.services import seoul_today

logger = logging.getLogger(__name__)

ORDERING = ("-score", "-posted_at", "-id")
# How far outside a role's stated range still counts as a near miss.
NEAR_AGE_YEARS = 3
NEAR_HEIGHT_CM = 5

POINTS_ROLE = 15
POINTS_CATEGORY = 25
POINTS_REGION = 15
POINTS_REGION_ANYWHERE = 10
POINTS_PAY_AMOUNT = 10
POINTS_PAY_TERMS = 4
POINTS_DEADLINE_WEEK = 10
POINTS_DEADLINE_FORTNIGHT = 5
FRESH_POINTS = ((3, 10), (7, 6), (14, 3))  # (posted within days, points), best first
TRUST_POINTS = 15  # x trust_score / 100
ANYWHERE_REGIONS = (Region.ONLINE, Region.NATIONWIDE)
DEADLINE_SOON_DAYS = 7
TRUSTED_SCORE = 80
LOW_TRUST_SCORE = 50
DASH = "\u2013"  # ranges read "25\u201330", as in print


@dataclass(frozen=True)
class Performer:
    """The profile facts the feed uses. Unknown facts (None / empty) never exclude: an
    audition is not hidden for a height the member has not told us."""

    gender: str = ""  # female / male / nonbinary / "" (unknown)
    age: int | None = None
    height_cm: int | None = None
    interests: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    language: str = Member.Language.KOREAN


def age_on(birth_date: date, day: date) -> int:
    """Whole years on `day`: the birthday itself counts (born 2000-06-15 is 25 on 2025-06-15).
    Someone born on 29 February turns a year older on 1 March in non-leap years."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def performer_for(*, member: Member, today: date) -> Performer:
    profile = (
        Profile.objects.filter(member_id=member.pk)
        .only("birth_date", "gender", "height_cm", "interests", "regions")
        .first()
    )
    if profile is None:
        return Performer(language=member.language)
    return Performer(
        gender=profile.gender or "",
        age=age_on(profile.birth_date, today) if profile.birth_date else None,
        height_cm=profile.height_cm,
        interests=tuple(profile.interests or ()),
        regions=tuple(profile.regions or ()),
        language=member.language,
    )


# --- Role eligibility (SQL) -----------------------------------------------------------------


def _gender_q(performer: Performer) -> Q:
    if performer.gender in (Gender.FEMALE, Gender.MALE):
        return Q(gender__in=[performer.gender, Gender.ANY])
    if performer.gender:  # non-binary: roles open to any gender
        return Q(gender=Gender.ANY)
    return Q()


def _range_q(low: str, high: str, value: int | None, slack: int = 0) -> Q:
    if value is None:
        return Q()
    return (Q(**{f"{low}__isnull": True}) | Q(**{f"{low}__lte": value + slack})) & (
        Q(**{f"{high}__isnull": True}) | Q(**{f"{high}__gte": value - slack})
    )


def role_fit_q(performer: Performer) -> Q:
    """A role the member fits: gender (or `any`), age and height within what the role states."""
    return (
        _gender_q(performer)
        & _range_q("age_min", "age_max", performer.age)
        & _range_q("height_min_cm", "height_max_cm", performer.height_cm)
    )


def role_near_q(performer: Performer) -> Q:
    """A role the member would fit if age and height could stretch a little (gender cannot)."""
    return (
        _gender_q(performer)
        & _range_q("age_min", "age_max", performer.age, NEAR_AGE_YEARS)
        & _range_q("height_min_cm", "height_max_cm", performer.height_cm, NEAR_HEIGHT_CM)
    )


def _roles(condition: Q) -> Q:
    """Auditions with a role meeting `condition`. Written as `id IN (roles)` rather than a
    correlated EXISTS: PostgreSQL hashes the role ids once (an index-only scan of `role_fit`)
    and can then keep only the top of the ranking (a top-N sort), where the EXISTS plan sorted
    every open audition first (2x slower on the 100k bench)."""
    return Q(pk__in=Role.objects.filter(condition).values("audition_id"))


# --- The feed ---------------------------------------------------------------------------------


def _points(condition: Q, points: int, otherwise: Any = 0) -> Case:
    return Case(
        When(condition, then=Value(points)),
        default=otherwise if not isinstance(otherwise, int) else Value(otherwise),
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class FeedContext:
    """One request's constants: the ranking and the page query must agree on them."""

    member: Member
    performer: Performer
    today: date
    now: datetime
    near_misses: bool = False


def feed_context(
    *,
    member: Member,
    today: date | None = None,
    now: datetime | None = None,
    near_misses: bool = False,
    performer: Performer | None = None,
) -> FeedContext:
    today = today or seoul_today()
    return FeedContext(
        member=member,
        performer=performer or performer_for(member=member, today=today),
        today=today,
        now=now or timezone.now(),
        near_misses=near_misses,
    )


def _parts(feed: FeedContext) -> dict[str, Any]:
    """The score's parts as expressions over the audition's own columns (and, in near-miss
    mode, "a role fits")."""
    performer, today = feed.performer, feed.today
    return {
        "pts_role": _points(_roles(role_fit_q(performer)), POINTS_ROLE)
        if feed.near_misses
        else Value(POINTS_ROLE),
        "pts_category": _points(Q(category__in=performer.interests), POINTS_CATEGORY)
        if performer.interests
        else Value(0),
        "pts_region": Case(
            When(region__in=performer.regions, then=Value(POINTS_REGION)),
            When(region__in=ANYWHERE_REGIONS, then=Value(POINTS_REGION_ANYWHERE)),
            default=Value(0),
            output_field=IntegerField(),
        )
        if performer.regions
        else Value(0),
        "pts_pay": Case(
            When(pay_type=PayType.PAID, pay_sort__gt=0, then=Value(POINTS_PAY_AMOUNT)),
            When(pay_type__in=[PayType.PAID, PayType.NEGOTIABLE], then=Value(POINTS_PAY_TERMS)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        "pts_deadline": Case(
            When(
                deadline__lte=today + timedelta(days=DEADLINE_SOON_DAYS),
                then=Value(POINTS_DEADLINE_WEEK),
            ),
            When(
                deadline__lte=today + timedelta(days=2 * DEADLINE_SOON_DAYS),
                then=Value(POINTS_DEADLINE_FORTNIGHT),
            ),
            default=Value(0),
            output_field=IntegerField(),
        ),
        "pts_fresh": Case(
            *(
                When(posted_at__gte=feed.now - timedelta(days=days), then=Value(points))
                for days, points in FRESH_POINTS
            ),
            default=Value(0),
            output_field=IntegerField(),
        ),
        # Integer division on both databases: 0-15.
        "pts_trust": ExpressionWrapper(
            F("trust_score") * TRUST_POINTS / 100, output_field=IntegerField()
        ),
    }


def _with_score(queryset: QuerySet, feed: FeedContext, *, keep_parts: bool) -> QuerySet:
    parts = _parts(feed)
    # `alias` keeps the parts out of the SELECT list: each expression (the role look-up above
    # all) then appears once, inside `score`.
    queryset = (queryset.annotate if keep_parts else queryset.alias)(**parts)
    total = F("pts_role")
    for name in list(parts)[1:]:
        total = total + F(name)
    return queryset.annotate(score=ExpressionWrapper(total, output_field=IntegerField()))


def _skip_jit() -> None:
    """PostgreSQL JIT-compiles the scoring expressions once the plan's estimated cost passes
    jit_above_cost; measured on the 100k bench, compiling took longer (~140 ms) than running
    the query. SET LOCAL lasts until the request's transaction ends (ATOMIC_REQUESTS)."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def recommended_ranking(*, feed: FeedContext) -> QuerySet:
    """Visible auditions the member fits (or nearly fits, with near_misses), not dismissed or
    applied to, with `score`: narrow rows (id, posted_at, score) for the keyset page. Only
    columns of the `audition_open_feed` covering index and the role index are read, so
    PostgreSQL scores the open catalogue with index-only scans. Order by ORDERING."""
    member, performer = feed.member, feed.performer
    _skip_jit()
    queryset = (
        Audition.objects.filter(_visible(feed.today))
        .exclude(Exists(Dismissal.objects.filter(member_id=member.pk, audition_id=OuterRef("pk"))))
        # Applied to (any status, withdrawn included): the member has dealt with it.
        .exclude(
            Exists(Application.objects.filter(member_id=member.pk, audition_id=OuterRef("pk")))
        )
        .filter(_roles(role_near_q(performer) if feed.near_misses else role_fit_q(performer)))
        .only("id", "posted_at")
    )
    return _with_score(queryset, feed, keep_parts=False)


def recommended_page(*, feed: FeedContext, ranked: list[Audition]) -> list[Audition]:
    """The page's full rows, in the ranking's order, with the score's parts (`pts_*`) and
    `fits` for `explain`, and the roles and sources: a fixed number of queries per page.
    `fits` comes from the page's roles (the SQL twin is pinned by a test), so near-miss mode
    does not look up every role again for 20 rows; the score is the ranking's."""
    if not ranked:
        return []
    fitting = dataclasses.replace(feed, near_misses=False)  # pts_role: a constant 15
    # Visible again: a cached ranking may name an audition closed since (it drops out).
    rows = _with_score(
        _with_related(
            Audition.objects.filter(_visible(feed.today), pk__in=[row.pk for row in ranked]),
            feed.member,
        ),
        fitting,
        keep_parts=True,
    )
    by_id = {row.pk: row for row in rows}
    page = audition_attach_related([by_id[row.pk] for row in ranked if row.pk in by_id])
    scores = {row.pk: row.score for row in ranked}
    for row in page:
        row.fits = any(_role_fits(role, feed.performer) for role in row.role_rows)
        row.pts_role = POINTS_ROLE if row.fits else 0
        row.score = scores[row.pk]
    return page


# --- The member's ranking, kept briefly -----------------------------------------------------------
#
# Ranking scores every open audition the member fits (~40k on the 100k bench): 110-130 ms of SQL
# that used to run for every page. The first request ranks in SQL as before and keeps the top
# FEED_CACHE_SIZE (score, posted_at, id) in the cache; later pages (and refreshes) within
# FEED_CACHE_SECONDS cut their page from that list and fetch only the page's rows by id. The
# key holds what the ranking depends on: the member's feed version (a fresh token whenever they
# apply, dismiss / undismiss or edit their profile: `feed_invalidate`), the profile facts the
# ranking reads (so an edit made anywhere, even the admin, misses the old entry), today's date
# and near-miss mode. The TTL bounds how late new auditions (and other members' changes to the
# catalogue) appear; closed auditions drop out at once (the page query re-checks visibility).
# A page past the kept top N is ranked in SQL with the keyset, as before. A cache outage falls
# back to ranking in SQL every time.

FEED_CACHE_SIZE = getattr(settings, "RECOMMENDED_FEED_CACHE_SIZE", 1000)
FEED_CACHE_SECONDS = getattr(settings, "RECOMMENDED_FEED_CACHE_SECONDS", 300)


def _version_key(member_id: Any) -> str:
    return f"feed:v:{member_id}"


def _bump(member_id: Any) -> None:
    try:
        cache.set(_version_key(member_id), uuid.uuid4().hex, timeout=None)
    except Exception:  # the cache is down: nothing kept can be read either
        logger.warning("feed_invalidate: cache unavailable", exc_info=True)


def feed_invalidate(*, member_id: Any) -> None:
    """The member's kept ranking is stale (they applied, dismissed, undismissed or edited the
    profile). Bumped now, so the rest of this request and any reader already sees a new key,
    and again after commit, so a ranking computed concurrently before the commit (which could
    not see the change) is stored under a key nobody reads."""
    _bump(member_id)
    transaction.on_commit(lambda: _bump(member_id))


def _feed_key(feed: FeedContext) -> str | None:
    if FEED_CACHE_SECONDS <= 0:  # keeping is off: rank on every request, read nothing kept
        return None
    member_id = feed.member.pk
    try:
        version = cache.get(_version_key(member_id))
        if version is None:
            version = uuid.uuid4().hex
            if not cache.add(_version_key(member_id), version, timeout=None):
                version = cache.get(_version_key(member_id)) or version
    except Exception:
        logger.warning("recommended feed: cache unavailable, ranking in SQL", exc_info=True)
        return None
    facts = repr((dataclasses.replace(feed.performer, language=""), feed.today, feed.near_misses))
    digest = hashlib.blake2b(facts.encode(), digest_size=12).hexdigest()
    return f"feed:r:{member_id}:{version}:{digest}"


@dataclass(frozen=True, slots=True)
class RankedRow:
    """One kept ranking row: what the keyset page and `recommended_page` read."""

    id: uuid.UUID
    posted_at: datetime
    score: int

    @property
    def pk(self) -> uuid.UUID:
        return self.id


class RankedFeed:
    """The member's ranking for KeysetCursorPage (`keyset_rows`): cut from the kept top N in
    Python, or ranked in SQL for a page beyond it (or when nothing could be kept)."""

    def __init__(self, feed: FeedContext, rows: list[RankedRow] | None, truncated: bool):
        self.feed, self.rows, self.truncated = feed, rows, truncated

    def _sql(self, ordering: tuple[str, ...], order: tuple[str, ...], values, after, limit):
        queryset = recommended_ranking(feed=self.feed)
        if values is not None:
            queryset = queryset.filter(keyset_filter(ordering, values, after=after))
        return list(queryset.order_by(*order)[:limit])

    def keyset_rows(
        self,
        ordering: tuple[str, ...],
        order: tuple[str, ...],
        values: list | None,
        *,
        after: bool,
        limit: int,
    ) -> list:
        """Up to `limit` rows strictly after (or before) the cursor `values`, in `order`."""
        assert tuple(ordering) == ORDERING
        rows = self.rows
        if rows is None:
            return self._sql(ordering, order, values, after, limit)
        key = None
        if values is not None:
            score, posted_at, audition_id = values
            key = (int(score), datetime.fromisoformat(posted_at), uuid.UUID(str(audition_id)))
            beyond = rows and key < (rows[-1].score, rows[-1].posted_at, rows[-1].id)
            if self.truncated and (beyond or not rows):
                return self._sql(ordering, order, values, after, limit)
        # rows are descending in (score, posted_at, id)
        if after:
            start = 0
            if key is not None:
                start = next(
                    (i for i, r in enumerate(rows) if (r.score, r.posted_at, r.id) < key),
                    len(rows),
                )
            page = rows[start : start + limit]
            if len(page) < limit and self.truncated:
                return self._sql(ordering, order, values, after, limit)
            return page
        end = len(rows)
        if key is not None:
            end = next(
                (i for i, r in enumerate(rows) if (r.score, r.posted_at, r.id) <= key), len(rows)
            )
        return list(reversed(rows[max(0, end - limit) : end]))


def recommended_feed(*, feed: FeedContext) -> RankedFeed:
    """The member's ranking: kept (see above) or ranked now in SQL and kept. The returned
    feed's `now` is the one the ranking was scored with, so the page's parts agree with it."""
    key = _feed_key(feed)
    if key is None:
        return RankedFeed(feed, None, False)
    try:
        kept = cache.get(key)
    except Exception:
        logger.warning("recommended feed: cache unavailable, ranking in SQL", exc_info=True)
        return RankedFeed(feed, None, False)
    if kept is not None:
        now, truncated, raw = kept
        rows = [RankedRow(audition_id, posted_at, score) for score, posted_at, audition_id in raw]
        return RankedFeed(dataclasses.replace(feed, now=now), rows, truncated)
    raw = list(
        recommended_ranking(feed=feed)
        .order_by(*ORDERING)
        .values_list("score", "posted_at", "id")[: FEED_CACHE_SIZE + 1]
    )
    truncated = len(raw) > FEED_CACHE_SIZE
    raw = raw[:FEED_CACHE_SIZE]
    try:
        cache.set(key, (feed.now, truncated, raw), timeout=FEED_CACHE_SECONDS)
    except Exception:
        logger.warning("recommended feed: cache unavailable, not kept", exc_info=True)
    rows = [RankedRow(audition_id, posted_at, score) for score, posted_at, audition_id in raw]
    return RankedFeed(feed, rows, truncated)


# --- Reasons (the page only) --------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    code: str
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "text": self.text}


TEXTS: dict[str, dict[str, str]] = {
    "category_match": {
        "en": "{category}: one of your interests",
        "ko": "관심 분야({category})의 오디션입니다",
    },
    "region_match": {"en": "In {region}, where you work", "ko": "활동 지역({region})입니다"},
    "region_anywhere": {"en": "{region}: no travel needed", "ko": "{region} 진행이라 지역 무관"},
    "gender_fits_role": {
        "en": "Role “{role}” is for {gender}",
        "ko": "“{role}” 역은 {gender} 배역입니다",
    },
    "gender_any": {
        "en": "Role “{role}” is open to any gender",
        "ko": "“{role}” 역은 성별 무관입니다",
    },
    "age_fits_role": {
        "en": "Role “{role}” asks for {range}; you are {age}",
        "ko": "“{role}” 역 {range}세 모집, 회원님은 {age}세",
    },
    "height_fits_role": {
        "en": "Role “{role}” asks for {range} cm; you are {height} cm",
        "ko": "“{role}” 역 키 {range}cm, 회원님은 {height}cm",
    },
    "height_unknown": {
        "en": "Role “{role}” asks for {range} cm: add your height to your profile",
        "ko": "“{role}” 역은 키 {range}cm를 찾습니다. 프로필에 키를 입력하세요",
    },
    "age_near_miss": {
        "en": "Near miss: role “{role}” asks for {range}; you are {age}",
        "ko": "아깝게 벗어남: “{role}” 역 {range}세 모집, 회원님은 {age}세",
    },
    "height_near_miss": {
        "en": "Near miss: role “{role}” asks for {range} cm; you are {height} cm",
        "ko": "아깝게 벗어남: “{role}” 역 키 {range}cm, 회원님은 {height}cm",
    },
    "pay_stated": {"en": "Pay stated: {pay}", "ko": "출연료 명시: {pay}"},
    "pay_terms": {"en": "Paid ({pay_type}), amount not stated", "ko": "유급(금액 미기재)"},
    "deadline_soon": {
        "en": "Closes soon: {deadline} ({days} days left)",
        "ko": "마감 임박: {deadline} ({days}일 남음)",
    },
    "deadline_today": {"en": "Closes today", "ko": "오늘 마감"},
    "fresh": {"en": "Posted {days} days ago", "ko": "{days}일 전 등록"},
    "fresh_today": {"en": "Posted today", "ko": "오늘 등록"},
    "trusted": {"en": "Trust score {score}", "ko": "신뢰도 {score}점"},
    "low_trust": {
        "en": "Low trust score {score}: check the posting before applying",
        "ko": "신뢰도 {score}점: 지원 전에 공고를 확인하세요",
    },
}
GENDER_WORDS = {
    "female": {"en": "women", "ko": "여성"},
    "male": {"en": "men", "ko": "남성"},
}


def _text(code: str, language: str, **values: Any) -> Reason:
    templates = TEXTS[code]
    return Reason(code, templates.get(language, templates["en"]).format(**values))


def _span(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"{low}{DASH}{high}"
    return f"{low}+" if low is not None else f"≤{high}"


def _in_range(low: int | None, high: int | None, value: int, slack: int = 0) -> bool:
    return (low is None or low <= value + slack) and (high is None or high >= value - slack)


def _gender_ok(role: dict, performer: Performer) -> bool:
    if performer.gender in (Gender.FEMALE, Gender.MALE):
        return role["gender"] in (performer.gender, Gender.ANY)
    return role["gender"] == Gender.ANY if performer.gender else True


def _role_fits(role: dict, performer: Performer, slack: tuple[int, int] = (0, 0)) -> bool:
    """The Python twin of role_fit_q / role_near_q, for the page's roles."""
    return (
        _gender_ok(role, performer)
        and (
            performer.age is None
            or _in_range(role["age_min"], role["age_max"], performer.age, slack[0])
        )
        and (
            performer.height_cm is None
            or _in_range(
                role["height_min_cm"], role["height_max_cm"], performer.height_cm, slack[1]
            )
        )
    )


def _specificity(role: dict, performer: Performer) -> int:
    """Prefer explaining the role that was written for someone like the member."""
    stated = (
        (role["gender"] == performer.gender)
        + (role["age_min"] is not None or role["age_max"] is not None)
        + (role["height_min_cm"] is not None or role["height_max_cm"] is not None)
    )
    return stated


def _role_reasons(roles: list[dict], performer: Performer, fits: bool) -> list[Reason]:
    lang = performer.language
    if fits:
        candidates = [r for r in roles if _role_fits(r, performer)]
        if not candidates:
            return []
        role = max(candidates, key=lambda r: _specificity(r, performer))
        reasons = []
        if role["gender"] == Gender.ANY:
            reasons.append(_text("gender_any", lang, role=role["name"]))
        elif role["gender"] == performer.gender:
            reasons.append(
                _text(
                    "gender_fits_role",
                    lang,
                    role=role["name"],
                    gender=GENDER_WORDS[role["gender"]][lang if lang in ("en", "ko") else "en"],
                )
            )
        age_stated = role["age_min"] is not None or role["age_max"] is not None
        if performer.age is not None and age_stated:
            reasons.append(
                _text(
                    "age_fits_role",
                    lang,
                    role=role["name"],
                    range=_span(role["age_min"], role["age_max"]),
                    age=performer.age,
                )
            )
        height_stated = role["height_min_cm"] is not None or role["height_max_cm"] is not None
        if height_stated:
            span = _span(role["height_min_cm"], role["height_max_cm"])
            if performer.height_cm is None:
                reasons.append(_text("height_unknown", lang, role=role["name"], range=span))
            else:
                reasons.append(
                    _text(
                        "height_fits_role",
                        lang,
                        role=role["name"],
                        range=span,
                        height=performer.height_cm,
                    )
                )
        return reasons
    # A near miss: say by how much, for the closest role.
    slack = (NEAR_AGE_YEARS, NEAR_HEIGHT_CM)
    for role in roles:
        if not _role_fits(role, performer, slack):
            continue
        reasons = []
        if performer.age is not None and not _in_range(
            role["age_min"], role["age_max"], performer.age
        ):
            reasons.append(
                _text(
                    "age_near_miss",
                    lang,
                    role=role["name"],
                    range=_span(role["age_min"], role["age_max"]),
                    age=performer.age,
                )
            )
        if performer.height_cm is not None and not _in_range(
            role["height_min_cm"], role["height_max_cm"], performer.height_cm
        ):
            reasons.append(
                _text(
                    "height_near_miss",
                    lang,
                    role=role["name"],
                    range=_span(role["height_min_cm"], role["height_max_cm"]),
                    height=performer.height_cm,
                )
            )
        return reasons
    return []


def _pay_text(audition: Audition) -> str:
    low, high = audition.pay_amount_min, audition.pay_amount_max
    amount = f"{low:,}{DASH}{high:,}" if low and high and low != high else f"{(high or low):,}"
    unit = f"/{audition.pay_unit}" if audition.pay_unit else ""
    return f"{amount} {audition.pay_currency}{unit}"


def explain(audition: Audition, performer: Performer, today: date) -> list[dict[str, str]]:
    """The reasons behind one scored row (its `pts_*` annotations and its `role_rows`), most
    weighty first. Codes are stable for the app; texts follow the member's language."""
    lang = performer.language
    reasons = _role_reasons(audition.role_rows, performer, bool(audition.fits))
    if audition.pts_category:
        reasons.append(_text("category_match", lang, category=audition.get_category_display()))
    if audition.pts_region == POINTS_REGION:
        reasons.append(_text("region_match", lang, region=audition.get_region_display()))
    elif audition.pts_region:
        reasons.append(_text("region_anywhere", lang, region=audition.get_region_display()))
    if audition.pts_deadline and audition.deadline:
        days = (audition.deadline - today).days
        if days == 0:
            reasons.append(_text("deadline_today", lang))
        else:
            reasons.append(
                _text("deadline_soon", lang, deadline=audition.deadline.isoformat(), days=days)
            )
    if audition.pts_pay == POINTS_PAY_AMOUNT:
        reasons.append(_text("pay_stated", lang, pay=_pay_text(audition)))
    elif audition.pts_pay:
        reasons.append(_text("pay_terms", lang, pay_type=audition.pay_type))
    if audition.pts_fresh:
        days = (timezone.localdate() - timezone.localtime(audition.posted_at).date()).days
        reasons.append(_text("fresh", lang, days=days) if days > 0 else _text("fresh_today", lang))
    if audition.trust_score >= TRUSTED_SCORE:
        reasons.append(_text("trusted", lang, score=audition.trust_score))
    elif audition.trust_score < LOW_TRUST_SCORE:
        reasons.append(_text("low_trust", lang, score=audition.trust_score))
    return [reason.as_dict() for reason in reasons]
