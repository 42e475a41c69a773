"""Test data made through the services, so derived columns (search document, trust) are real."""

import itertools
from datetime import date, datetime, timedelta

from django.utils import timezone

from accounts.models import Member
from auditions import services
from auditions.ingest import ListingData, RoleData
from auditions.models import Audition

_counter = itertools.count(1)


def member(**fields) -> Member:
    return Member.objects.create_user(
        f"performer{next(_counter)}@example.com", "a-long-password-1", status="active", **fields
    )


def applicant(**fields) -> Member:
    """A member who may apply: an adult with a profile (applying needs a birth date, #17)."""
    from accounts import services as account_services
    from accounts.tests.factories import ADULT_BIRTH_DATE

    person = member(**fields)
    account_services.profile_prepare(member=person, birth_date=ADULT_BIRTH_DATE)
    return person


def source(slug: str = "filmmakers", name: str = "Filmmakers") -> object:
    return services.source_upsert(slug=slug, name=name, homepage_url=f"https://{slug}.example")


def listing(**overrides) -> ListingData:
    number = next(_counter)
    fields = {
        "source_slug": "filmmakers",
        "url": f"https://filmmakers.example/actorCasting/{number}",
        "external_id": str(number),
        "title": f"단편영화 <여름> 배우 모집 {number}",
        "category": "film",
        "company": "필름공장",
        "description": "20대 여자 배우를 찾습니다. 출연료 협의.",
        "production_type": "단편영화",
        "region": "seoul",
        "pay_type": "paid",
        "pay_amount_min": 100000,
        "pay_amount_max": 150000,
        "pay_unit": "day",
        "deadline": timezone.localdate() + timedelta(days=10),
        "apply_method": "email",
        "apply_target": "casting@example.com",
        "roles": [RoleData(name="수진", gender="female", age_min=20, age_max=29, headcount=1)],
        "raw": {"title": "raw title"},
    }
    fields.update(overrides)
    return ListingData(**fields)


def staff_edit(audition: Audition, *, actor: Member | None, **fields) -> Audition:
    """A staff member's edit of `fields`, saved as the admin form saves it."""
    for name, value in fields.items():
        setattr(audition, name, value)
    return services.audition_staff_save(audition=audition, actor=actor)


def audition(
    *,
    status: str = "open",
    posted_at: datetime | None = None,
    deadline: date | str | None = "default",
    **overrides,
) -> Audition:
    """A crawled audition (source 'filmmakers' must exist: use the `source` fixture)."""
    if deadline != "default":
        overrides["deadline"] = deadline
    if posted_at is not None:
        overrides["posted_at"] = posted_at
    result = services.audition_ingest_listing(listing=listing(**overrides))
    found = Audition.objects.get(pk=result.audition_id)
    if status != found.status:
        Audition.objects.filter(pk=found.pk).update(status=status)
        found.refresh_from_db()
    return found
