"""`GET auditions/recommended` and `auditions/{id}/dismiss`, through HTTP on the real database."""

import random
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import services as account_services
from accounts.profiles import services as profile_services
from auditions import feed_points, recommendations, services, tasks
from auditions.ingest import RoleData
from auditions.models import Audition
from auditions.pagination import KeysetCursorPage
from auditions.tests import factories

pytestmark = pytest.mark.django_db


FEED = "/api/v1/auditions/recommended"
SEOUL = ZoneInfo("Asia/Seoul")


def profile(member, **fields):
    account_services.profile_prepare(member=member)
    return profile_services.profile_update(member=member, **fields)


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def codes(item: dict) -> set[str]:
    return {reason["code"] for reason in item["reasons"]}


def item_for(response, audition) -> dict:
    return next(i for i in response.json()["results"] if i["id"] == str(audition.id))


def woman(age=27, roles=None, **overrides) -> Audition:
    """An audition with one female role around `age` unless `roles` says otherwise."""
    roles = roles or [RoleData(name="수진", gender="female", age_min=age - 2, age_max=age + 3)]
    return factories.audition(roles=roles, **overrides)


def set_trust(audition: Audition, score: int) -> None:
    # Trust is derived from the listing's text; the crafted set pins it so scores are exact
    # (and moves the kept feed points with it, as the services do).
    Audition.objects.filter(pk=audition.pk).update(trust_score=score)
    services.auditions_feed_points_refresh(today=timezone.localdate(), ids=[audition.pk])


@pytest.fixture
def performer(member):
    """27-year-old woman, 165 cm, into film, works in Seoul."""
    today = timezone.localdate()
    profile(
        member,
        birth_date=date(today.year - 27, 1, 1),  # 27 on every day of this year
        gender="female",
        height_cm=165,
        interests=["film"],
        regions=["seoul"],
    )
    return member


def test_feed_needs_authentication(api_client):
    response = api_client.get(FEED)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_crafted_set_ranks_in_the_explained_order(client_for, performer, source):
    # given: every audition fits (a female role for 25-30); trust pinned at 80 (12 points) unless
    # stated. Score = role 15 + category 25 + region 15|10 + pay 10|4 + deadline 10|5
    # + fresh 10|6|3 + trust x 0.15.
    today, now = timezone.localdate(), timezone.now()
    best = woman(  # everything: 15+25+15+10+10+10+12 = 97
        category="film",
        region="seoul",
        deadline=today + timedelta(days=5),
        posted_at=now - timedelta(days=1),
    )
    online = woman(  # online 10, negotiable 4, deadline in 12 days 5, 5 days old 6: 77
        category="film",
        region="online",
        pay_type="negotiable",
        pay_amount_min=None,
        pay_amount_max=None,
        deadline=today + timedelta(days=12),
        posted_at=now - timedelta(days=5),
    )
    not_interested = woman(  # drama (no interest): 15+0+15+10+10+10+12 = 72
        category="drama",
        region="seoul",
        deadline=today + timedelta(days=5),
        posted_at=now - timedelta(days=1),
    )
    far_unpaid = woman(  # busan, pay unknown, deadline a month off, 20 days old: 15+25+12 = 52
        category="film",
        region="busan",
        pay_type="unknown",
        pay_amount_min=None,
        pay_amount_max=None,
        deadline=today + timedelta(days=30),
        posted_at=now - timedelta(days=20),
    )
    far_untrusted = woman(  # the same with trust 20 (3 points): 43
        category="film",
        region="busan",
        pay_type="unknown",
        pay_amount_min=None,
        pay_amount_max=None,
        deadline=today + timedelta(days=30),
        posted_at=now - timedelta(days=20),
    )
    for audition in (best, online, not_interested, far_unpaid):
        set_trust(audition, 80)
    set_trust(far_untrusted, 20)

    # when
    response = client_for.get(FEED)

    # then
    expected = [best, online, not_interested, far_unpaid, far_untrusted]
    assert ids(response) == [str(a.id) for a in expected]
    assert [i["score"] for i in response.json()["results"]] == [97, 77, 72, 52, 43]
    top = response.json()["results"][0]
    assert codes(top) >= {
        "gender_fits_role",
        "age_fits_role",
        "category_match",
        "region_match",
        "deadline_soon",
        "pay_stated",
        "fresh",
        "trusted",
    }
    assert "region_anywhere" in codes(item_for(response, online))
    assert "pay_terms" in codes(item_for(response, online))
    assert "category_match" not in codes(item_for(response, not_interested))
    assert "low_trust" in codes(item_for(response, far_untrusted))
    age_text = next(r["text"] for r in top["reasons"] if r["code"] == "age_fits_role")
    assert age_text == "“수진” 역 25\u201330세 모집, 회원님은 27세"  # Korean: the default


def test_reasons_follow_the_members_language(client_for, performer, source):
    performer.language = "en"
    performer.save(update_fields=["language"])
    woman()

    [item] = client_for.get(FEED).json()["results"]

    texts = {r["code"]: r["text"] for r in item["reasons"]}
    assert texts["age_fits_role"] == "Role “수진” asks for 25\u201330; you are 27"


def test_only_auditions_with_a_fitting_role_are_listed(client_for, performer, source):
    fits = woman()
    men_only = woman(roles=[RoleData(name="형사", gender="male", age_min=25, age_max=30)])
    too_old = woman(roles=[RoleData(name="엄마", gender="female", age_min=45, age_max=55)])
    too_short = woman(
        roles=[RoleData(name="모델", gender="female", height_min_cm=172, height_max_cm=180)]
    )
    # Two roles, each failing on one count, do not make one that fits.
    split = woman(
        roles=[
            RoleData(name="A", gender="male", age_min=25, age_max=30),
            RoleData(name="B", gender="female", age_min=45, age_max=50),
        ]
    )

    listed = ids(client_for.get(FEED))

    assert listed == [str(fits.id)]
    for audition in (men_only, too_old, too_short, split):
        assert str(audition.id) not in listed


def test_past_deadlines_and_closed_auditions_never_show(client_for, performer, source):
    today = timezone.localdate()
    closes_today = woman(deadline=today)
    woman(deadline=today - timedelta(days=1))
    woman(status="closed")
    rolling = woman(deadline=None)

    response = client_for.get(FEED)

    assert set(ids(response)) == {str(closes_today.id), str(rolling.id)}
    assert "deadline_today" in codes(item_for(response, closes_today))
    assert "deadline_soon" not in codes(item_for(response, rolling))


@pytest.mark.parametrize(
    ("day", "fits", "misses"),
    [
        # Born 2000-06-15: 24 the day before the birthday, 25 on it.
        (datetime(2025, 6, 14, 12, tzinfo=SEOUL), "young", "older"),
        (datetime(2025, 6, 15, 0, 30, tzinfo=SEOUL), "older", "young"),
    ],
)
def test_age_is_counted_on_the_day_birthday_included(api_client, source, day, fits, misses):
    with time_machine.travel(day, tick=False):
        member = factories.member()
        profile(member, birth_date=date(2000, 6, 15), gender="female")
        made = {
            "young": woman(
                roles=[RoleData(name="대학생", gender="female", age_min=20, age_max=24)]
            ),
            "older": woman(roles=[RoleData(name="신입", gender="female", age_min=25, age_max=30)]),
        }
        api_client.force_authenticate(member)

        response = api_client.get(FEED, {"near_misses": "true"})

    results = {i["id"]: i for i in response.json()["results"]}
    assert results[str(made[fits].id)]["near_miss"] is False
    assert results[str(made[misses].id)]["near_miss"] is True
    with time_machine.travel(day, tick=False):
        assert ids(api_client.get(FEED)) == [str(made[fits].id)]


def test_any_gender_roles_fit_everyone_gendered_roles_only_their_gender(api_client, source):
    man, nonbinary, unknown = factories.member(), factories.member(), factories.member()
    profile(man, gender="male")
    profile(nonbinary, gender="nonbinary")
    profile(unknown)  # gender not given: gender never excludes
    anyone = woman(roles=[RoleData(name="행인", gender="any")])
    for_women = woman(roles=[RoleData(name="수진", gender="female")])

    seen = {}
    for who in (man, nonbinary, unknown):
        api_client.force_authenticate(who)
        seen[who.pk] = set(ids(api_client.get(FEED)))

    assert seen[man.pk] == {str(anyone.id)}
    assert seen[nonbinary.pk] == {str(anyone.id)}
    assert seen[unknown.pk] == {str(anyone.id), str(for_women.id)}
    api_client.force_authenticate(man)
    [item] = api_client.get(FEED).json()["results"]
    assert "gender_any" in codes(item)


def test_height_only_counts_where_stated_and_known(api_client, source):
    short, untold = factories.member(), factories.member()
    profile(short, gender="female", height_cm=150)
    profile(untold, gender="female")  # no height in the profile
    no_height = woman(roles=[RoleData(name="수진", gender="female")])
    tall = woman(roles=[RoleData(name="모델", gender="female", height_min_cm=170)])

    api_client.force_authenticate(short)
    assert ids(api_client.get(FEED)) == [str(no_height.id)]

    api_client.force_authenticate(untold)
    response = api_client.get(FEED)
    assert set(ids(response)) == {str(no_height.id), str(tall.id)}
    assert "height_unknown" in codes(item_for(response, tall))


def test_near_misses_are_listed_on_request_and_explained(client_for, performer, source):
    fits = woman()
    near = woman(roles=[RoleData(name="선배", gender="female", age_min=30, age_max=35)])
    woman(roles=[RoleData(name="엄마", gender="female", age_min=31, age_max=40)])  # 4 off: no
    near_height = woman(
        roles=[RoleData(name="모델", gender="female", height_min_cm=168, height_max_cm=175)]
    )
    set_trust(fits, 50)
    set_trust(near, 100)

    assert ids(client_for.get(FEED)) == [str(fits.id)]
    response = client_for.get(FEED, {"near_misses": "true"})

    assert set(ids(response)) == {str(fits.id), str(near.id), str(near_height.id)}
    near_item = item_for(response, near)
    assert near_item["near_miss"] is True
    assert [r for r in near_item["reasons"] if r["code"] == "age_near_miss"] == [
        {
            "code": "age_near_miss",
            "text": "아깝게 벗어남: “선배” 역 30\u201335세 모집, 회원님은 27세",
        }
    ]
    assert "height_near_miss" in codes(item_for(response, near_height))
    # A near miss loses the role's 15 points: the fitting one (trust 50) still ranks first.
    assert ids(response)[0] == str(fits.id)
    # (fits: role 15 + trust 7; near: role 0 + trust 15; all else equal)
    assert item_for(response, fits)["score"] - near_item["score"] == 7


def test_bad_near_misses_value_is_a_validation_error(client_for, performer):
    response = client_for.get(FEED, {"near_misses": "maybe"})

    assert response.status_code == 400
    assert "near_misses" in response.json()["error"]["fields"]


def test_dismissed_auditions_leave_the_feed_until_undone(client_for, performer, source):
    kept, dismissed = woman(), woman()
    url = f"/api/v1/auditions/{dismissed.id}/dismiss"

    assert client_for.post(url).status_code == 204
    assert client_for.post(url).status_code == 204  # idempotent
    assert ids(client_for.get(FEED)) == [str(kept.id)]
    assert str(dismissed.id) not in ids(client_for.get(FEED, {"near_misses": "true"}))

    assert client_for.delete(url).status_code == 204
    assert client_for.delete(url).status_code == 204  # idempotent
    assert set(ids(client_for.get(FEED))) == {str(kept.id), str(dismissed.id)}


def test_auditions_applied_to_never_return(client_for, performer, source):
    open_one, applied, withdrawn = woman(), woman(), woman()
    for audition in (applied, withdrawn):
        response = client_for.post(
            "/api/v1/applications", {"audition": str(audition.id), "external": True}, format="json"
        )
        assert response.status_code == 201, response.content
    application_id = response.json()["id"]
    withdraw = client_for.post(f"/api/v1/applications/{application_id}/withdraw")
    assert withdraw.status_code == 200, withdraw.content

    for params in ({}, {"near_misses": "true"}):
        assert ids(client_for.get(FEED, params)) == [str(open_one.id)]


def test_dismissal_is_per_member(api_client, source):
    one, two = factories.member(), factories.member()
    profile(one, gender="female")
    profile(two, gender="female")
    audition = woman()

    api_client.force_authenticate(one)
    api_client.post(f"/api/v1/auditions/{audition.id}/dismiss")

    api_client.force_authenticate(two)
    assert ids(api_client.get(FEED)) == [str(audition.id)]


def test_dismissing_an_unknown_or_hidden_audition_is_404(client_for, performer, source):
    hidden = woman(status="hidden")

    for audition_id in ("00000000-0000-0000-0000-000000000000", str(hidden.id)):
        response = client_for.post(f"/api/v1/auditions/{audition_id}/dismiss")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "audition_not_found"


def test_pages_walk_every_item_once_in_score_order(client_for, performer, source):
    # Many equal scores: the cursor must step over ties by posted_at and id.
    now = timezone.now()
    made = [woman(posted_at=now - timedelta(days=1, minutes=i % 3)) for i in range(7)]
    made += [woman(category="drama") for _ in range(4)]

    full = client_for.get(FEED, {"page_size": 100}).json()["results"]
    seen, url = [], FEED + "?page_size=3"
    while url:
        body = client_for.get(url).json()
        seen += body["results"]
        url = body["next"]

    assert [i["id"] for i in seen] == [i["id"] for i in full]
    assert len({i["id"] for i in seen}) == len(made)
    assert [i["score"] for i in seen] == sorted((i["score"] for i in seen), reverse=True)


def test_query_count_does_not_grow_with_the_catalogue(client_for, performer, source):
    def count(params: dict) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client_for.get(FEED, params).status_code == 200
        return len(queries)

    # With one audition every branch is read (none can be skipped): the most a page costs.
    woman()
    plain, near = count({}), count({"near_misses": "true"})
    for size in (30, 60):
        while Audition.objects.count() < size:
            woman(roles=[RoleData(name="A", gender="female"), RoleData(name="B", gender="any")])
            woman(category="drama", region="busan")
            woman(region="online")

        # Full pages skip the branches that cannot reach them: never more queries.
        assert count({}) <= plain
        assert count({"near_misses": "true"}) <= near


def test_a_page_reads_its_branches_in_two_round_trips(client_for, performer, source):
    # given: a member whose profile splits the catalogue into many branches, and a row in each
    # (category x region), a page large enough that no branch can be skipped
    profile(performer, interests=["film", "drama"], regions=["seoul", "busan"])
    for category in ("film", "drama", "commercial"):
        for region in ("seoul", "online", "jeju"):
            woman(category=category, region=region)
    feed = recommendations.feed_context(member=performer, near_misses=True)
    plan = recommendations.branches(feed)
    assert len(plan) == 18  # (2 interests + other) x (hers, anywhere, other) x (fits, near)

    # when
    with CaptureQueriesContext(connection) as queries:
        assert len(ids(client_for.get(FEED, {"near_misses": "true", "page_size": 100}))) == 9

    # then: the best branch alone, then the other 17 as one UNION ALL of subqueries that each
    # keep their ORDER BY and LIMIT
    branch_reads = [query for query in queries.captured_queries if "branch_score" in query["sql"]]
    assert len(branch_reads) == 2
    assert "UNION ALL" not in branch_reads[0]["sql"]
    assert branch_reads[1]["sql"].count("UNION ALL") == len(plan) - 2
    assert branch_reads[1]["sql"].count(" LIMIT 101") == len(plan) - 1


def test_a_member_who_dismissed_many_auditions_still_gets_the_defined_ranking(
    client_for, performer, source
):
    # given: many branches and 120 dismissed auditions: the exclusion list repeats in every
    # branch, past SQLite's 999 parameters per statement for one UNION of 17 branches
    profile(performer, interests=["film", "drama"], regions=["seoul", "busan"])
    dismissed = [woman(category="drama", region="online") for _ in range(120)]
    for audition in dismissed:
        client_for.post(f"/api/v1/auditions/{audition.id}/dismiss")
    kept = [woman(category=c, region=r) for c in ("film", "commercial") for r in ("busan", "jeju")]
    params = {"near_misses": "true", "page_size": 3}

    # when
    seen = walk(client_for, params)

    # then: the defined ranking of what was not dismissed
    gone = {str(audition.id) for audition in dismissed}
    expected = [row for row in expected_feed(performer, params) if row[1] not in gone]
    assert [(i["score"], i["id"]) for i in seen] == expected
    assert {i["id"] for i in seen} == {str(a.id) for a in kept}


def test_a_forged_cursor_is_a_404_not_a_server_error(client_for, performer, source):
    woman()
    row = recommendations.RankedRow(uuid.uuid4(), timezone.now(), 2**63)
    cursor = KeysetCursorPage().position_cursor(recommendations.ORDERING, row)

    response = client_for.get(FEED, {"cursor": cursor})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def walk(client, params: dict) -> list[dict]:
    seen, url, first = [], FEED, True
    while url:
        assert len(seen) < 1000, "the pages do not end"
        response = client.get(url, params if first else None)
        assert response.status_code == 200, response.content
        seen += response.json()["results"]
        url, first = response.json()["next"], False
    return seen


def previous_pages(client, params: dict) -> list[dict]:
    """Walk to the last page, then back with `previous` links: every item, in order."""
    url, first, last = FEED, True, None
    for _ in range(200):
        if not url:
            break
        last = client.get(url, params if first else None).json()
        url, first = last["next"], False
    seen = last["results"]
    url = last["previous"]
    for _ in range(200):
        if not url:
            break
        body = client.get(url).json()
        seen = body["results"] + seen
        url = body["previous"]
    return seen


def expected_feed(member, params: dict) -> list[tuple[int, str]]:
    """The feed by its definition, in Python over every open audition: (score, id), best first."""
    today = timezone.localdate()
    feed = recommendations.feed_context(
        member=member, today=today, near_misses="near_misses" in params
    )
    person, rows = feed.performer, []
    for audition in Audition.objects.filter(status="open").prefetch_related("roles"):
        roles = [
            {
                f: getattr(r, f)
                for f in ("gender", "age_min", "age_max", "height_min_cm", "height_max_cm")
            }
            for r in audition.roles.all()
        ]
        fits = any(recommendations.role_fits(role, person) for role in roles)
        near = any(recommendations.role_fits(role, person, (3, 5)) for role in roles)
        if not (fits or (feed.near_misses and near)):
            continue
        score = (15 if fits else 0) + feed_points.for_audition(audition, today)
        score += 25 if audition.category in person.interests else 0
        if audition.region in person.regions:
            score += 15
        elif person.regions and audition.region in ("online", "nationwide"):
            score += 10
        rows.append((score, audition.posted_at, audition.id))
    rows.sort(reverse=True)
    return [(score, str(pk)) for score, _, pk in rows]


@pytest.mark.parametrize("wide", [False, True], ids=["one_interest", "two_interests_regions"])
@pytest.mark.parametrize("near_misses", [False, True])
def test_pages_cut_from_the_branches_are_the_defined_ranking(
    client_for, performer, source, near_misses, wide
):
    # given: a varied catalogue across every branch (category in the interests or not x region
    # hers / online / elsewhere x fits / nearly fits / does not fit), with ties on score; the
    # wide profile has 9 branches (18 with near misses) read after the first in one UNION
    if wide:
        profile(performer, interests=["film", "drama"], regions=["seoul", "busan"])
    rng = random.Random(7)
    today, now = timezone.localdate(), timezone.now()
    for i in range(60):
        age_min = rng.choice([None, 22, 25, 26, 29, 33])
        audition = woman(
            category=rng.choice(["film", "drama", "commercial"]),
            region=rng.choice(["seoul", "online", "nationwide", "busan"]),
            pay_type=rng.choice(["paid", "negotiable", "unknown"]),
            deadline=rng.choice([None, today + timedelta(days=rng.randint(0, 30))]),
            posted_at=now - timedelta(days=rng.choice([0, 2, 5, 10, 20]), minutes=i % 2),
            roles=[
                RoleData(
                    name="r",
                    gender=rng.choice(["female", "female", "any", "male"]),
                    age_min=age_min,
                    age_max=None if age_min is None else age_min + rng.choice([2, 5]),
                )
            ],
        )
        set_trust(audition, rng.choice([20, 50, 80, 100]))
    params = {"page_size": 7, **({"near_misses": "true"} if near_misses else {})}
    expected = expected_feed(performer, params)
    assert len(expected) > 21  # several pages, from several branches

    # when
    forward = walk(client_for, params)
    backward = previous_pages(client_for, params)

    # then
    assert [(i["score"], i["id"]) for i in forward] == expected
    assert [i["id"] for i in backward] == [pk for _, pk in expected]


def test_applying_dismissing_and_editing_the_profile_change_the_feed_at_once(
    client_for, performer, source
):
    one, two, three = woman(), woman(), woman()
    older = woman(roles=[RoleData(name="older", gender="female", age_min=40, age_max=45)])
    assert set(ids(client_for.get(FEED))) == {str(one.id), str(two.id), str(three.id)}

    applied = client_for.post(
        "/api/v1/applications", {"audition": str(one.id), "external": True}, format="json"
    )
    assert applied.status_code == 201, applied.content
    assert set(ids(client_for.get(FEED))) == {str(two.id), str(three.id)}

    assert client_for.post(f"/api/v1/auditions/{two.id}/dismiss").status_code == 204
    assert ids(client_for.get(FEED)) == [str(three.id)]
    assert client_for.delete(f"/api/v1/auditions/{two.id}/dismiss").status_code == 204
    assert set(ids(client_for.get(FEED))) == {str(two.id), str(three.id)}

    today = timezone.localdate()
    profile_services.profile_update(member=performer, birth_date=date(today.year - 42, 1, 1))
    assert ids(client_for.get(FEED)) == [str(older.id)]


def test_an_audition_closed_meanwhile_leaves_at_once(client_for, performer, source):
    stays, closes = woman(), woman()
    assert set(ids(client_for.get(FEED))) == {str(stays.id), str(closes.id)}

    Audition.objects.filter(pk=closes.pk).update(status="closed")

    assert ids(client_for.get(FEED)) == [str(stays.id)]


def test_the_scores_move_with_the_date_once_the_hourly_task_runs(client_for, performer, source):
    # given: closes in 10 days (deadline 5), posted today (fresh 10), trust 80 (12)
    start = datetime.combine(timezone.localdate(), datetime.min.time(), SEOUL) + timedelta(hours=9)
    with time_machine.travel(start, tick=False):
        audition = woman(deadline=start.date() + timedelta(days=10), posted_at=start)
        set_trust(audition, 80)
        before = client_for.get(FEED).json()["results"][0]["score"]
    # when: four days later (deadline within 7: 10; posted 4 days ago: 6), the task runs
    with time_machine.travel(start + timedelta(days=4), tick=False):
        moved = tasks.refresh_feed_points.delay().get()
        again = tasks.refresh_feed_points.delay().get()
        after = client_for.get(FEED).json()["results"][0]

    # then
    assert (moved, again) == (1, 0)  # only the row whose bands moved; a re-run moves nothing
    assert after["score"] - before == (10 - 5) + (6 - 10)
    assert "deadline_soon" in codes(after)


def test_sql_and_python_role_predicates_agree(member, source):
    # The SQL decides who fits; Python explains the page. The same crafted roles, both ways.
    performer = recommendations.Performer(gender="female", age=27, height_cm=165)
    cases = [
        {"gender": "female", "age_min": 27, "age_max": 27},
        {"gender": "any", "age_min": None, "age_max": 26},
        {"gender": "male"},
        {"gender": "female", "height_min_cm": 166},
        {"gender": "female", "height_max_cm": 165},
        {"gender": "female", "age_min": 30, "age_max": 33},
    ]
    for fields in cases:
        audition = woman(roles=[RoleData(name="r", **fields)])
        row = recommendations.Role.objects.filter(audition=audition).values(
            "gender", "age_min", "age_max", "height_min_cm", "height_max_cm"
        )[0]
        in_sql = recommendations.Role.objects.filter(
            recommendations.role_fit_q(performer), audition=audition
        ).exists()
        near_sql = recommendations.Role.objects.filter(
            recommendations.role_near_q(performer), audition=audition
        ).exists()
        assert recommendations.role_fits(row, performer) is in_sql, fields
        assert recommendations.role_fits(row, performer, (3, 5)) is near_sql, fields
