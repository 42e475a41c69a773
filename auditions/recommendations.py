"""The recommended feed (`GET auditions/recommended`): open auditions scored for one member.

Eligibility and the score are computed in the database. The member's facts (age on the day,
gender, height, interests, regions) are constants; "a role fits" is an EXISTS probe on the
roles' covering index, the auditions the member dismissed or applied to are excluded by id
(read once per page), and the score is the
member's own points (role, category, region: a handful of values) plus the audition's
member-independent `feed_points` (pay, deadline, freshness, trust), kept in a column
(feed_points.py). That split lets each page walk an index best-first and stop (see "The
ranking" below): a page costs about the same at any depth and catalogue size, and the query
count does not depend on either.

Only the page (20 rows) comes back to Python, where `auditions.reasons.explain` turns the
annotated parts and the page's role rows into `reasons` (codes + human text). The role
predicates exist twice (Q objects for SQL, `role_fits` for the page's explanation);
test_recommendations pins both against the same crafted roles.

Score (0-100): a fitting role 15, category in interests 25, region 15 (one of the member's) or
10 (online/nationwide), pay 10 (paid with an amount) or 4 (paid or negotiable without one),
deadline 10 (within 7 days) or 5 (within 14), freshness 10 (posted within 3 calendar days) /
6 (7) / 3 (14), trust score x 0.15 (0-15). A near miss (asked for with `near_misses=true`)
gets no role points.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from accounts.models import Member, Profile
from accounts.selectors import MINOR_AGE
from applications.models import Application
from auditions import feed_points, page_statements, paging, prepared, trust
from auditions.derived import seoul_today
from auditions.models import Audition, Dismissal, Gender, Region, Role
from auditions.selectors import (
    audition_attach_related,
    audition_member_scope,
    audition_rows,
    audition_rows_attach_related,
    audition_visible_q,
    audition_with_related,
    trust_flags_q,
)
from ohmanager import statements

ORDERING = ("-score", "-posted_at", "-id")
# How far outside a role's stated range still counts as a near miss.
NEAR_AGE_YEARS = 3
NEAR_HEIGHT_CM = 5

POINTS_ROLE = 15
POINTS_CATEGORY = 25
POINTS_REGION = 15
POINTS_REGION_ANYWHERE = 10
ANYWHERE_REGIONS = (Region.ONLINE, Region.NATIONWIDE)
MAX_SCORE = POINTS_ROLE + POINTS_CATEGORY + POINTS_REGION + feed_points.MAX_POINTS  # 100


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
    found = _performer_facts(member)
    if not found:
        return Performer(language=member.language)
    (profile,) = found
    birth_date = profile["birth_date"]
    return Performer(
        gender=profile["gender"] or "",
        age=age_on(birth_date, today) if birth_date else None,
        height_cm=profile["height_cm"],
        interests=tuple(profile["interests"] or ()),
        regions=tuple(profile["regions"] or ()),
        language=member.language,
    )


PERFORMER_FACTS = ("birth_date", "gender", "height_cm", "interests", "regions")


def _performer_facts(member: Member) -> list[dict[str, Any]]:
    """The member's profile facts the feed ranks by (none without a profile), by a statement
    kept compiled (the ORM's build was a tenth of a feed request's CPU time)."""
    return page_statements.member_rows(
        ("feed_performer",),
        lambda member_id: Profile.objects.filter(member_id=member_id).values(*PERFORMER_FACTS),
        member,
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


# --- Role eligibility (Python, for the page's rows) ------------------------------------------


def in_range(low: int | None, high: int | None, value: int, slack: int = 0) -> bool:
    return (low is None or low <= value + slack) and (high is None or high >= value - slack)


def _gender_ok(role: dict, performer: Performer) -> bool:
    if performer.gender in (Gender.FEMALE, Gender.MALE):
        return role["gender"] in (performer.gender, Gender.ANY)
    return role["gender"] == Gender.ANY if performer.gender else True


def role_fits(role: dict, performer: Performer, slack: tuple[int, int] = (0, 0)) -> bool:
    """The Python twin of role_fit_q / role_near_q, for the page's roles."""
    return (
        _gender_ok(role, performer)
        and (
            performer.age is None
            or in_range(role["age_min"], role["age_max"], performer.age, slack[0])
        )
        and (
            performer.height_cm is None
            or in_range(role["height_min_cm"], role["height_max_cm"], performer.height_cm, slack[1])
        )
    )


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
    near_misses: bool = False


def feed_context(
    *,
    member: Member,
    today: date | None = None,
    near_misses: bool = False,
    performer: Performer | None = None,
) -> FeedContext:
    today = today or seoul_today()
    return FeedContext(
        member=member,
        performer=performer or performer_for(member=member, today=today),
        today=today,
        near_misses=near_misses,
    )


def _parts(feed: FeedContext) -> dict[str, Any]:
    """The page's score parts as expressions over the audition's own columns, for `explain`:
    the member's own (category, region) and the shared ones (`feed_points.parts`)."""
    performer = feed.performer
    return {
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
        **feed_points.parts(feed.today),
    }


# --- The ranking ----------------------------------------------------------------------------
#
# score = role (15 if a role fits; 0 for a near miss) + category (25|0) + region (15|10|0)
#         + feed_points (the member-independent 0-45, kept per audition: feed_points.py).
# The member's own part takes few values, each decided by which category and region an audition
# has, so the catalogue splits into a handful of branches (category in the interests or not x
# region theirs / online-nationwide / other x role fits / nearly fits), and within a branch the
# order by score IS the order by (feed_points, posted_at, id): the `audition_feed_rank` index
# (or `audition_feed_category`, led by the category, for a branch of one interest).
# A page is the best `limit` rows after the cursor of each branch, merged: every branch walks
# the index from the cursor and stops after `limit` matching rows, probing "a role fits" per row
# on the role index. The best branch runs first; once `limit` rows are in hand a branch that
# cannot reach the worst of them is skipped and the others stop at it, and those still in reach
# are read together in one UNION ALL (_BranchSQL). A page costs about the same at any depth and
# any catalogue size, in at most two branch queries, without keeping anything per member.


@dataclass(frozen=True)
class Branch:
    """Auditions whose member-specific points are all `bonus`: (category, region, role) sets."""

    bonus: int
    conditions: tuple[Any, ...]


def _category_sets(performer: Performer) -> list[tuple[int, Q]]:
    if not performer.interests:
        return [(0, Q())]
    # One branch per interest: `category = x ORDER BY feed_points` walks only that category's
    # entries of `audition_feed_category`, so a rare interest (or a rare interest in a rare
    # region) never walks the whole catalogue to find its few rows.
    interests = list(performer.interests)
    sets = [(POINTS_CATEGORY, Q(category=category)) for category in interests]
    return [*sets, (0, ~Q(category__in=interests))]


def _region_sets(performer: Performer) -> list[tuple[int, Q]]:
    if not performer.regions:
        return [(0, Q())]
    regions = list(performer.regions)
    anywhere = [region for region in ANYWHERE_REGIONS if region not in regions]
    sets = [(POINTS_REGION, Q(region__in=regions))]
    if anywhere:
        sets.append((POINTS_REGION_ANYWHERE, Q(region__in=anywhere)))
    sets.append((0, ~Q(region__in=regions + anywhere)))
    return sets


def _has_role(condition: Q) -> Exists:
    return Exists(Role.objects.filter(condition, audition_id=OuterRef("pk")))


def branches(feed: FeedContext) -> list[Branch]:
    """The feed's partition, best bonus first."""
    performer = feed.performer
    fits = _has_role(role_fit_q(performer))
    roles = [(POINTS_ROLE, (fits,))]
    if feed.near_misses:
        roles.append((0, (_has_role(role_near_q(performer)), ~fits)))
    categories, regions = _category_sets(performer), _region_sets(performer)
    found = [  # the condition objects are shared between branches: compiled once per page
        Branch(role + category + region, (category_q, region_q, *role_q))
        for role, role_q in roles
        for category, category_q in categories
        for region, region_q in regions
    ]
    return sorted(found, key=lambda branch: -branch.bonus)


def _candidates(feed: FeedContext, dealt_with: list[uuid.UUID]) -> QuerySet:
    """Visible auditions the member has not dismissed or applied to (any status, withdrawn
    included: they have dealt with it). Their ids (`_dealt_with`, read once per page) are
    excluded as a list in every branch: cheaper to build and plan than two anti-join
    subqueries per branch."""
    visible = Audition.objects.filter(audition_visible_q(feed.today))
    if _is_minor(feed):
        # Issue #17: adult content and fee-demanding posts are never recommended to minors.
        visible = visible.exclude(trust_flags_q(trust.NOT_RECOMMENDED_TO_MINORS))
    return visible.exclude(pk__in=dealt_with) if dealt_with else visible


# A member's dealt-with ids are padded to a multiple of this with ids no audition has: members
# with about as many share the branch statements' text (and so their plans).
DEALT_WITH_SLOTS = 10


def _padded(dealt_with: list[uuid.UUID]) -> list[uuid.UUID]:
    missing = -len(dealt_with) % DEALT_WITH_SLOTS
    return dealt_with + [uuid.UUID(f"0d0d0d0d-0d0d-4d0d-8d0d-{n:012x}") for n in range(missing)]


def _candidates_sql(
    feed: FeedContext, dealt_with: list[uuid.UUID], *, bind: bool
) -> tuple[tuple[str, list], bool]:
    """The candidates' compiled condition, and whether the branch reads go bound on the server.

    Where statements are (ohmanager/statements.py), the constants (the open status, a minor's
    excluded flags) are written into the text so a generic plan can use the partial ranking
    indexes; today and the dealt-with ids stay parameters, as the branch conditions' values do
    (categories, regions, gender, age, height). The text then depends on the member's shape
    (how many interests, regions and dealt-with ids; whether age and height are known; near
    misses, minor) and on the page's place (cursor, edge, which branches still reach it), not
    on the values: members of one shape share its prepared statements and plans on a
    connection."""
    padded = _padded(dealt_with) if bind and dealt_with else dealt_with
    sql, params = _BranchSQL.compile(_candidates(feed, padded).query)
    if not sql or not bind:
        return (sql, params), False
    varying = (feed.today, *padded)
    keep = {
        n for n, param in enumerate(params) if any(prepared.written_as(param, v) for v in varying)
    }
    try:
        text = statements.inline_constants(sql, params, keep)
    except statements.NotInlinable:
        return (sql, params), False
    return (text, [params[n] for n in sorted(keep)]), True


def _is_minor(feed: FeedContext) -> bool:
    return feed.performer.age is not None and feed.performer.age < MINOR_AGE


def _dealt_with(feed: FeedContext) -> list[uuid.UUID]:
    """The auditions the member dismissed or applied to, in a stable order (one query, kept
    compiled: building the union cost as much CPU as the rest of the ranking's SQL)."""

    def dealt_with(member_id: Any) -> QuerySet:
        dismissed = Dismissal.objects.filter(member_id=member_id).order_by().values("audition_id")
        applied = Application.objects.filter(member_id=member_id).order_by().values("audition_id")
        return dismissed.union(applied)

    found = page_statements.member_rows(("feed_dealt_with",), dealt_with, feed.member)
    return sorted(row["audition_id"] for row in found)


def _serial_plans(*, bind: bool) -> None:
    """Each branch reads a few dozen index entries: PostgreSQL's parallel workers (started per
    branch, ~15 ms each on the 100k bench) and JIT would cost more than the work. With the
    branch reads bound on the server (`_candidates_sql`), their generic plan is taken from the
    first run: PostgreSQL's own choice (`auto`) kept planning them per run because it
    estimates the generic plan dearer, yet it ran in half the time (0.20 against 0.40 ms and
    0.57 against 1.35 ms, the first page's two reads on the 100k bench) and saves the planning.
    SET LOCAL lasts until the request's transaction ends (ATOMIC_REQUESTS)."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        settings = "SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off"
        if bind:
            settings += "; SET LOCAL plan_cache_mode = force_generic_plan"
        with connection.cursor() as cursor:
            cursor.execute(settings)


@dataclass(frozen=True, slots=True)
class RankedRow:
    """One ranked audition: what the keyset page and `recommended_page` read."""

    id: uuid.UUID
    posted_at: datetime
    score: int

    @property
    def pk(self) -> uuid.UUID:
        return self.id

    @property
    def key(self) -> tuple[int, datetime, uuid.UUID]:
        return (self.score, self.posted_at, self.id)


def ranked_page(*, feed: FeedContext, cursor: paging.Cursor | None, page_size: int) -> paging.Page:
    """The page of the member's ranking `cursor` points at (`recommended_page` fills it in)."""
    ranked = RankedFeed(feed)

    def fetch(order: tuple[str, ...], values: list | None, after: bool, limit: int) -> list:
        with paging.invalid_cursor():  # a forged cursor, not a server error
            return ranked.keyset_rows(ORDERING, order, values, after=after, limit=limit)

    return paging.keyset_page(fetch, ordering=ORDERING, cursor=cursor, page_size=page_size)


class RankedFeed:
    """The member's ranking, a keyset page at a time."""

    def __init__(self, feed: FeedContext):
        self.feed = feed

    def keyset_rows(
        self,
        ordering: tuple[str, ...],
        order: tuple[str, ...],
        values: list | None,
        *,
        after: bool,
        limit: int,
    ) -> list[RankedRow]:
        """Up to `limit` rows strictly after (or, `after=False`, before) the cursor `values`,
        in `order` (ORDERING, or its reverse for a previous page)."""
        assert tuple(ordering) == ORDERING
        cursor = None
        if values is not None:
            score, posted_at, audition_id = values
            cursor = (int(score), datetime.fromisoformat(posted_at), uuid.UUID(str(audition_id)))
            if not 0 <= cursor[0] <= MAX_SCORE:  # a forged cursor, not a database error
                raise ValueError("cursor score out of range")
        best_first = order[0].startswith("-")
        bind = statements.server_binding()
        _serial_plans(bind=bind)
        feed = self.feed
        dealt_with = _dealt_with(feed)
        # Compiling the candidates and the branch conditions cost more than their SQL
        # (profiled on the 100k bench); each is kept per thread under every input it is
        # built from (the date, the minor flag and the dealt-with ids; the performer's facts).
        base, bound = prepared.memo(
            "feed_candidates",
            (feed.today, _is_minor(feed), tuple(dealt_with), bind),
            lambda: _candidates_sql(feed, dealt_with, bind=bind),
        )
        plan, compiled = prepared.memo(
            "feed_branches", (feed.performer, feed.near_misses), lambda: (branches(feed), {})
        )
        arms = _BranchSQL(
            base, compiled, bound=bound, best_first=best_first, after=after, limit=limit
        )
        best, *others = plan if best_first else reversed(plan)
        # The best branch alone first: it often fills the page, and the page's worst score
        # then prunes the others; every branch still in reach goes in one UNION ALL round trip.
        # A page deep in the ranking, where many branches overlap the cursor, costs two queries.
        rows = self._merged([], arms.read_rows([best], cursor, None), best_first, limit)
        edge = rows[limit - 1].score if len(rows) >= limit else None
        others = [branch for branch in others if _reaches(branch, edge, best_first)]
        if others:
            found = arms.read_rows(others, cursor, edge)
            rows = self._merged(rows, found, best_first, limit)
        return rows

    @staticmethod
    def _merged(rows: list, found: list, best_first: bool, limit: int) -> list[RankedRow]:
        rows = sorted(rows + found, key=lambda row: row.key, reverse=best_first)
        return rows[:limit]


def _reaches(branch: Branch, edge: int | None, best_first: bool) -> bool:
    """Can a row of `branch` still enter a page whose current worst score is `edge`?"""
    if edge is None:
        return True
    if best_first:
        return branch.bonus + feed_points.MAX_POINTS >= edge
    return branch.bonus <= edge


class _BranchSQL:
    """One page's branch reads as SQL: the shared conditions (visible, not dealt with, a role
    fits, each category and region set) are compiled by the ORM once per page, and each branch
    is their conjunction walked along the ranking index from the cursor:

        SELECT feed_points + bonus, posted_at, id FROM auditions_audition
        WHERE <visible, not dealt with> AND <category> AND <region> AND <role>
          AND (feed_points, posted_at, id) < (cursor - bonus)   -- the keyset, a row comparison
          AND feed_points >= edge - bonus                        -- can still reach the page
        ORDER BY feed_points DESC, posted_at DESC, id DESC LIMIT n

    Several branches go as one UNION ALL of such SELECTs, each wrapped as a subquery so it
    keeps its own ORDER BY and LIMIT (PostgreSQL and SQLite alike). Building each branch as a
    queryset instead re-resolved and re-compiled the role EXISTS per branch: most of a deep
    page's cost (profiled on the 100k bench)."""

    table = Audition._meta.db_table

    def __init__(
        self,
        base: tuple[str, list],
        compiled: dict[int, tuple[str, list]],
        *,
        bound: bool,
        best_first: bool,
        after: bool,
        limit: int,
    ):
        """`base`: the candidates' compiled condition; `compiled`: the branch conditions'
        fragments by `id()`, filled on first use (kept with the Branch objects that hold
        those conditions, so an id is never reused while its entry lives); `bound`: read through
        a server-binding cursor (`_candidates_sql`)."""
        self.bound, self.best_first, self.after, self.limit = bound, best_first, after, limit
        self._compiled = compiled
        self._base = base
        quote = connection.ops.quote_name
        self._columns = [f"{quote(self.table)}.{quote(name)}" for name in BRANCH_COLUMNS]
        direction = "DESC" if best_first else "ASC"
        self._order = ", ".join(f"{column} {direction}" for column in self._columns)

    @staticmethod
    def compile(query) -> tuple[str, list]:
        try:
            sql, params = query.get_compiler(connection=connection).compile(query.where)
        except FullResultSet:  # no condition (a member without interests, say)
            return "", []
        except EmptyResultSet:
            return "1 = 0", []
        return sql, list(params)

    def _condition(self, condition: Any) -> tuple[str, list]:
        key = id(condition)
        if key not in self._compiled:  # Q, Exists or ~Exists, resolved against Audition
            self._compiled[key] = self.compile(Audition.objects.filter(condition).query)
        return self._compiled[key]

    def _select(self, branch: Branch, cursor: tuple | None, edge: int | None):
        parts = [self._base, *(self._condition(c) for c in branch.conditions)]
        if cursor is not None:  # strictly after the cursor, in this branch's own points
            shifted = (cursor[0] - branch.bonus, cursor[1], cursor[2])
            compare = "<" if self.after else ">"  # the ranking is descending
            marks = ", ".join(["%s"] * 3)
            parts.append((f"({', '.join(self._columns)}) {compare} ({marks})", _db_values(shifted)))
        if edge is not None:  # rows that cannot beat the page's current worst are not read
            bound = ">=" if self.best_first else "<="
            parts.append((f"{self._columns[0]} {bound} %s", [edge - branch.bonus]))
        where = " AND ".join(f"({sql})" for sql, _ in parts if sql)
        params = [p for _, part_params in parts for p in part_params]
        points, posted_at, pk = self._columns
        # Identifiers are quoted names and the ORM's compiled fragments; every value a param
        # but the bonus and the limit, our own integers (a generic plan needs the limit).
        sql = (
            f"SELECT {points} + {int(branch.bonus)} AS branch_score, "  # noqa: S608
            f"{posted_at} AS posted_at, {pk} AS id "
            f"FROM {connection.ops.quote_name(self.table)} WHERE {where} "
            f"ORDER BY {self._order} LIMIT {int(self.limit)}"
        )
        return sql, params

    def read_rows(self, batch: list[Branch], cursor: tuple | None, edge: int | None):
        """The best `limit` rows of each branch in `batch` after the cursor: one query (more
        only where the database caps a statement's parameters and the member has dealt with
        so many auditions that the repeated exclusion list passes the cap: SQLite's 999)."""
        rows: list[RankedRow] = []
        to_id, to_posted_at = _reader(_ID), _reader(_POSTED_AT)
        for statement in _statements([self._select(branch, cursor, edge) for branch in batch]):
            sql = " UNION ALL ".join(
                f"SELECT * FROM ({select}) AS branch_{n}"  # noqa: S608
                for n, (select, _) in enumerate(statement)
            )
            params = [param for _, select_params in statement for param in select_params]
            opened = statements.statement_cursor() if self.bound else connection.cursor()
            with opened as cursor:
                cursor.execute(sql, params)
                found = cursor.fetchall()
            rows += [
                RankedRow(to_id(pk), to_posted_at(posted_at), score)
                for score, posted_at, pk in found
            ]
        return rows


_ID = Audition._meta.pk.get_col(Audition._meta.db_table)
_POSTED_AT = Audition._meta.get_field("posted_at").get_col(Audition._meta.db_table)


def _reader(col: Any) -> Callable[[Any], Any]:
    """A column's values as the ORM reads them (SQLite's text datetimes and uuids; PostgreSQL's
    come typed): the backend's and the field's converters, as raw() applies them, looked up
    once per read (per value, they were a tenth of a feed request's CPU time)."""
    converters = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
    if not converters:
        return _as_is

    def read(value: Any) -> Any:
        for converter in converters:
            value = converter(value, col, connection)
        return value

    return read


def _as_is(value: Any) -> Any:
    return value


def _statements(selects: list[tuple[str, list]]) -> list[list[tuple[str, list]]]:
    """`selects` grouped into UNION statements within the database's parameter cap."""
    cap = connection.features.max_query_params
    groups: list[list[tuple[str, list]]] = [[]]
    used = 0
    for select in selects:
        if cap and groups[-1] and used + len(select[1]) > cap:
            groups.append([])
            used = 0
        groups[-1].append(select)
        used += len(select[1])
    return groups


BRANCH_COLUMNS = ("feed_points", "posted_at", "id")


def _db_values(key: tuple[int, datetime, uuid.UUID]) -> list:
    fields = [Audition._meta.get_field(name) for name in BRANCH_COLUMNS]
    pairs = zip(fields, key, strict=True)
    return [field.get_db_prep_value(value, connection) for field, value in pairs]


def recommended_page(
    *, feed: FeedContext, ranked: list[RankedRow], as_rows: bool = False
) -> list[Audition] | list[dict]:
    """The page's full rows, in the ranking's order, with the score's parts (`pts_*`) and
    `fits` for `explain`, and the roles and sources: a fixed number of queries per page.
    `fits` comes from the page's roles (the SQL twin is pinned by a test); the score is the
    ranking's. `as_rows`: plain dicts (selectors.audition_rows, for the lean read path) with
    the same keys as the instances' attributes, read by a kept statement and their parts
    counted in Python (`row_parts`, pinned to `_parts` by test_lean_equivalence)."""
    if not ranked:
        return []
    scores = {row.pk: row.score for row in ranked}
    if as_rows:
        by_key = {row["id"]: row for row in _page_rows(feed.member, [row.pk for row in ranked])}
        found = audition_rows_attach_related([by_key[r.pk] for r in ranked if r.pk in by_key])
        for row in found:
            row.update(row_parts(row, feed))
            row["fits"] = any(role_fits(role, feed.performer) for role in row["role_rows"])
            row["pts_role"] = POINTS_ROLE if row["fits"] else 0
            row["score"] = scores[row["id"]]
        return found
    rows = audition_with_related(
        Audition.objects.filter(pk__in=[row.pk for row in ranked]), feed.member
    ).annotate(**_parts(feed))
    by_id = {row.pk: row for row in rows}
    page = audition_attach_related([by_id[row.pk] for row in ranked if row.pk in by_id])
    for row in page:
        row.fits = any(role_fits(role, feed.performer) for role in row.role_rows)
        row.pts_role = POINTS_ROLE if row.fits else 0
        row.score = scores[row.pk]
    return page


def row_parts(row: dict, feed: FeedContext) -> dict[str, int]:
    """`_parts` counted in Python on a page row's own columns."""
    performer = feed.performer
    region = 0
    if performer.regions and row["region"] in performer.regions:
        region = POINTS_REGION
    elif performer.regions and row["region"] in ANYWHERE_REGIONS:
        region = POINTS_REGION_ANYWHERE
    return {
        "pts_category": POINTS_CATEGORY if row["category"] in performer.interests else 0,
        "pts_region": region,
        **feed_points.parts_for(
            pay_type=row["pay_type"],
            pay_sort=row["pay_sort"],
            deadline=row["deadline"],
            posted_at=row["posted_at"],
            trust_score=row["trust_score"],
            today=feed.today,
        ),
    }


# A page's ids are padded to a multiple of this (repeating one): a few statement shapes.
PAGE_ID_SLOTS = 10


def _page_rows(member: Member, ids: list[uuid.UUID]) -> list[dict]:
    """The rows of the auditions `ids` (selectors.audition_rows, for `member`), by a statement
    kept per member scope and padded id count (auditions/prepared.py)."""
    slots = -(-len(ids) // PAGE_ID_SLOTS) * PAGE_ID_SLOTS
    names = [f"page_{n}" for n in range(slots)]

    def queryset(marks: dict) -> QuerySet:
        listed = Audition.objects.filter(pk__in=[marks[name] for name in names])
        return audition_rows(
            audition_with_related(listed, page_statements.member_from(marks, member))
        )

    def build() -> prepared.PreparedRows:
        first, second = page_statements.marks((), member)
        for n, name in enumerate(names):  # values no real audition has, distinct per set
            first[name] = uuid.UUID(f"0f0f0f0f-0f0f-4f0f-8f0f-{n:012x}")
            second[name] = uuid.UUID(f"0e0e0e0e-0e0e-4e0e-8e0e-{n:012x}")
        return prepared.PreparedRows(queryset, first, second)

    statement = prepared.prepared(("feed_page", audition_member_scope(member), slots), build)
    if statement is None:
        listed = Audition.objects.filter(pk__in=ids)
        return list(audition_rows(audition_with_related(listed, member)))
    padded = ids + [ids[0]] * (slots - len(ids))
    values = dict(zip(names, padded, strict=True))
    return statement.rows(**page_statements.member_value(member), **values)
