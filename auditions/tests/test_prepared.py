"""Prepared statements (auditions/prepared.py) are only kept for shapes that really are
constant, and the selectors' member scope covers everything that changes the SQL."""

from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone

from accounts import services as account_services
from accounts.profiles import services as profile_services
from auditions import page_statements, prepared, selectors
from auditions.ingest import RoleData
from auditions.models import Audition
from auditions.tests import factories

pytestmark = pytest.mark.django_db

LIST = "/api/v1/auditions"


def _sql(queryset) -> tuple[str, tuple]:
    return queryset.query.get_compiler(queryset.db).as_sql()


def _members() -> list:
    """Members as different as the catalogue's filters might care about."""
    today = timezone.localdate()
    adult, minor, staff = factories.member(), factories.member(), factories.member(is_staff=True)
    births = ((adult, date(today.year - 30, 5, 1)), (minor, today - timedelta(days=4000)))
    for member, born in births:
        account_services.profile_prepare(member=member)
        profile_services.profile_update(member=member, birth_date=born, gender="female")
    return [None, AnonymousUser(), adult, minor, staff, factories.member()]


def test_prepared_statements_follow_the_member_scope(source):
    """Members in one scope (selectors.audition_member_scope) get the same SQL and parameters
    from the selectors, but for their id: a filter reading more of the member must widen the
    scope, or one member's prepared statement would serve another."""
    today = timezone.localdate()
    marks = page_statements.PLACEHOLDERS[0]
    shapes: dict = {}
    for member in _members():
        stand_in = page_statements.stand_in(member, marks["member"])
        built = (
            _sql(selectors.audition_rows(selectors.audition_list(member=stand_in, today=today))),
            _sql(selectors.audition_rows(selectors._public(marks["audition"], stand_in))),
        )
        shapes.setdefault(selectors.audition_member_scope(member), set()).add(built)
    assert len(shapes) == 2  # no member / a member
    assert all(len(built) == 1 for built in shapes.values()), shapes.keys()


def test_the_home_screens_shapes_are_prepared(client_for, member, source):
    for _ in range(3):
        factories.audition()
    first = client_for.get(LIST, {"page_size": 2}).json()
    client_for.get(first["next"])
    client_for.get(f"{LIST}/{first['results'][0]['id']}")

    kept = {key[-1][0]: statement for key, statement in prepared.kept().items()}
    assert {"list_page", "detail"} <= set(kept)
    assert all(statement is not None for statement in prepared.kept().values())


def test_a_shape_that_moves_with_the_clock_or_a_placeholder_is_not_prepared(source):
    first, second = ({"today": marks["today"]} for marks in page_statements.PLACEHOLDERS)

    def with_the_clock(marks):
        return (
            Audition.objects.filter(deadline_sort__gte=marks["today"])
            .filter(created_at__lte=timezone.now())
            .values("id")
        )

    def on_the_placeholder(marks):
        found = Audition.objects.filter(deadline_sort__gte=marks["today"])
        if marks["today"].year == 1901:
            found = found.filter(Q(status="open"))
        return found.values("id")

    def constant(marks):
        return Audition.objects.filter(deadline_sort__gte=marks["today"]).values("id")

    with time_machine.travel(timezone.now(), tick=True):
        for build in (with_the_clock, on_the_placeholder):
            with pytest.raises(prepared.NotPreparable):
                prepared.PreparedRows(build, first, second)
    statement = prepared.PreparedRows(constant, first, second)
    audition = factories.audition(deadline=None)
    assert statement.rows(today=timezone.localdate()) == [{"id": audition.id}]
    assert prepared.prepared(("test", "clock"), lambda: prepared.PreparedRows(
        with_the_clock, first, second
    )) is None  # fmt: skip


def _kept_shapes() -> dict:
    return {key[-1]: statement for key, statement in prepared.kept().items()}


def test_a_filtered_list_is_kept_when_it_comes_again_with_its_cursor_pages(client_for, source):
    prepared.forget()
    for days in range(4):
        factories.audition(category="film", deadline=timezone.localdate() + timedelta(days=days))
    factories.audition(category="drama")
    params = {"category": "film", "ordering": "deadline", "page_size": 2}

    first = client_for.get(LIST, params).json()
    assert _kept_shapes() == {}  # asked for once: read by queryset, nothing built twice
    again = client_for.get(LIST, params).json()
    client_for.get(again["next"])
    client_for.get(again["next"])
    after = client_for.get(again["next"]).json()

    assert again == first
    shapes = [shape for shape, statement in _kept_shapes().items() if statement is not None]
    assert {(shape[0], shape[-1]) for shape in shapes} == {
        ("list_page", False),
        ("list_page", True),
    }
    assert [item["category"] for item in after["results"]] == ["film", "film"]
    # another value of the same filter is another statement, with its own rows
    client_for.get(LIST, {**params, "category": "drama"})
    drama = client_for.get(LIST, {**params, "category": "drama"}).json()
    assert [item["category"] for item in drama["results"]] == ["drama"]
    assert len([s for s in _kept_shapes().values() if s is not None]) == 3


def test_a_repeated_search_keeps_its_title_matches_first_page(client_for, source):
    prepared.forget()
    titled = factories.audition(title="광고 모델 모집")
    factories.audition(title="단편영화 배우", description="광고 경력자 우대")

    answers = [client_for.get(LIST, {"q": "광고"}).json() for _ in range(3)]

    assert answers[0] == answers[1] == answers[2]
    assert answers[0]["results"][0]["id"] == str(titled.id)
    assert len(answers[0]["results"]) == 2  # the title match, then the body match
    assert any(shape[0] == "search_titles" for shape in _kept_shapes())


def test_kept_statements_are_bounded(client_for, source, monkeypatch):
    prepared.forget()
    monkeypatch.setattr(prepared, "KEEP", 2)
    factories.audition(title="배우")
    for word in ("배우", "모델", "가수", "댄서"):
        for _ in range(2):
            assert client_for.get(LIST, {"q": word}).status_code == 200
    assert len(prepared.kept()) == 2


def test_kept_statements_follow_the_day_a_member_turns_19(client_for, member, source):
    """Whether the member is a minor is an EXISTS on her birth date against the day's cutoff
    (selectors.minors_hidden): a statement kept yesterday must not keep hiding adult content
    from her on her 19th birthday."""
    prepared.forget()
    tomorrow = timezone.localdate() + timedelta(days=1)
    account_services.profile_prepare(member=member)
    profile_services.profile_update(
        member=member,
        birth_date=tomorrow.replace(year=tomorrow.year - 19),
        gender="female",
        interests=["film"],
    )
    any_age = [RoleData(name="주연", gender="any")]
    adult = str(factories.audition(description="여자 배우. 노출신 있음.", roles=any_age).id)
    asks = [
        lambda: client_for.get(LIST),
        lambda: client_for.get(LIST, {"q": "배우"}),
        lambda: client_for.get(f"{LIST}/recommended"),
    ]

    def seen() -> list[bool]:
        found = [adult in {item["id"] for item in ask().json()["results"]} for ask in asks]
        return [*found, client_for.get(f"{LIST}/{adult}").status_code == 200]

    assert seen() == seen() == [False] * 4  # asked twice: the repeated search is kept too
    assert _kept_shapes() and all(_kept_shapes().values())
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=True):
        assert seen() == [True] * 4
