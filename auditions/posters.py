"""Posters known by what they did (#18): the `Advertiser` behind a call, from its contact.

A call's identity keys are its normalised e-mail addresses and phone numbers, and its company
name only when it gives neither: a company name alone is what an impersonator copies (a fake
"넷플릭스" call on a gmail address must not borrow the real poster's record, nor get it blocked).
Ingest links each new or changed call to the poster one of its keys already names (the oldest,
when keys name several: staff merge those), or to a new one.

The figures come from our members' own applications to the poster's calls: how many moved past
`applied` (its reply rate), how many ended `no_response`, and how many calls members reported.
The reply rate is withheld until PRIVACY_FLOOR distinct members applied (counting applications
would let one member's five be the whole figure) and is rounded to 0.1, so no member's outcome
can be read from it.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from auditions.models import Advertiser, AdvertiserKey, Audition, Report
from auditions.text import fold, normalize_company

# The reply rate is shown (and weighs on the trust score) once this many distinct members applied.
PRIVACY_FLOOR = 5


def reply_rate(*, replied: int, applications: int, members: int) -> float | None:
    """The share of applications the poster answered, in 0.1 steps (a finer figure could
    single out the latest member's outcome); None under the privacy floor of distinct members."""
    if members < PRIVACY_FLOOR or not applications:
        return None
    return round(replied / applications, 1)


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?:\+82[-.\s]?|\b0)(\d{1,2})[-.\s)]?(\d{3,4})[-.\s]?(\d{4})\b")


def replied_statuses() -> tuple[str, ...]:
    """Statuses that say the poster answered: anything past `applied` in the lifecycle, and
    `not_selected`; not the member's own withdrawal, nor the silence itself."""
    from applications import lifecycle  # applications builds on auditions
    from applications.models import Status

    return (*lifecycle.PROGRESSION[1:], Status.NOT_SELECTED)


def contact_keys(*, apply_target: str, contact_raw: str, company: str) -> list[tuple[str, str]]:
    """The (kind, value) keys of one call's contact, normalised: e-mail lower-cased without a
    +tag, phone numbers as national digits (010…), the company (auditions.text) only when the
    call gives no e-mail or phone."""
    contact = fold(" ".join([apply_target or "", contact_raw or ""]))
    keys: list[tuple[str, str]] = []
    for address in _EMAIL.findall(contact):
        local, _, domain = address.partition("@")
        keys.append((AdvertiserKey.Kind.EMAIL, f"{local.split('+')[0]}@{domain}"[:254]))
    for area, middle, last in _PHONE.findall(contact):
        keys.append((AdvertiserKey.Kind.PHONE, f"0{area}{middle}{last}"))
    if not keys and len(name := normalize_company(company)) >= 2:
        keys.append((AdvertiserKey.Kind.COMPANY, name[:254]))
    return list(dict.fromkeys(keys))


def audition_keys(audition: Audition) -> list[tuple[str, str]]:
    return contact_keys(
        apply_target=audition.apply_target,
        contact_raw=audition.contact_raw,
        company=audition.company,
    )


def advertisers_resolve(
    wanted: list[tuple[list[tuple[str, str]], str]], seen_at: datetime
) -> list[Advertiser | None]:
    """For each (keys, company name) the poster it belongs to, made when none of its keys is
    known yet; keys it did not have are added to it. A fixed number of queries for a batch
    (the known keys with their posters, the new posters, the new keys, last seen). Ingest's
    helper: it writes only posters and their keys."""
    every = {key for keys, _ in wanted for key in keys}
    if not every:
        return [None] * len(wanted)
    query = Q()
    for kind, value in every:
        query |= Q(kind=kind, value=value)
    known: dict[tuple[str, str], Advertiser] = {
        (row.kind, row.value): row.advertiser
        for row in AdvertiserKey.objects.filter(query).select_related("advertiser")
    }
    resolved: list[Advertiser | None] = []
    new_advertisers: list[Advertiser] = []
    new_keys: list[AdvertiserKey] = []
    seen_again: set[UUID] = set()
    for keys, name in wanted:
        if not keys:
            resolved.append(None)
            continue
        found = sorted(
            {known[key] for key in keys if key in known},
            key=lambda a: (a.first_seen_at, str(a.pk)),
        )
        if found:
            advertiser = found[0]
            if not advertiser._state.adding:
                seen_again.add(advertiser.pk)
        else:
            advertiser = Advertiser(
                name=(name or "").strip()[:200], first_seen_at=seen_at, last_seen_at=seen_at
            )
            new_advertisers.append(advertiser)
        for key in keys:
            if key not in known:
                known[key] = advertiser
                new_keys.append(AdvertiserKey(advertiser=advertiser, kind=key[0], value=key[1]))
        resolved.append(advertiser)
    if new_advertisers:
        Advertiser.objects.bulk_create(new_advertisers)
    if new_keys:
        AdvertiserKey.objects.bulk_create(new_keys, ignore_conflicts=True)
    if seen_again:
        Advertiser.objects.filter(pk__in=seen_again, last_seen_at__lt=seen_at).update(
            last_seen_at=seen_at
        )
    return resolved


def advertiser_with_reply_rate(advertiser_id: Any) -> tuple[Advertiser | None, float | None]:
    """The poster and its reply rate (None under the privacy floor), in one query."""
    row = _figures({advertiser_id}).first()
    if row is None:
        return None, None
    return row, reply_rate(
        replied=row.replied, applications=row.answered_or_not, members=row.members
    )


def reply_rates(advertiser_ids: set[Any]) -> dict[Any, float]:
    """The reply rate of each poster that reaches the privacy floor (others are absent)."""
    if not advertiser_ids:
        return {}
    rows = _figures(advertiser_ids).values("pk", "replied", "answered_or_not", "members")
    rates = {
        row["pk"]: reply_rate(
            replied=row["replied"], applications=row["answered_or_not"], members=row["members"]
        )
        for row in rows
    }
    return {pk: rate for pk, rate in rates.items() if rate is not None}


def _count(queryset: Any) -> Subquery:
    return Coalesce(
        Subquery(
            queryset.order_by().values("advertiser_id").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _figures(advertiser_ids: set[Any]) -> Any:
    return advertisers_with_figures(Advertiser.objects.filter(pk__in=advertiser_ids))


def advertisers_with_figures(queryset: Any) -> Any:
    """`queryset`'s posters with their figures as correlated counts (`calls`,
    `answered_or_not`, `members` (distinct applicants), `replied`, `no_response`,
    `member_reports`): one query whatever the
    number (the API's page, the admin's poster list)."""
    from applications.models import Application  # applications builds on auditions

    mine = {"audition__advertiser_id": OuterRef("pk")}

    def applications(*, distinct_members: bool = False, **filters: Any) -> Subquery:
        rows = Application.objects.filter(**mine, **filters).exclude(status="withdrawn")
        counted = Count("member_id", distinct=True) if distinct_members else Count("pk")
        return Coalesce(
            Subquery(
                rows.order_by()
                .values("audition__advertiser_id")
                .annotate(n=counted)
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        )

    return queryset.annotate(
        calls=_count(
            Audition.objects.filter(advertiser_id=OuterRef("pk")).exclude(
                status=Audition.Status.MERGED
            )
        ),
        answered_or_not=applications(),
        members=applications(distinct_members=True),
        replied=applications(status__in=replied_statuses()),
        no_response=applications(status="no_response"),
        member_reports=Coalesce(
            Subquery(
                Report.objects.filter(**mine)
                .order_by()
                .values("audition__advertiser_id")
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    )


@dataclass(frozen=True)
class PosterFigures:
    calls: int
    applications: int
    members: int
    replied: int
    no_response: int
    member_reports: int
    first_seen: datetime
    last_seen: datetime

    @property
    def reply_rate(self) -> float | None:
        return reply_rate(
            replied=self.replied, applications=self.applications, members=self.members
        )


def poster_figures(advertiser_ids: set[Any]) -> dict[Any, PosterFigures]:
    """Each poster's figures (one query): the audition API's `poster` and the admin page."""
    if not advertiser_ids:
        return {}
    return {
        row.pk: PosterFigures(
            calls=row.calls,
            applications=row.answered_or_not,
            members=row.members,
            replied=row.replied,
            no_response=row.no_response,
            member_reports=row.member_reports,
            first_seen=row.first_seen_at,
            last_seen=row.last_seen_at,
        )
        for row in _figures(advertiser_ids)
    }
