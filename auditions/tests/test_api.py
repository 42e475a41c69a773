import base64
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from auditions import selectors, services
from auditions.ingest import RoleData
from auditions.models import Audition, Bookmark
from auditions.tests import factories

pytestmark = pytest.mark.django_db

LIST = "/api/v1/auditions"


def ids(response) -> list[str]:
    return [item["id"] for item in response.json()["results"]]


def test_list_needs_authentication(api_client, source):
    response = api_client.get(LIST)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_list_item_has_every_field_of_the_contract(client_for, source):
    audition = factories.audition(
        title="웹드라마 주연", pay_raw="회당 10만원", location="서울 마포구", contact_raw=""
    )

    response = client_for.get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"results", "next", "previous"}
    [item] = body["results"]
    assert item["id"] == str(audition.id)
    assert set(item) >= {
        "id",
        "title",
        "category",
        "company",
        "description",
        "region",
        "location",
        "pay",
        "deadline",
        "shoot_start",
        "shoot_end",
        "posted_at",
        "status",
        "roles",
        "sources",
        "apply",
        "trust",
    }
    assert item["pay"] == {
        "type": "paid",
        "amount_min": 100000,
        "amount_max": 150000,
        "unit": "day",
        "currency": "KRW",
        "raw": "회당 10만원",
    }
    assert item["status"] == "open"
    assert item["posted_at"].endswith("+09:00")
    assert item["sources"] == [{"name": "Filmmakers", "url": audition.listings.get().url}]
    assert item["apply"] == {
        "method": "email",
        "target": "casting@example.com",
        "direct_only": False,
        "subject_format": None,
    }
    assert item["trust"] == {"score": 100, "flags": []}
    [role] = item["roles"]
    assert {k: role[k] for k in ("name", "gender", "age_min", "age_max", "headcount")} == {
        "name": "수진",
        "gender": "female",
        "age_min": 20,
        "age_max": 29,
        "headcount": 1,
    }


def test_default_list_shows_only_open_and_not_past_deadline(client_for, source):
    today = timezone.localdate()
    visible = factories.audition(deadline=today)
    rolling = factories.audition(deadline=None)
    past_not_yet_expired = factories.audition(deadline=today - timedelta(days=1))
    for status in ("hidden", "closed", "merged", "draft", "expired"):
        factories.audition(status=status)

    assert set(ids(client_for.get(LIST))) == {str(visible.id), str(rolling.id)}
    expired = client_for.get(LIST, {"status": "expired"}).json()["results"]
    assert str(past_not_yet_expired.id) in [item["id"] for item in expired]
    assert {item["status"] for item in expired} == {"expired"}
    assert len(ids(client_for.get(LIST, {"status": "closed"}))) == 1


def test_filters(client_for, source):
    today = timezone.localdate()
    services.source_upsert(slug="otr", name="OTR")
    young_woman = factories.audition(
        category="drama", region="busan", pay_amount_max=300000, deadline=today + timedelta(2)
    )
    older_man = factories.audition(
        category="commercial",
        region="seoul",
        pay_amount_min=50000,
        pay_amount_max=50000,
        deadline=today + timedelta(20),
        roles=[RoleData(name="아버지", gender="male", age_min=45, age_max=60)],
    )
    anyone = factories.audition(
        source_slug="otr",
        url="https://otr.example/9",
        category="model",
        region="online",
        pay_type="unknown",
        pay_amount_min=None,
        pay_amount_max=None,
        deadline=None,
        roles=[RoleData(name="누구나", gender="any")],
    )

    def found(**params) -> set[str]:
        response = client_for.get(LIST, params)
        assert response.status_code == 200, response.json()
        return set(ids(response))

    assert found(category="drama") == {str(young_woman.id)}
    assert found(category=["drama", "model"]) == {str(young_woman.id), str(anyone.id)}
    assert found(region="seoul") == {str(older_man.id)}
    assert found(gender="male") == {str(older_man.id), str(anyone.id)}
    assert found(gender="female", age=50) == {str(anyone.id)}
    assert found(age=25) == {str(young_woman.id), str(anyone.id)}
    assert found(deadline_before=(today + timedelta(5)).isoformat()) == {str(young_woman.id)}
    assert found(deadline_after=(today + timedelta(5)).isoformat()) == {str(older_man.id)}
    assert found(pay_min=100000) == {str(young_woman.id)}
    assert found(source="otr") == {str(anyone.id)}


@pytest.mark.parametrize(
    "params",
    [{"category": "opera"}, {"ordering": "title"}, {"age": "old"}, {"status": "hidden"}],
)
def test_bad_filters_are_a_400_envelope(client_for, source, params):
    response = client_for.get(LIST, params)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert set(response.json()["error"]["fields"]) == set(params)


def test_orderings(client_for, source):
    today = timezone.localdate()
    now = timezone.now()
    late = factories.audition(
        deadline=today + timedelta(30), pay_amount_max=90000, posted_at=now - timedelta(days=3)
    )
    soon = factories.audition(
        deadline=today + timedelta(1), pay_amount_max=500000, posted_at=now - timedelta(days=2)
    )
    rolling = factories.audition(
        deadline=None,
        pay_type="unknown",
        pay_amount_min=None,
        pay_amount_max=None,
        posted_at=now - timedelta(days=1),
    )
    expected = {
        "deadline": [soon, late, rolling],
        "-posted_at": [rolling, soon, late],
        "-pay": [soon, late, rolling],
    }
    for ordering, auditions in expected.items():
        assert ids(client_for.get(LIST, {"ordering": ordering})) == [str(a.id) for a in auditions]
    assert ids(client_for.get(LIST)) == [str(a.id) for a in expected["-posted_at"]]


@pytest.mark.parametrize("ordering", ["deadline", "-posted_at", "-pay"])
def test_cursor_pages_cover_ties_without_repeats(client_for, source, ordering):
    # Many rows share a deadline and a pay: the cursor must step through ties by id.
    now = timezone.now()
    deadline = timezone.localdate() + timedelta(days=3)
    made = {
        str(factories.audition(deadline=deadline, posted_at=now - timedelta(minutes=i % 2)).id)
        for i in range(7)
    }

    seen, url, params = [], LIST, {"ordering": ordering, "page_size": 3}
    while url:
        body = client_for.get(url, params).json()
        seen += [item["id"] for item in body["results"]]
        url, params = body["next"], None

    assert len(seen) == 7 and set(seen) == made
    # and back again
    last_page = client_for.get(LIST, {"ordering": ordering, "page_size": 3}).json()
    second = client_for.get(last_page["next"]).json()
    back = client_for.get(second["previous"]).json()
    assert [i["id"] for i in back["results"]] == [i["id"] for i in last_page["results"]]
    assert back["previous"] is None


def test_a_garbled_cursor_is_a_404_envelope(client_for, source):
    response = client_for.get(LIST, {"cursor": base64.b64encode(b"p=[1").decode()})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_search_finds_korean_words_of_any_length_and_ranks_titles_first(client_for, source):
    in_title = factories.audition(title="광고 모델 모집", description="밝은 분위기")
    in_text = factories.audition(
        title="촬영 안내", company="", description="음료 광고 촬영에 출연할 남자 배우"
    )
    in_company = factories.audition(title="단편영화 오디션", company="뮤지컬컴퍼니 하나")
    factories.audition(title="다른 공고", description="아무 관련 없음")

    def search(q: str) -> list[str]:
        response = client_for.get(LIST, {"q": q})
        assert response.status_code == 200
        return ids(response)

    assert search("광고") == [str(in_title.id), str(in_text.id)]
    assert search("남") == [str(in_text.id)]
    assert search("뮤지컬") == [str(in_company.id)]
    assert search("남자 배우") == [str(in_text.id)]
    assert search("광고 없음") == []
    assert search("!!") != []  # no words: no search filter

    # Pages walk from title matches into the rest without a gap or a repeat, both ways.
    first = client_for.get(LIST, {"q": "광고", "page_size": 1}).json()
    second = client_for.get(first["next"]).json()
    assert [first["results"][0]["id"], second["results"][0]["id"]] == search("광고")
    assert second["next"] is None
    assert client_for.get(second["previous"]).json()["results"] == first["results"]


def test_search_pages_keep_filters_and_cursor_across_the_title_partition(client_for, source):
    # The title matches are fetched as a partition of their own (built by the selector); the
    # page's filters and the cursor must hold there exactly as in the rest.
    now = timezone.now()
    titles = [
        factories.audition(
            title=f"광고 모델 {i}", category="commercial", posted_at=now - timedelta(hours=i)
        )
        for i in range(3)
    ]
    texts = [
        factories.audition(
            title=f"촬영 {i}",
            description="광고 촬영",
            category="commercial",
            posted_at=now - timedelta(hours=i),
        )
        for i in range(2)
    ]
    factories.audition(title="광고 다른 분야", category="film")  # filtered out everywhere
    expected = [str(a.id) for a in titles + texts]

    seen, url, params = [], LIST, {"q": "광고", "category": "commercial", "page_size": 2}
    pages = []
    while url:
        assert len(pages) < 10, "the pages do not end"
        body = client_for.get(url, params if url == LIST else None).json()
        pages.append(body)
        seen += ids_of(body)
        url = body["next"]
    back = []
    url = pages[-1]["previous"]
    while url:
        assert len(back) < 10, "the pages do not end"
        body = client_for.get(url).json()
        back = ids_of(body) + back
        url = body["previous"]

    assert seen == expected
    assert back + ids_of(pages[-1]) == expected


@pytest.mark.parametrize("window", [1, 3, 4, 1000])
def test_search_pages_past_the_bounded_walk_are_complete_and_in_order(
    client_for, source, monkeypatch, window
):
    # The body-only partition walks at most `window` entries of the (filtered) list along
    # posted_at, then reads the matches past them by search index, sorted: pages must run on
    # without a gap or a repeat across that edge, with ties on posted_at, both ways.
    monkeypatch.setattr(selectors, "SEARCH_TAIL_WINDOW", window)
    now = timezone.now()
    made = []
    for i in range(14):
        at = now - timedelta(hours=i // 2)  # pairs share a posted_at
        kind = ("title", "text", "none", "text", "other")[i % 5]
        made.append(
            factories.audition(
                title="광고 모델" if kind == "title" else f"촬영 {i}",
                description="광고 촬영" if kind in ("text", "other") else "배우 모집",
                category="film" if kind == "other" else "commercial",
                posted_at=at,
            )
        )
    newest_first = sorted(made, key=lambda a: (a.posted_at, a.id), reverse=True)
    titles = [str(a.id) for a in newest_first if a.title == "광고 모델"]
    texts = [
        str(a.id)
        for a in newest_first
        if a.description == "광고 촬영" and a.category == "commercial"
    ]
    expected = titles + texts
    assert len(texts) >= 5

    params = {"q": "광고", "category": "commercial", "page_size": 2}
    pages, url = [], LIST
    while url:
        assert len(pages) < 20, "the pages do not end"
        pages.append(client_for.get(url, params if url == LIST else None).json())
        url = pages[-1]["next"]
    back, url = [], pages[-1]["previous"]
    while url:
        assert len(back) < 40, "the pages do not end"
        body = client_for.get(url).json()
        back = ids_of(body) + back
        url = body["previous"]

    assert [i for body in pages for i in ids_of(body)] == expected
    assert back + ids_of(pages[-1]) == expected


def ids_of(body: dict) -> list[str]:
    return [item["id"] for item in body["results"]]


def test_detail_and_hidden_is_404(client_for, source):
    audition = factories.audition()
    hidden = factories.audition(status="hidden")

    response = client_for.get(f"{LIST}/{audition.id}")
    assert response.status_code == 200
    assert response.json()["id"] == str(audition.id)
    assert client_for.get(f"{LIST}/{hidden.id}").status_code == 404
    assert client_for.get(f"{LIST}/not-a-uuid").status_code == 404


def test_bookmarks(client_for, member, source):
    first, second = factories.audition(), factories.audition()
    hidden = factories.audition(status="hidden")

    assert client_for.put(f"{LIST}/{first.id}/bookmark").status_code == 204
    assert client_for.put(f"{LIST}/{second.id}/bookmark").status_code == 204
    assert client_for.put(f"{LIST}/{second.id}/bookmark").status_code == 204  # idempotent
    assert client_for.put(f"{LIST}/{hidden.id}/bookmark").status_code == 404

    listed = client_for.get("/api/v1/me/bookmarks")
    assert ids(listed) == [str(second.id), str(first.id)]
    assert all(item["is_bookmarked"] for item in listed.json()["results"])
    assert client_for.get(f"{LIST}/{first.id}").json()["is_bookmarked"] is True

    assert client_for.delete(f"{LIST}/{first.id}/bookmark").status_code == 204
    assert client_for.delete(f"{LIST}/{first.id}/bookmark").status_code == 204
    assert ids(client_for.get("/api/v1/me/bookmarks")) == [str(second.id)]


def test_another_members_bookmarks_are_not_mine(client_for, member, source):
    audition = factories.audition()
    Bookmark.objects.create(member=factories.member(), audition=audition)

    assert ids(client_for.get("/api/v1/me/bookmarks")) == []
    assert client_for.get(f"{LIST}/{audition.id}").json()["is_bookmarked"] is False


# Roles and sources: two queries for the page, or none on PostgreSQL, where the page's own
# statement builds them as JSON (selectors.audition_rows).
RELATED_QUERIES = 0 if connection.vendor == "postgresql" else 2


@pytest.mark.parametrize(
    ("params", "queries"),
    # a search pages title matches, then the rest (one audition query more) after finding how
    # far the rest's walk may go (one more: selectors.audition_search_tail); the posters'
    # figures are one query more for the page (auditions.posters)
    [({}, 2), ({"q": "배우"}, 4), ({"ordering": "deadline", "gender": "female"}, 2)],
)
def test_list_query_count_is_flat(
    client_for, member, source, django_assert_num_queries, params, queries
):
    audition = factories.audition(description="배우 모집")
    services.bookmark_add(member=member, audition_id=audition.id)
    # auditions (with the bookmark flag), roles, sources, posters; no SAVEPOINT/RELEASE: reads run
    # outside the request transaction (ohmanager.transactions)
    with django_assert_num_queries(queries + RELATED_QUERIES):
        assert len(ids(client_for.get(LIST, params))) == 1

    for _ in range(99):
        factories.audition(description="배우 모집")
    assert Audition.objects.count() == 100
    with django_assert_num_queries(queries + RELATED_QUERIES):
        assert len(ids(client_for.get(LIST, {**params, "page_size": 100}))) == 100


def test_detail_query_count_is_flat(client_for, source, django_assert_num_queries):
    few = factories.audition()
    many = factories.audition(roles=[RoleData(name=f"역할 {n}") for n in range(12)])
    for audition in (few, many):
        # the audition, its poster's figures (auditions.posters), and the related rows
        with django_assert_num_queries(2 + RELATED_QUERIES):
            assert client_for.get(f"{LIST}/{audition.id}").status_code == 200
