"""Every read of the accounts app that the API, admin and tasks need."""

import functools
import uuid
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Field, Min, Model, Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import Member, MemberSession, VerificationCode, normalize_email


def member_get_by_email(*, email: str) -> Member | None:
    return Member.objects.filter(email=normalize_email(email)).first()


def member_get_with_profile(*, member_id: str) -> Member:
    """The member, profile, photos and credits in three queries, however many there are."""
    return (
        Member.objects.select_related("profile")
        .prefetch_related("profile__photos", "profile__credits")
        .get(pk=member_id)
    )


def _columns(model: type[Model]) -> list[Field]:
    return list(model._meta.concrete_fields)


@functools.cache
def _session_sql(vendor: str) -> str:
    """`select_related("member").get(pk=...)`, written once per process instead of compiled
    by the ORM on every request (the check runs on every authenticated request; the compile,
    queryset clones and iterator cost more than the query itself, bench/auth)."""
    quote = connection.ops.quote_name
    session, member = MemberSession._meta.db_table, Member._meta.db_table
    columns = [f"{quote(session)}.{quote(f.column)}" for f in _columns(MemberSession)]
    columns += [f"{quote(member)}.{quote(f.column)}" for f in _columns(Member)]
    member_fk = MemberSession._meta.get_field("member").column
    member_pk, session_pk = Member._meta.pk.column, MemberSession._meta.pk.column
    # Identifiers from the models' own metadata, quoted; the one value is a parameter.
    return (
        f"SELECT {', '.join(columns)} FROM {quote(session)} INNER JOIN {quote(member)} "  # noqa: S608
        f"ON ({quote(session)}.{quote(member_fk)} = {quote(member)}.{quote(member_pk)}) "
        f"WHERE {quote(session)}.{quote(session_pk)} = %s"
    )


def _from_row(model: type[Model], values: tuple, alias: str) -> Model:
    """An instance from raw column values, through the same converters the ORM applies
    (UUIDs and datetimes on SQLite, JSON on both)."""
    converted = []
    for field, value in zip(_columns(model), values, strict=True):
        column = field.get_col(model._meta.db_table)
        for converter in connection.ops.get_db_converters(column) + field.get_db_converters(
            connection
        ):
            value = converter(value, column, connection)
        converted.append(value)
    return model.from_db(alias, [f.attname for f in _columns(model)], converted)


def session_get_with_member(*, session_id: str) -> MemberSession | None:
    """The authentication check: one primary-key lookup joined to the member, read fresh on
    every request (revoking a session or suspending a member bites on the next request)."""
    try:
        key = MemberSession._meta.pk.get_db_prep_value(session_id, connection)
    except ValidationError:  # not a UUID: no such session
        return None
    with connection.cursor() as cursor:
        cursor.execute(_session_sql(connection.vendor), [key])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(_columns(MemberSession))
    session = _from_row(MemberSession, row[:split], connection.alias)
    session.member = _from_row(Member, row[split:], connection.alias)
    return session


def session_list_live(*, member: Member) -> QuerySet[MemberSession]:
    """The member's sessions that still work (idle expiry is checked in Python by callers that
    need it exactly; the list shows what has not been revoked or hit its absolute limit)."""
    now = timezone.now()
    return MemberSession.objects.filter(member=member, revoked_at__isnull=True, expires_at__gt=now)


def verification_codes_live(*, member_id: uuid.UUID, purpose: str) -> QuerySet[VerificationCode]:
    """A member's codes of one purpose that are neither used nor replaced."""
    return VerificationCode.objects.filter(
        member_id=member_id, purpose=purpose, consumed_at__isnull=True, invalidated_at__isnull=True
    )


def signup_codes_recent(
    *, member_id: uuid.UUID, since: datetime, limit: int
) -> QuerySet[VerificationCode]:
    """The live sign-up codes of sign-ups made since `since`, newest first (a code from before
    sign-ups were timed counts by when it was made)."""
    return (
        verification_codes_live(member_id=member_id, purpose=VerificationCode.Purpose.SIGNUP)
        .filter(Q(signed_up_at__gte=since) | Q(signed_up_at__isnull=True, created_at__gte=since))
        .order_by("-created_at")[:limit]
    )


def code_wrong_guesses(
    *, member_id: uuid.UUID, purpose: str, since: datetime
) -> tuple[int, datetime | None]:
    """The wrong guesses at a member's codes of one purpose issued since `since`, summed over
    every code (re-issued codes keep their rows and counts until purged), and when the oldest
    of those codes with a wrong guess was issued."""
    counted = VerificationCode.objects.filter(
        member_id=member_id, purpose=purpose, created_at__gte=since
    ).aggregate(total=Sum("attempts"), oldest=Min("created_at", filter=Q(attempts__gt=0)))
    return counted["total"] or 0, counted["oldest"]
