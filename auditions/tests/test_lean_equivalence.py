"""The lean read path (auditions/api/lean.py, plain rows, the orjson renderer) answers exactly
what the serializers answer from model instances (serializers.audition_dict, DRF's renderer):
on a crafted catalogue, every page of the list (filters, orderings, search, pages deep), every
detail and the feed's first page, compared field for field as parsed JSON."""

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlencode
from uuid import UUID

import pytest
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from accounts import services as account_services
from accounts.profiles import services as profile_services
from accounts.tests.factories import ADULT_BIRTH_DATE
from applications import services as application_services
from auditions import page_statements, paging, prepared, recommendations, selectors, services
from auditions.api import lean
from auditions.api.recommendations import RecommendedAuditionSerializer
from auditions.api.serializers import AuditionSerializer
from auditions.filters import AuditionFilter
from auditions.ingest import RoleData
from auditions.models import Audition
from auditions.pagination import KeysetCursorPage
from auditions.tests import factories
from ohmanager.renderers import ORJSONRenderer

pytestmark = pytest.mark.django_db

LIST = "/api/v1/auditions"
FEED = "/api/v1/auditions/recommended"


def _json(data) -> object:
    """What DRF's own renderer writes, parsed back."""
    return json.loads(JSONRenderer().render(data))


def _exact(value: object) -> str:
    # 1 and 1.0 (or True and 1) are equal in Python but not the same JSON.
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def assert_same_items(lean_items: list[dict], reference: list[dict]) -> None:
    assert [item["id"] for item in lean_items] == [item["id"] for item in reference]
    for mine, theirs in zip(lean_items, reference, strict=True):
        assert sorted(mine) == sorted(theirs), mine["id"]
        for field in theirs:
            assert _exact(mine[field]) == _exact(theirs[field]), (mine["id"], field)


def _position(next_url: str | None) -> list | None:
    """The cursor position a `next` link carries."""
    if next_url is None:
        return None
    cursor = KeysetCursorPage().request_cursor(Request(APIRequestFactory().get(next_url)))
    return cursor.position


def _filters(params: dict) -> AuditionFilter | None:
    if not any(name in AuditionFilter.base_filters for name in params):
        return None
    query = QueryDict(urlencode(params, doseq=True))
    filters = AuditionFilter(query, queryset=Audition.objects.none())
    assert filters.is_valid(), filters.errors
    return filters


def _reference_page(member, params: dict, position: list | None, page_size: int):
    """The page as the instance path builds it: selectors.audition_page with Audition rows,
    serialised by AuditionSerializer and DRF's JSONRenderer."""
    filters = _filters(params)
    page = selectors.audition_page(
        member=member,
        filters=filters,
        cursor=paging.Cursor(position=position) if position is not None else None,
        ordering=(filters.form.cleaned_data.get("ordering") or None) if filters else None,
        page_size=page_size,
    )
    context = {"today": timezone.localdate()}
    return page, _json(AuditionSerializer(page.rows, many=True, context=context).data)


def walk_and_compare(client, member, params: dict, page_size: int = 2) -> int:
    """Every page of `GET auditions?params` against the reference; returns the items seen."""
    response = client.get(LIST, {**params, "page_size": page_size})
    seen, position = 0, None
    while True:
        assert response.status_code == 200, response.content
        body = json.loads(response.content)
        page, reference = _reference_page(member, params, position, page_size)
        assert_same_items(body["results"], reference)
        assert _position(body["next"]) == page.next_position
        assert (body["previous"] is None) == (page.previous_position is None)
        seen += len(body["results"])
        if body["next"] is None:
            return seen
        position = page.next_position
        response = client.get(body["next"])


@pytest.fixture
def catalogue(member, source):
    """Roles of every shape, two sources on one call, every pay shape, Korean text, rolling
    deadlines, shoot dates, a closed and an expired call, one bookmarked and one applied to."""
    factories.source(slug="otr", name="OTR 오디션")
    today, now = timezone.localdate(), timezone.now()
    roles = [
        RoleData(name="수진", gender="female", age_min=20, age_max=29, headcount=1,
                 description="밝고 당찬 대학생"),
        RoleData(name="민호", gender="male", age_min=30, height_min_cm=175, height_max_cm=185),
        RoleData(name="행인 3", gender="any", headcount=3),
    ]  # fmt: skip
    made = {
        "day_range": factories.audition(
            title="웹드라마 '첫사랑' 주연 배우 모집", company="(주)스튜디오 봄",
            description="20대 여자 배우를 찾습니다.\n촬영은 3회차입니다.", roles=roles,
            pay_raw="회차당 10~15만원", shoot_start=today + timedelta(days=20),
            shoot_end=today + timedelta(days=22), apply_subject_format="[배역/이름/나이]",
            apply_direct_only=True, required_media=["profile", "self_tape"],
            posted_at=now.replace(microsecond=123456) - timedelta(hours=3),
            director="김감독", casting_director="박캐디", location="서울 마포구 상암동",
            category="web_drama", deadline=today + timedelta(days=3),
        ),
        "per_session_min": factories.audition(
            title="광고 모델 (온라인 진행)", category="commercial", region="",
            pay_amount_max=None, pay_amount_min=300000, pay_unit="per_session",
            pay_raw="회당 30만원부터", deadline=None, description="배우 경력 무관",
            apply_method="external_url", apply_target="https://otr.example/apply/1",
            posted_at=now - timedelta(days=1, minutes=7),
        ),
        "negotiable": factories.audition(
            title="단편영화 <봄날> 배우", pay_type="negotiable", pay_amount_min=None,
            pay_amount_max=None, pay_unit="", pay_raw="협의", region="gyeonggi",
            roles=[RoleData(name="엄마", gender="female", age_min=45, age_max=55)],
            posted_at=now - timedelta(days=2), deadline=today + timedelta(days=30),
        ),
        "unpaid": factories.audition(
            title="연극 '햄릿' 앙상블", category="theater", pay_type="unpaid",
            pay_amount_min=None, pay_amount_max=None, pay_unit="", pay_raw="무페이",
            region="busan", apply_method="phone", apply_target="010-0000-0000", roles=[],
            posted_at=now - timedelta(days=3), deadline=None,
        ),
        "unknown": factories.audition(
            title="뮤직비디오 출연자", category="music_video", pay_type="unknown",
            pay_amount_min=None, pay_amount_max=None, pay_unit="", pay_raw="",
            description="", posted_at=now - timedelta(days=4),  # a tie: pages split it by id
        ),
        "month": factories.audition(
            title="Musical ensemble (English)", category="musical", pay_amount_min=2000000,
            pay_amount_max=2000000, pay_unit="month", pay_raw="월 200만원", region="overseas",
            posted_at=now - timedelta(days=4),
        ),
        "project_max": factories.audition(
            title="독립장편 조연 배우", pay_amount_min=None, pay_amount_max=5000000,
            pay_unit="project", pay_raw="작품당 최대 500만원", posted_at=now - timedelta(days=6),
            deadline=today,
        ),
        "closed": factories.audition(
            title="마감된 드라마 오디션", category="drama", status="closed",
            posted_at=now - timedelta(days=7),
        ),
        "expired": factories.audition(
            title="지난 광고 배우 모집", category="commercial",
            posted_at=now - timedelta(days=8), deadline=today - timedelta(days=1),
        ),
    }  # fmt: skip
    # The same call cross-posted on a second site: one audition, two sources.
    merged = services.audition_ingest_listing(
        listing=factories.listing(
            source_slug="otr", url="https://otr.example/p/5", title="웹드라마 첫사랑 주연배우 모집",
            company="스튜디오봄", deadline=today + timedelta(days=3),
        )
    )  # fmt: skip
    assert merged.audition_id == made["day_range"].id
    services.bookmark_add(member=member, audition_id=made["day_range"].id)
    services.bookmark_add(member=member, audition_id=made["unpaid"].id)
    services.bookmark_add(member=member, audition_id=made["project_max"].id)
    # applying needs a birth date (#17)
    account_services.profile_prepare(member=member, birth_date=ADULT_BIRTH_DATE)
    application_services.application_create(
        member=member, audition_id=made["negotiable"].id, external=True
    )
    application_services.application_create(
        member=member, audition_id=made["day_range"].id, external=True
    )
    # Everything the comparison should cover is really in the catalogue.
    rows = list(Audition.objects.all())
    assert any(audition.trust_flags for audition in rows)
    assert {audition.pay_type for audition in rows} == {"paid", "negotiable", "unpaid", "unknown"}
    assert {audition.pay_unit for audition in rows} >= {"day", "per_session", "month", "project"}
    return made


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"ordering": "deadline"},
        {"ordering": "-pay"},
        {"category": ["web_drama", "film"], "gender": "female"},
        {"region": "busan", "status": "open"},
        {"status": "closed"},
        {"status": "expired"},
        {"pay_min": 200000, "ordering": "-pay"},
        {"source": "otr"},
        {"q": "배우"},  # two syllables: title matches, then the rest, across pages
        {"q": "배우", "ordering": "deadline"},
        {"q": "첫사랑 주연"},
        {"q": "햄릿"},
    ],
)
def test_every_list_page_equals_the_serializers(client_for, member, catalogue, params):
    prepared.forget()
    # the first walk reads by querysets; a shape asked for again runs a kept statement
    # (auditions/page_statements.py), so the second walk compares those
    first = walk_and_compare(client_for, member, params)
    assert first >= 1
    assert walk_and_compare(client_for, member, params) == first
    kept = [key[-1] for key, statement in prepared.kept().items() if statement is not None]
    assert any(shape[2] == page_statements.filters_key(_filters(params)) for shape in kept)


@pytest.mark.parametrize("page_size", [1, 3])
def test_pages_of_ties_equal_the_serializers(client_for, member, catalogue, page_size):
    # the unfiltered list's pages run prepared statements (auditions/prepared.py)
    assert walk_and_compare(client_for, member, {}, page_size=page_size) == 7


def test_a_page_of_everything_equals_the_serializers(client_for, member, catalogue):
    assert walk_and_compare(client_for, member, {}, page_size=100) == 7  # open, in date


def test_every_page_of_my_bookmarks_equals_the_serializers(client_for, member, catalogue):
    reference = selectors.audition_attach_related(
        list(selectors.bookmarked_auditions(member=member).order_by("-bookmarked_at", "-id"))
    )
    expected = _json(
        AuditionSerializer(reference, many=True, context={"today": timezone.localdate()}).data
    )
    items, response = [], client_for.get("/api/v1/me/bookmarks", {"page_size": 1})
    while True:
        assert response.status_code == 200, response.content
        body = json.loads(response.content)
        items += body["results"]
        if body["next"] is None:
            break
        response = client_for.get(body["next"])
    assert len(items) == 3
    assert_same_items(items, expected)


def test_every_detail_equals_the_serializers(client_for, member, catalogue):
    context = {"today": timezone.localdate()}
    for audition in catalogue.values():
        response = client_for.get(f"{LIST}/{audition.id}")
        assert response.status_code == 200
        found = selectors.audition_get(audition_id=audition.id, member=member)
        reference = _json(AuditionSerializer(found, context=context).data)
        assert_same_items([json.loads(response.content)], [reference])


def test_an_anonymous_shape_has_no_member_flags_but_the_same_fields(member, catalogue):
    # The selectors without a member (no bookmark/application annotations): still the shape.
    today = timezone.localdate()
    for audition in catalogue.values():
        row = selectors.audition_get_row(audition_id=audition.id, member=None)
        instance = selectors.audition_get(audition_id=audition.id, member=None)
        reference = _json(AuditionSerializer(instance, context={"today": today}).data)
        mine = json.loads(ORJSONRenderer().render(lean.audition_item(row, today)))
        assert_same_items([mine], [reference])
        assert mine["is_bookmarked"] is False and mine["application_id"] is None


@pytest.mark.parametrize("near_misses", [False, True])
def test_the_feeds_first_page_equals_the_serializers(client_for, member, catalogue, near_misses):
    account_services.profile_prepare(member=member)
    profile_services.profile_update(
        member=member, birth_date=date(timezone.localdate().year - 27, 1, 1), gender="female",
        height_cm=170, interests=["web_drama", "film"], regions=["seoul"],
    )  # fmt: skip
    response = client_for.get(FEED, {"near_misses": str(near_misses).lower()})
    assert response.status_code == 200

    feed = recommendations.feed_context(
        member=member, today=timezone.localdate(), near_misses=near_misses
    )
    ranked = recommendations.ranked_page(feed=feed, cursor=None, page_size=20)
    page = recommendations.recommended_page(feed=feed, ranked=ranked.rows)
    context = {"today": feed.today, "performer": feed.performer}
    reference = _json(RecommendedAuditionSerializer(page, many=True, context=context).data)
    items = json.loads(response.content)["results"]
    assert items and any(item["reasons"] for item in items)
    assert any(item["is_bookmarked"] for item in items)  # (applied ones leave the feed)
    assert_same_items(items, reference)


def test_the_comparison_fails_when_one_field_differs(client_for, member, catalogue, monkeypatch):
    """The check above can fail: one nested field changed in the lean shape is caught."""
    real = lean.audition_item

    def one_field_off(row, today):
        item = real(row, today)
        item["pay"] = {**item["pay"], "raw": item["pay"]["raw"] + " "}
        return item

    monkeypatch.setattr(lean, "audition_item", one_field_off)
    with pytest.raises(AssertionError):
        walk_and_compare(client_for, member, {})


def test_the_renderer_writes_the_bytes_drfs_writes():
    seoul = timezone.get_default_timezone()
    data = {
        "uuid": UUID("0b6b7a52-7a43-4f4e-9d1c-3f3a1f0f9a11"),
        "utc": datetime(2026, 12, 3, 4, 5, 6, 789123, tzinfo=UTC),
        "seoul": datetime(2026, 12, 3, 13, 5, 6, tzinfo=seoul),
        "naive": datetime(2026, 12, 3, 13, 5, 6, 500),
        "date": date(2026, 12, 3),
        "decimal": Decimal("12.50"),
        "lazy": gettext_lazy("Open"),
        "delta": timedelta(minutes=90),
        "korean": "배우 모집 \u2028 줄",
        "nested": [{"n": 1, "f": 1.5, "b": True, "none": None, "t": (1, 2)}],
    }
    for value in (data, {**data, "big": 2**70}, {1: "a non-string key"}):  # the last two: DRF's
        mine = ORJSONRenderer().render(value, "application/json", {})
        assert mine == JSONRenderer().render(value, "application/json", {})
    assert ORJSONRenderer().render(None) == b""
    # an indented answer asked for in Accept is DRF's, too
    indented = "application/json; indent=2"
    assert ORJSONRenderer().render(data, indented, {}) == JSONRenderer().render(data, indented, {})
