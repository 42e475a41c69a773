"""Saved searches' writes (`me/saved-searches`): a name, the filters of `GET auditions`, a
frequency. Their reads (a member's own, the matches) are in auditions.selectors.

Filters are validated by the list's own FilterSet (`AuditionFilter`), so a saved search takes
exactly what the list takes and is matched by the same code (`selectors.saved_search_matches`).
They are stored as the query parameters the list would receive: a string per key, a list of
strings for the repeatable keys (`category`, `region`).
"""

from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from accounts.models import Member
from auditions.filters import AuditionFilter
from auditions.models import Audition, SavedSearch
from auditions.selectors import saved_search_get_own, saved_search_query_dict
from ohmanager.exceptions import InvalidInput

# Paging and presentation are not part of what a search matches.
NOT_FILTERS = {"ordering", "cursor", "page_size"}
MULTI_VALUED = {"category", "region"}
# A number where text is meant (`"source": 5`) is a client bug: refused, not coerced.
NUMERIC = {"age", "pay_min"}
FILTER_KEYS = set(AuditionFilter.base_filters) - NOT_FILTERS
MAX_SAVED_SEARCHES = 20


def saved_search_filters_clean(filters: Any) -> dict[str, Any]:
    """The filters as stored: unknown keys refused (a typo would silently match everything),
    values validated by AuditionFilter, empty values dropped."""
    if not isinstance(filters, dict):
        raise InvalidInput(fields={"filters": ["Must be an object of `GET auditions` filters."]})
    unknown = sorted(set(filters) - FILTER_KEYS)
    if unknown:
        raise InvalidInput(
            fields={"filters": [f"Unknown filter(s): {', '.join(unknown)}."]},
        )
    cleaned: dict[str, Any] = {}
    for key, value in filters.items():
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, list):
            if key not in MULTI_VALUED or not all(isinstance(v, str) for v in value):
                raise InvalidInput(fields={f"filters.{key}": ["Expected a single value."]})
            cleaned[key] = sorted(set(value))
        elif isinstance(value, str) or (
            key in NUMERIC and isinstance(value, (int, float)) and not isinstance(value, bool)
        ):
            cleaned[key] = [str(value)] if key in MULTI_VALUED else str(value)
        else:
            raise InvalidInput(fields={f"filters.{key}": ["Expected a string or a number."]})
    filterset = AuditionFilter(saved_search_query_dict(cleaned), queryset=Audition.objects.none())
    if not filterset.is_valid():
        raise InvalidInput(
            fields={f"filters.{k}": [str(m) for m in v] for k, v in filterset.errors.items()}
        )
    return cleaned


@transaction.atomic
def saved_search_create(
    *, member: Member, name: str, filters: dict[str, Any], frequency: str
) -> SavedSearch:
    """Alerts start from now: auditions already listed are not "new" to this search."""
    now = timezone.now()
    if SavedSearch.objects.filter(member_id=member.pk).count() >= MAX_SAVED_SEARCHES:
        raise InvalidInput(
            f"At most {MAX_SAVED_SEARCHES} saved searches.", code="too_many_saved_searches"
        )
    saved = SavedSearch(
        member=member,
        name=name,
        filters=saved_search_filters_clean(filters),
        frequency=frequency,
        notified_until=now,
        announce_after=now,
    )
    saved.full_clean()
    saved.save()
    return saved


@transaction.atomic
def saved_search_update(
    *,
    member: Member,
    saved_search_id: UUID,
    name: str | None = None,
    filters: dict[str, Any] | None = None,
    frequency: str | None = None,
) -> SavedSearch:
    """Changing the filters, or switching alerts on from `off`, restarts the alerts from now:
    the next digest does not announce everything that merely matches by then."""
    saved = saved_search_get_own(member=member, saved_search_id=saved_search_id)
    saved = SavedSearch.objects.select_for_update().get(pk=saved.pk)
    if name is not None:
        saved.name = name
    if frequency is not None:
        if saved.frequency == SavedSearch.Frequency.OFF and frequency != saved.frequency:
            # Off searches are never visited: their marker is stale, restart it.
            saved.notified_until = saved.announce_after = timezone.now()
        saved.frequency = frequency
    if filters is not None:
        cleaned = saved_search_filters_clean(filters)
        if cleaned != saved.filters:
            saved.filters = cleaned
            saved.notified_until = saved.announce_after = timezone.now()
    saved.full_clean()
    saved.save()
    return saved


@transaction.atomic
def saved_search_delete(*, member: Member, saved_search_id: UUID) -> None:
    saved_search_get_own(member=member, saved_search_id=saved_search_id).delete()
