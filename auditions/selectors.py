"""Every read of the catalogue the API, admin, tasks and benchmarks need."""

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any
from uuid import UUID

import orjson
from django.contrib.postgres.search import SearchQueryField
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce
from django.http import QueryDict

from accounts import selectors as account_selectors
from accounts.models import Member
from auditions import page_statements, paging, posters, prepared, search, trust
from auditions.derived import seoul_today
from auditions.models import Audition, Bookmark, Role, SavedSearch, Source, SourceListing
from ohmanager.exceptions import NotFound

if TYPE_CHECKING:
    from auditions.filters import AuditionFilter  # the FilterSet builds on ORDERINGS below

# Columns the API shows; the search document, normalised copies and raw text stay behind.
LIST_COLUMNS = (
    "id",
    "title",
    "category",
    "company",
    "description",
    "production_type",
    "director",
    "casting_director",
    "region",
    "location",
    "pay_type",
    "pay_amount_min",
    "pay_amount_max",
    "pay_unit",
    "pay_currency",
    "pay_raw",
    "deadline",
    "shoot_start",
    "shoot_end",
    "posted_at",
    "apply_method",
    "apply_target",
    "apply_direct_only",
    "apply_subject_format",
    "required_media",
    "status",
    "trust_score",
    "trust_flags",
    "advertiser",
    "deadline_sort",
    "pay_sort",
)

ORDERINGS = {
    "deadline": ("deadline_sort", "id"),
    "-posted_at": ("-posted_at", "-id"),
    "-pay": ("-pay_sort", "-id"),
}
DEFAULT_ORDERING = "-posted_at"
# With a search query and no explicit ordering, title matches come first.
SEARCH_ORDERING = ("-title_hit", "-posted_at", "-id")


class TsMatch(Func):
    """`document @@ 'raw tsquery'::tsquery`: the raw query is cast, never parsed, so its
    lexemes meet the stored bigrams exactly (to_tsquery would run a dictionary over them)."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()

    def __init__(self, raw_query: str) -> None:
        super().__init__(
            F("search_vector"), Cast(Value(raw_query), output_field=SearchQueryField())
        )


def audition_visible_q(today: date) -> Q:
    """What performers see by default: open and not past the deadline, even before the
    expiry task has run (deadline_sort puts rolling calls at 9999-12-31)."""
    return Q(status=Audition.Status.OPEN, deadline_sort__gte=today)


def audition_status_filter(status: str, today: date) -> Q:
    if status == Audition.Status.OPEN:
        return audition_visible_q(today)
    if status == Audition.Status.EXPIRED:
        return Q(status=Audition.Status.EXPIRED) | Q(
            status=Audition.Status.OPEN, deadline_sort__lt=today
        )
    return Q(status=status)


def trust_flags_q(codes: tuple[str, ...]) -> Q:
    """Auditions carrying any of these trust flags. `trust_flags` is a JSON list of
    {"code", "reason"}; a quoted code never occurs in a reason, so a text match on the JSON is
    exact, and works alike on SQLite and PostgreSQL (no JSON containment on SQLite)."""
    condition = Q()
    for code in codes:
        condition |= Q(trust_flags__icontains=f'"{code}"')
    return condition


def minors_hidden(queryset: QuerySet, *, member: Member, flags: tuple[str, ...]) -> QuerySet:
    """`queryset` without the auditions carrying `flags` when `member` is under 19 (issue #17).
    The age check is an EXISTS on her profile inside the same query: no query of its own."""
    minor = Exists(account_selectors.minor_profile_exists(member_id=member.pk))
    return queryset.exclude(trust_flags_q(flags) & Q(minor))


def audition_with_related(queryset: QuerySet, member: Member | None) -> QuerySet:
    """The API's columns, plus whether `member` bookmarked each row and the id of their
    application to it (an EXISTS and a subquery on unique indexes, in the same query; a merge
    moves applications to the audition that stays, so this covers merged duplicates too).
    Roles and sources come with `audition_attach_related` once the page is cut."""
    from applications.models import Application  # applications builds on auditions

    queryset = queryset.only(*LIST_COLUMNS)
    if member is not None and member.is_authenticated:
        queryset = minors_hidden(queryset, member=member, flags=trust.HIDDEN_FROM_MINORS)
        mine = {"member": member, "audition_id": OuterRef("pk")}
        queryset = queryset.annotate(
            is_bookmarked=Exists(Bookmark.objects.filter(**mine)),
            application_id=Subquery(Application.objects.filter(**mine).values("id")[:1]),
        )
    return queryset


ROLE_COLUMNS = (
    "id",
    "name",
    "gender",
    "age_min",
    "age_max",
    "height_min_cm",
    "height_max_cm",
    "headcount",
    "description",
)


def _related_rows(ids: list) -> tuple[dict, dict]:
    """The roles and sources of the auditions `ids`, as plain rows by audition id: two queries
    for the whole page. Plain rows instead of prefetch_related, whose per-instance related
    managers and queryset clones cost more than the rest of the request (profiled on the 100k
    bench)."""
    roles: dict = defaultdict(list)
    sources: dict = defaultdict(list)
    if ids:
        for row in (
            Role.objects.filter(audition_id__in=ids)
            .order_by("position", "id")
            .values("audition_id", *ROLE_COLUMNS)
        ):
            roles[row.pop("audition_id")].append(row)
        for audition_id, name, url in (
            SourceListing.objects.filter(audition_id__in=ids)
            .order_by("first_seen_at", "id")
            .values_list("audition_id", "source__name", "url")
        ):
            sources[audition_id].append({"name": name, "url": url})
    return roles, sources


def audition_attach_related(auditions: list[Audition]) -> list[Audition]:
    """Sets `role_rows`, `source_rows` and `poster_figures` on each audition: three queries for
    the page (two without posters)."""
    roles, sources = _related_rows([audition.pk for audition in auditions])
    # The posters' figures (#18): one query for the page's posters.
    figures = posters.poster_figures(
        {audition.advertiser_id for audition in auditions if audition.advertiser_id}
    )
    for audition in auditions:
        audition.role_rows = roles[audition.pk]
        audition.source_rows = sources[audition.pk]
        audition.poster_figures = figures.get(audition.advertiser_id)
    return auditions


def audition_rows(queryset: QuerySet) -> QuerySet:
    """The same rows as plain dicts (`values()`): the API's columns and every annotation the
    queryset selects (the bookmark flag, the application id, a search's `title_hit`). What the
    lean read path (auditions/api/lean.py) shapes: no model instance per row, whose
    construction (deferred fields, signals) cost more than the page's SQL.

    On PostgreSQL each row also carries its roles and sources as JSON text, built by the same
    statement (`json_agg(json_build_object(...))` subqueries): one round trip for the page
    instead of three, and no ORM query to build for the related rows."""
    if connection.vendor == "postgresql":
        roles, sources = _related_json_sql()
        # Constant SQL built from the models' metadata, no parameters.
        queryset = queryset.annotate(
            role_json=RawSQL(roles, ()),  # noqa: S611
            source_json=RawSQL(sources, ()),  # noqa: S611
        )
    return queryset.values(*LIST_COLUMNS, *queryset.query.annotation_select)


@cache
def _related_json_sql() -> tuple[str, str]:
    """The roles and the sources of the outer query's audition as JSON arrays (as text), in
    _related_rows' order and keys; names from the models' metadata, built once per process."""
    audition = f'"{Audition._meta.db_table}"."{Audition._meta.pk.column}"'
    role = Role._meta
    columns = ", ".join(f"'{name}', r.\"{role.get_field(name).column}\"" for name in ROLE_COLUMNS)
    roles = (
        f"SELECT COALESCE(json_agg(json_build_object({columns}) "  # noqa: S608 (names from _meta)
        f'ORDER BY r."{role.get_field("position").column}", r."{role.pk.column}"), '
        f"'[]'::json)::text FROM \"{role.db_table}\" r "
        f'WHERE r."{role.get_field("audition").column}" = {audition}'
    )
    listing, source = SourceListing._meta, Source._meta
    sources = (
        f"SELECT COALESCE(json_agg(json_build_object("  # noqa: S608 (names from _meta)
        f"'name', s.\"{source.get_field('name').column}\", "
        f"'url', l.\"{listing.get_field('url').column}\") "
        f'ORDER BY l."{listing.get_field("first_seen_at").column}", l."{listing.pk.column}"), '
        f"'[]'::json)::text FROM \"{listing.db_table}\" l "
        f'JOIN "{source.db_table}" s ON s."{source.pk.column}" = '
        f'l."{listing.get_field("source").column}" '
        f'WHERE l."{listing.get_field("audition").column}" = {audition}'
    )
    return roles, sources


def audition_rows_attach_related(rows: list[dict]) -> list[dict]:
    """Sets `role_rows`, `source_rows` and `poster_figures` on each row of `audition_rows`:
    roles and sources decoded from the row's own JSON on PostgreSQL, else read in two queries
    for the page; the posters' figures (#18) in one query for the page's posters."""
    # (values() names the foreign key's column by the field: `advertiser`)
    figures = posters.poster_figures({row["advertiser"] for row in rows if row["advertiser"]})
    for row in rows:
        row["poster_figures"] = figures.get(row["advertiser"])
    if rows and "role_json" in rows[0]:
        for row in rows:
            row["role_rows"] = orjson.loads(row.pop("role_json"))
            row["source_rows"] = orjson.loads(row.pop("source_json"))
        return rows
    roles, sources = _related_rows([row["id"] for row in rows])
    for row in rows:
        row["role_rows"] = roles[row["id"]]
        row["source_rows"] = sources[row["id"]]
    return rows


def audition_search(queryset: QuerySet, query: str, *, title_only: bool = False) -> QuerySet:
    """Matches every word of `query` in the title, company or description, and annotates
    `title_hit` (all words in the title) for ranking. `title_only`: only the title matches
    (`title_hit` true), filtered by the title condition alone. The keyset pages of a search
    read that partition first: with the full match beside it PostgreSQL multiplies the two
    conditions' selectivities as if independent (a title match is always a match), expects a
    few hundred rows where there are thousands, and sorts them all instead of walking the
    posted_at index (2nd page of 광고 at 100k: 166 ms -> see bench/load/README.md)."""
    if not search.query_words(query):
        return queryset.annotate(title_hit=Value(False))
    if connection.vendor == "postgresql":
        in_title = TsMatch(search.tsquery(query, title=True))
        if title_only:
            return queryset.filter(in_title).annotate(title_hit=Value(True))
        return queryset.filter(TsMatch(search.tsquery(query))).annotate(title_hit=in_title)
    # SQLite (local runs, `make test`): a plain contains search with the same semantics.
    matches, in_title = Q(), Q()
    for word in search.query_words(query):
        matches &= (
            Q(title__icontains=word) | Q(company__icontains=word) | Q(description__icontains=word)
        )
        in_title &= Q(title__icontains=word)
    if title_only:
        return queryset.filter(in_title).annotate(title_hit=Value(True))
    return queryset.filter(matches).annotate(
        title_hit=Case(When(in_title, then=Value(True)), default=Value(False))
    )


# How many entries of the posted_at order a search's body-only page may walk before it asks
# for the matches past them by search index instead.
SEARCH_TAIL_WINDOW = 2000


def audition_search_tail(
    matches: QuerySet,
    scope: QuerySet,
    order: tuple[str, ...],
    limit: int,
    start: list | None,
    kept: tuple[list, list] | None = None,
) -> list[Audition]:
    """The first `limit` of `matches` (a search's body-only partition, ordered by `order`:
    posted_at then id, past the cursor) read with a bounded cost.

    PostgreSQL estimates "matches the words, but not all in the title" as if the two were
    independent. For a word found thousands of times, all in titles, it expects plenty of such
    rows, walks the posted_at index for them and finds none: the whole index (0.5-2 s at 100k,
    bench/load/README.md). So the walk is bounded: `scope` (the same list without the search,
    from `start`) names the `window`-th entry's posted_at; the matches up to it are read along
    the index (at most `window` entries), and only if they do not fill the page are the ones
    past it read by the search index and sorted (few by then: fewer than `limit` matched in
    `window` entries). `kept`: the edge and the matches up to it, read already by kept
    statements (page_statements.search_tail_first_page)."""
    window = SEARCH_TAIL_WINDOW  # read per call: tests shrink it
    lead = order[0].lstrip("-")
    descending = order[0].startswith("-")
    near, far = ("gte", "lt") if descending else ("lte", "gt")
    if kept is not None:
        edge, rows = kept
    else:
        if start is not None:
            scope = scope.filter(paging.keyset_filter(order, start, after=True))
        edge = list(scope.order_by(*order).values_list(lead, flat=True)[window - 1 : window])
        if not edge:  # fewer than `window` entries left: walking them all is bounded already
            return list(matches[:limit])
        rows = list(matches.filter(**{f"{lead}__{near}": edge[0]})[:limit])
    if len(rows) < limit:
        # Ordered by an expression no index provides, so the planner cannot choose the walk.
        unindexed = Coalesce(F(lead), F(lead))
        resorted = [unindexed.desc() if descending else unindexed.asc(), *order[1:]]
        past = matches.filter(**{f"{lead}__{far}": edge[0]}).order_by(*resorted)
        rows += list(past[: limit - len(rows)])
    return rows


def audition_list(
    *,
    member: Member | None = None,
    filters: Q | None = None,
    status: str | None = None,
    query: str = "",
    title_only: bool = False,
    today: date | None = None,
) -> QuerySet:
    """Public auditions, open ones by default. The caller orders and pages (keyset).
    `title_only`: a search's title matches only (audition_search)."""
    today = today or seoul_today()
    queryset = Audition.objects.filter(audition_status_filter(status or "open", today))
    if filters is not None:
        queryset = queryset.filter(filters)
    if query:
        queryset = audition_search(queryset, query, title_only=title_only)
    return audition_with_related(queryset, member)


def audition_page(
    *,
    member: Member | None,
    filters: "AuditionFilter | None",
    cursor: paging.Cursor | None,
    ordering: str | None,
    page_size: int,
    as_rows: bool = False,
) -> paging.Page:
    """A page of `GET auditions`, its rows with their roles and sources: the auditions
    `filters` select (a validated AuditionFilter; None: no filter parameters), in `ordering`
    (a key of ORDERINGS; None: newest first, with a search query title matches first).
    `as_rows`: the rows are plain dicts (audition_rows) instead of Audition instances; the
    same queries select them."""
    params = filters.form.cleaned_data if filters is not None else {}
    query = params.get("q") or ""
    today = seoul_today()

    def listed(
        *,
        search: bool = True,
        title_only: bool = False,
        member: Member | None = member,
        today: date = today,
    ) -> QuerySet:
        queryset = audition_list(
            member=member,
            status=params.get("status"),
            query=query if search else "",
            title_only=title_only,
            today=today,
        )
        if filters is not None:
            queryset = filters.filter_queryset(queryset)
        return audition_rows(queryset) if as_rows else queryset

    # With rows, the pages run statements kept per shape (page_statements.py); the shape is
    # the member scope and the filters with their values.
    shape = (audition_member_scope(member), page_statements.filters_key(filters))
    if ordering or not query:
        keys = ORDERINGS[ordering or DEFAULT_ORDERING]

        def otherwise(*args: Any) -> list:  # built only if no kept statement answers
            return paging.queryset_fetch(listed(), keys)(*args)

        fetch = otherwise
        if as_rows:
            fetch = page_statements.list_fetch(
                member=member,
                keys=keys,
                page_size=page_size,
                today=today,
                listed=listed,
                shape=shape,
                repeat=filters is not None,  # the home screen's shapes are kept at once
                otherwise=otherwise,
            )
    else:
        keys = SEARCH_ORDERING
        titles = tail = None
        if as_rows:

            def titles(order: tuple[str, ...], limit: int) -> list | None:
                return page_statements.search_titles_first_page(
                    member=member, order=order, limit=limit, today=today, listed=listed,
                    shape=shape,
                )  # fmt: skip

            def tail(order: tuple[str, ...], limit: int) -> tuple[list, list] | None:
                return page_statements.search_tail_first_page(
                    member=member, order=order, limit=limit, window=SEARCH_TAIL_WINDOW,
                    today=today, listed=listed, shape=shape,
                )  # fmt: skip

        fetch = _search_fetch(listed, keys, titles, tail)
    page = paging.keyset_page(fetch, ordering=keys, cursor=cursor, page_size=page_size)
    if as_rows:
        audition_rows_attach_related(page.rows)
    else:
        audition_attach_related(page.rows)
    return page


def audition_member_scope(member: Member | None) -> tuple:
    """Everything about the member that changes *which SQL* the catalogue's selectors build
    (not its parameters): the key the prepared statements are kept under. Whether there is a
    member (the bookmark and application annotations), and for a member the Seoul date: the
    minors' EXISTS (minors_hidden) compares her birth date with that day's cutoff, a value
    written into the statement, so a statement kept yesterday would hide adult content from
    her on her 19th birthday. A filter that reads another attribute of the member (an age, a
    flag) must add it here, or a statement built for one member would be reused for another:
    test_prepared_statements_follow_the_member_scope fails until it does."""
    if member is None or not member.is_authenticated:
        return (False,)
    return (True, seoul_today())


def _search_fetch(
    listed: Callable[..., QuerySet],
    ordering: tuple[str, ...],
    titles: Callable[[tuple[str, ...], int], list | None] | None = None,
    tail: Callable[[tuple[str, ...], int], tuple[list, list] | None] | None = None,
) -> paging.Fetch:
    """A search's rows, read as two partitions of `title_hit` (paging.boolean_partitions): the
    title matches are built with the title condition alone (audition_search says why), the
    body-only matches are read with a bounded walk (audition_search_tail says why). `titles`:
    the first page's title matches by a kept statement (None when it has none yet); `tail`:
    the first page's body-only walk up to its edge by kept statements (the same)."""

    def fetch(order: tuple[str, ...], values: list | None, after: bool, limit: int) -> list:
        rows: list = []
        for in_title, start in paging.boolean_partitions(order, values):
            kept = titles(order[1:], limit) if in_title and titles and values is None else None
            if kept is not None:
                rows += kept
            elif in_title:
                part = paging.after_cursor(listed(title_only=True), ordering, values, after=after)
                rows += list(part.order_by(*order[1:])[: limit - len(rows)])
            else:
                remaining = limit - len(rows)
                kept = tail(order[1:], remaining) if tail and values is None else None
                if kept is not None and len(kept[1]) >= remaining:
                    rows += kept[1]  # filled within the edge: no queryset to build
                    break
                matches = paging.after_cursor(listed(), ordering, values, after=after)
                part = matches.filter(title_hit=False).order_by(*order[1:])
                scope = listed(search=False)
                rows += audition_search_tail(part, scope, order[1:], remaining, start, kept)
            if len(rows) >= limit:
                break
        return rows

    return fetch


def _public(audition_id: UUID, member: Member | None) -> QuerySet:
    return audition_with_related(
        Audition.objects.filter(status__in=Audition.PUBLIC_STATUSES), member
    ).filter(pk=audition_id)


def audition_get(*, audition_id: UUID, member: Member | None = None) -> Audition | None:
    audition = _public(audition_id, member).first()
    return audition_attach_related([audition])[0] if audition else None


def audition_get_row(*, audition_id: UUID | str, member: Member | None = None) -> dict | None:
    """audition_get's audition as a plain row (audition_rows), for the lean detail; its
    statement is compiled once per process when it can be (prepared.py)."""
    audition_id = UUID(str(audition_id))

    def build() -> prepared.PreparedRows:
        def queryset(marks: dict) -> QuerySet:
            stand_in = page_statements.member_from(marks, member)
            return audition_rows(_public(marks["audition"], stand_in))

        return prepared.PreparedRows(queryset, *page_statements.marks(("audition",), member))

    statement = prepared.prepared(("detail", audition_member_scope(member)), build)
    if statement is None:
        found = list(audition_rows(_public(audition_id, member))[:1])
    else:
        found = statement.rows(**page_statements.member_value(member), audition=audition_id)
    return audition_rows_attach_related(found)[0] if found else None


def bookmarked_auditions(*, member: Member) -> QuerySet:
    """A member's bookmarks, newest first (order by `-bookmarked_at`, `-id`)."""
    return audition_with_related(
        Audition.objects.filter(
            bookmarks__member=member, status__in=Audition.PUBLIC_STATUSES
        ).annotate(bookmarked_at=F("bookmarks__created_at")),
        member,
    )


def display_status(audition: Audition, today: date) -> str:
    """What performers see: an open audition past its deadline is expired already."""
    return status_shown(audition.status, audition.deadline_sort, today)


def status_shown(status: str, deadline_sort: date, today: date) -> str:
    """display_status on the two columns (a plain row's)."""
    if status == Audition.Status.OPEN and deadline_sort < today:
        return Audition.Status.EXPIRED
    return status


# --- Saved searches ---------------------------------------------------------------------------


def saved_search_query_dict(filters: dict[str, Any]) -> QueryDict:
    """Stored filters as the query parameters `GET auditions` would receive."""
    data = QueryDict(mutable=True)
    for key, value in filters.items():
        data.setlist(key, [str(v) for v in value] if isinstance(value, list) else [str(value)])
    return data


def saved_search_list_own(*, member: Member) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(member_id=member.pk)


def saved_search_get_own(*, member: Member, saved_search_id: UUID) -> SavedSearch:
    found = SavedSearch.objects.filter(member_id=member.pk, pk=saved_search_id).first()
    if found is None:  # another member's is "not found" too
        raise NotFound("No such saved search.", code="saved_search_not_found")
    return found


def saved_search_matches(
    *, saved_search: SavedSearch, created_after: datetime | None = None
) -> QuerySet[Audition]:
    """The auditions `GET auditions` would list for this search's filters (optionally only
    those created after `created_after`), as the list's selector and FilterSet select them."""
    from auditions.filters import AuditionFilter  # the FilterSet builds on these orderings

    filterset = AuditionFilter(
        saved_search_query_dict(saved_search.filters), queryset=Audition.objects.none()
    )
    if not filterset.is_valid():  # stored filters were valid when saved; choices may change
        return Audition.objects.none()
    params = filterset.form.cleaned_data
    queryset = audition_list(
        member=saved_search.member, status=params.get("status"), query=params.get("q") or ""
    )
    if created_after is not None:
        queryset = queryset.filter(created_at__gt=created_after)
    return filterset.filter_queryset(queryset)


def saved_searches_due(*, frequency: str) -> list[UUID]:
    """Ids of the searches an alert run of `frequency` covers: those of active members
    (including members who paused alerts, whose markers must keep moving; see
    auditions.services.alerts)."""
    return list(
        SavedSearch.objects.filter(frequency=frequency, member__status=Member.Status.ACTIVE)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )
