"""Every read of the accounts app that the API, admin and tasks need."""

import functools
import threading
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import connection, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Min, Model, Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import (
    GuardianConsent,
    Member,
    MemberSession,
    Profile,
    VerificationCode,
    normalize_email,
)
from ohmanager import statements

SEOUL = ZoneInfo("Asia/Seoul")
# Under this age a guardian's consent is needed before we process the child's data (PIPA
# art. 22-2); under MINOR_AGE a member is a minor (Korean Civil Act art. 4, Juvenile Protection
# Act): no adult content, no fee-demanding recommendations, the guardian copied on e-mails.
GUARDIAN_CONSENT_AGE = 14
MINOR_AGE = 19


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


_readers = threading.local()  # per thread, as Django's connections are


def _reader(model: type[Model], db: BaseDatabaseWrapper) -> tuple[list[str], list[tuple]]:
    """The attribute names of `model`'s columns and, for each column that has any, its index,
    expression and the converters the ORM applies to it (UUIDs and datetimes on SQLite, JSON
    on both), worked out once per thread: asked per column and per request, they were most
    of the session check's Python time (profiled)."""
    kept = _readers.__dict__.setdefault(db.alias, {})
    if model not in kept:
        converting = []
        for index, field in enumerate(_columns(model)):
            column = field.get_col(model._meta.db_table)
            converters = db.ops.get_db_converters(column) + field.get_db_converters(db)
            if converters:
                converting.append((index, column, converters))
        kept[model] = ([field.attname for field in _columns(model)], converting)
    return kept[model]


def _from_row(model: type[Model], values: tuple, db: BaseDatabaseWrapper) -> Model:
    """An instance from raw column values, through the same converters the ORM applies."""
    names, converting = _reader(model, db)
    converted = list(values)
    for index, column, converters in converting:
        for converter in converters:
            converted[index] = converter(converted[index], column, db)
    return model.from_db(db.alias, names, converted)


def session_get_with_member(*, session_id: str) -> MemberSession | None:
    """The authentication check: one primary-key lookup joined to the member, read fresh on
    every request (revoking a session or suspending a member bites on the next request)."""
    try:
        key = MemberSession._meta.pk.get_db_prep_value(session_id, connection)
    except ValidationError:  # not a UUID: no such session
        return None
    with statements.statement_cursor() as cursor:  # planned once per connection on PostgreSQL
        cursor.execute(_session_sql(connection.vendor), [key])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(_columns(MemberSession))
    db = connections[connection.alias]
    session = _from_row(MemberSession, row[:split], db)
    session.member = _from_row(Member, row[split:], db)
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


# --- Ages and guardians (issue #17) ---------------------------------------------------------


def seoul_today() -> date:
    return timezone.localdate(timezone=SEOUL)


def age_on(birth_date: date, day: date) -> int:
    """Whole years on `day`; the birthday itself counts (born 2012-06-15 is 14 on 2026-06-15;
    born on 29 February, a year older on 1 March in non-leap years)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def born_after_is_under(age: int, today: date) -> date:
    """The date D such that a birth date after D is under `age` on `today` (the SQL form of
    age_on, for filters)."""
    year = today.year - age
    day = today.day
    if today.month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 or year % 400 == 0)):
        day = 28
    return date(year, today.month, day)


def member_birth_date(*, member: Member) -> date | None:
    """The birth date, whose one home is the profile, read fresh (a profile cached on the
    member object may predate a change)."""
    return Profile.objects.filter(member_id=member.pk).values_list("birth_date", flat=True).first()


def member_age(*, member: Member, today: date | None = None) -> int | None:
    birth_date = member_birth_date(member=member)
    return None if birth_date is None else age_on(birth_date, today or seoul_today())


def member_is_minor(*, member: Member, today: date | None = None) -> bool:
    """Known to be under MINOR_AGE (a member who has not given a birth date is not known to
    be: she cannot apply anywhere until she gives it)."""
    age = member_age(member=member, today=today)
    return age is not None and age < MINOR_AGE


def minor_profile_exists(*, member_id: object, today: date | None = None) -> QuerySet[Profile]:
    """The member's profile if it makes her a minor: for an `Exists(...)` inside another app's
    query, so the check costs no query of its own."""
    cutoff = born_after_is_under(MINOR_AGE, today or seoul_today())
    return Profile.objects.filter(member_id=member_id, birth_date__gt=cutoff)


def guardian_consent_by_token(*, token: str) -> GuardianConsent | None:
    """The record a guardian's link names (with its member), or None for an unknown token or
    a withdrawn child."""
    from accounts.guardians.tokens import guardian_token_hash

    record = (
        GuardianConsent.objects.select_related("member")
        .filter(token_hash=guardian_token_hash(token))
        .first()
    )
    if record is None or record.member.status == Member.Status.WITHDRAWN:
        return None
    return record


def guardian_consent_current(*, member: Member) -> GuardianConsent | None:
    """The member's newest consent record that was not superseded before an answer."""
    return (
        GuardianConsent.objects.filter(member_id=member.pk, superseded_at__isnull=True)
        .order_by("-requested_at", "-id")
        .first()
    )


def guardian_consent_on_record(*, member: Member) -> bool:
    """Whether a guardian was ever asked for this member (any record, even revoked)."""
    return GuardianConsent.objects.filter(member_id=member.pk).exists()


def guardian_consent_given(*, member: Member) -> GuardianConsent | None:
    return (
        GuardianConsent.objects.filter(member_id=member.pk, status=GuardianConsent.Status.GIVEN)
        .order_by("-given_at", "-id")
        .first()
    )


@dataclass(frozen=True)
class GuardianCopy:
    email: str
    revoke_url: str  # every e-mail the guardian gets carries it


def guardian_copy(member: Member) -> GuardianCopy | None:
    """The consented guardian of a member under MINOR_AGE, to copy on her mail; else None
    (adults, unknown ages, no consent on record)."""
    if not member_is_minor(member=member):
        return None
    consent = guardian_consent_given(member=member)
    if consent is None:
        return None
    from accounts.guardians.tokens import guardian_token_open, revoke_url

    return GuardianCopy(
        email=consent.email, revoke_url=revoke_url(guardian_token_open(consent.sealed_token))
    )


def member_needs(*, member: Member) -> list[str]:
    """What the member must still do before the whole app works (`needs` in `GET me`)."""
    needs = []
    # `member` comes from member_get_with_profile (GET me): its profile is fresh.
    profile = getattr(member, "profile", None)
    if profile is None or profile.birth_date is None:
        needs.append("birth_date")
    if member.status == Member.Status.PENDING_GUARDIAN:
        needs.append("guardian_consent")
    return needs


def guardian_consents_to_erase(*, revoked_before: datetime) -> QuerySet[GuardianConsent]:
    """Revoked consents older than the grace whose child has no consent given since and whose
    data is still there. Only the latest revocation counts: after a renewal given and revoked
    again, the older revocation must not cut the new grace short, so a record with a newer
    consent given (whether still given or revoked since) never qualifies. An unanswered
    renewal request does not stop the clock."""
    given = GuardianConsent.objects.filter(
        member_id=models.OuterRef("member_id"),
        status=GuardianConsent.Status.GIVEN,
    )
    given_since = GuardianConsent.objects.filter(
        member_id=models.OuterRef("member_id"),
        requested_at__gt=models.OuterRef("requested_at"),
        given_at__isnull=False,
    )
    return (
        GuardianConsent.objects.filter(
            status=GuardianConsent.Status.REVOKED,
            revoked_at__lt=revoked_before,
            erased_at__isnull=True,
            member__status=Member.Status.SUSPENDED,
        )
        .exclude(models.Exists(given))
        .exclude(models.Exists(given_since))
    )
