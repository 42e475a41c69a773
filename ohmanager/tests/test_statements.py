"""The hot reads are prepared once per PostgreSQL connection (ohmanager/statements.py):
the session check and the kept catalogue pages, with the same answers as the client-side way.
"""

from datetime import UTC, date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import services
from accounts.profiles import services as profile_services
from accounts.tests.conftest import login
from accounts.tests.factories import MemberFactory
from auditions import page_statements, prepared
from auditions import services as auditions_services
from auditions.ingest import RoleData
from auditions.models import Audition
from auditions.tests import factories
from ohmanager import statements
from ohmanager.settings.base import _prepare_threshold

LIST = "/api/v1/auditions"
FEED = "/api/v1/auditions/recommended"
RUNS = 8  # past the threshold (2) and past PostgreSQL's five custom plans


@pytest.mark.parametrize(("value", "threshold"), [("2", 2), ("0", 0), ("off", None), ("", None)])
def test_the_prepare_threshold_setting(value, threshold):
    assert _prepare_threshold(value) == threshold


def _prepared_statements() -> dict[str, tuple[int, int]]:
    """This connection's prepared statements: text -> (generic plans, custom plans)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        return {text: (generic, custom) for text, generic, custom in cursor.fetchall()}


@pytest.fixture
def signed_in(db):
    member = MemberFactory()
    services.profile_prepare(member=member)
    factories.source()
    prepared.forget()
    return login(member.email).client()


@pytest.mark.services
@pytest.mark.postgres
def test_the_session_check_and_a_kept_page_are_prepared_once_per_connection(signed_in):
    assert connection.vendor == "postgresql" and statements.server_binding()
    audition = factories.audition(title="단편영화 주연 모집")

    bodies = [signed_in.get(f"{LIST}/{audition.pk}").json() for _ in range(RUNS)]

    assert all(body == bodies[0] for body in bodies) and bodies[0]["title"] == "단편영화 주연 모집"
    kept = _prepared_statements()
    session = [text for text in kept if 'FROM "accounts_membersession" INNER JOIN' in text]
    detail = [text for text in kept if '"auditions_audition"."title" AS "title"' in text]
    assert len(session) == len(detail) == 1
    # the session id and the audition are parameters: one statement serves every member
    assert "$1" in session[0] and "$" in detail[0]
    generic, custom = kept[session[0]]
    assert generic >= 1  # PostgreSQL plans a primary-key lookup once, for any id
    assert generic + custom >= RUNS - 2


@pytest.mark.services
@pytest.mark.postgres
def test_a_kept_page_answers_the_same_prepared_and_the_client_side_way(signed_in, monkeypatch):
    for index in range(25):
        factories.audition(title=f"뮤지컬 앙상블 {index}% 오디션", category="musical")
    query = {"category": "musical", "q": "뮤지컬", "ordering": "deadline"}
    prepared_pages = [signed_in.get(LIST, query).json() for _ in range(RUNS)]
    follow = signed_in.get(prepared_pages[0]["next"]).json()

    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "prepare_threshold", None)
    prepared.forget()
    assert not statements.server_binding()
    client_side = [signed_in.get(LIST, query).json() for _ in range(3)]

    assert len(prepared_pages[0]["results"]) == 20 and follow["results"]
    assert all(page == client_side[0] for page in prepared_pages + client_side)
    assert follow == signed_in.get(prepared_pages[0]["next"]).json()


@pytest.mark.services
@pytest.mark.postgres
@pytest.mark.django_db
def test_constants_are_written_in_and_the_rest_stay_parameters():
    sql = "SELECT %s::text, %s::int, %s::text LIKE %s, '100%%'"
    params = ["배우's 'quoted' %s", 7, "단편영화 주연", "%주연%"]

    text = statements.inline_constants(sql, params, keep={1, 3})

    assert text.replace("%%", "").count("%s") == 2 and "100%%" in text and "배우''s" in text
    with statements.statement_cursor() as cursor:
        cursor.execute(text, [7, "%주연%"])
        assert cursor.fetchone() == ("배우's 'quoted' %s", 7, True, "100%")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert cursor.fetchone() == ("배우's 'quoted' %s", 7, True, "100%")


@pytest.mark.services
@pytest.mark.postgres
def test_prepared_statements_are_logged_with_their_values(signed_in):
    audition = factories.audition()
    for _ in range(RUNS):
        signed_in.get(f"{LIST}/{audition.pk}")

    with CaptureQueriesContext(connection) as captured:
        assert signed_in.get(f"{LIST}/{audition.pk}").status_code == 200

    logged = [query["sql"] for query in captured.captured_queries]
    assert 'FROM "accounts_membersession" INNER JOIN' in logged[0]
    assert all(sql and "$1" not in sql and "%s" not in sql for sql in logged)
    assert any(audition.pk.hex in sql and '"title" AS "title"' in sql for sql in logged)


@pytest.mark.services
@pytest.mark.postgres
@pytest.mark.django_db
def test_timestamps_read_natively_equal_djangos():
    import psycopg
    from psycopg.pq import Format

    sql = (
        "SELECT '2026-11-25 01:39:32.285106+00'::timestamptz, '2026-06-01 10:00+09'::timestamptz,"
        " '0001-01-01 00:00+00'::timestamptz, '9999-12-31 23:59:59.999999+00'::timestamptz"
    )
    with statements.statement_cursor() as cursor:
        cursor.execute(sql)
        native = cursor.fetchone()
        oid = psycopg.adapters.types["timestamptz"].oid
        loader = cursor.cursor.adapters.get_loader(oid, Format.TEXT)
    with connection.cursor() as cursor:  # Django's own loader
        cursor.execute(sql)
        djangos = cursor.fetchone()

    assert loader is psycopg.adapters.get_loader(oid, Format.TEXT)  # psycopg's, not Django's
    assert native == djangos
    assert [value.tzinfo for value in native] == [value.tzinfo for value in djangos]
    assert all(value.tzinfo is UTC for value in native)


def _performer(today, *, age: int, interest: str, region: str):
    member = MemberFactory()
    services.profile_prepare(member=member)
    profile_services.profile_update(
        member=member,
        birth_date=date(today.year - age, 1, 1),
        gender="female",
        height_cm=165,
        interests=[interest],
        regions=[region],
    )
    return member, login(member.email).client()


def _call(title: str, *, age: int, category: str, region: str):
    role = RoleData(name="주연", gender="female", age_min=age - 2, age_max=age + 2)
    return factories.audition(title=title, roles=[role], category=category, region=region)


@pytest.mark.services
@pytest.mark.postgres
def test_members_of_one_shape_share_the_feeds_prepared_branch_reads(db):
    """The feed's branch reads take the member's values as parameters (categories, regions,
    age, the dealt-with ids padded to a multiple of ten), so two members with other values but
    as many of each share one prepared statement per branch read, planned once, generically."""
    factories.source()
    prepared.forget()
    today = timezone.localdate()
    film = [_call(f"단편영화 {n}", age=27, category="film", region="seoul") for n in range(3)]
    ads = [_call(f"광고 {n}", age=40, category="commercial", region="busan") for n in range(3)]
    one, one_client = _performer(today, age=27, interest="film", region="seoul")
    two, two_client = _performer(today, age=40, interest="commercial", region="busan")
    auditions_services.dismissal_add(member=one, audition_id=film[0].pk)  # 1 and 2 ids: padded
    auditions_services.dismissal_add(member=two, audition_id=ads[0].pk)
    auditions_services.dismissal_add(member=two, audition_id=ads[1].pk)

    def feed(client) -> set[str]:
        response = client.get(FEED)
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["results"]}

    first = [feed(one_client) for _ in range(RUNS)]
    branch_reads = {text for text in _prepared_statements() if "AS branch_score" in text}
    second = [feed(two_client) for _ in range(RUNS)]
    kept = _prepared_statements()

    assert all(found == {str(film[1].pk), str(film[2].pk)} for found in first)
    assert all(found == {str(ads[2].pk)} for found in second)
    assert branch_reads  # prepared for the first member...
    assert {text for text in kept if "AS branch_score" in text} == branch_reads  # ...and reused
    for text in branch_reads:
        assert "$1" in text and "'open'" in text  # values as parameters, constants written in
        generic, custom = kept[text]
        assert generic >= RUNS and custom == 0  # planned for any member of the shape


@pytest.mark.services
@pytest.mark.postgres
def test_a_kept_list_page_writes_the_day_in_and_plans_once(signed_in):
    """The Seoul date is written into a kept page's text (prepared.DAILY): bound, PostgreSQL
    estimated the deadline range blind and custom-planned the page on every request. Only
    the member stays a parameter, and the page is planned generically."""
    for index in range(3):
        factories.audition(title=f"웹드라마 조연 {index}", category="web_drama", region="seoul")
    query = {"category": "web_drama", "region": "seoul", "ordering": "deadline"}

    # kept on its second sight, prepared on its second run, then PostgreSQL's five custom plans
    pages = [signed_in.get(LIST, query).json() for _ in range(RUNS + 4)]

    assert all(page == pages[0] for page in pages) and len(pages[0]["results"]) == 3
    kept = _prepared_statements()
    [(text, (generic, custom))] = [
        (t, plans) for t, plans in kept.items() if '"deadline_sort" >=' in t
    ]
    today = timezone.localdate().isoformat()
    assert f"'{today}'::date" in text and "$1" in text
    with connection.cursor() as cursor:
        sql = "SELECT parameter_types::text[] FROM pg_prepared_statements WHERE statement = %s"
        cursor.execute(sql, [text])
        assert set(cursor.fetchone()[0]) == {"uuid"}  # the member's id, for its own flags
    assert generic >= 1 and custom <= 5, (generic, custom)


@pytest.mark.services
@pytest.mark.postgres
def test_a_kept_statement_takes_each_day_written_in(db):
    """A statement kept under a key without the day (a shape with no minors' cutoff) must
    change its text with the day: a call closing today is read today and not tomorrow."""
    factories.source()
    first, second = ({"today": marks["today"]} for marks in page_statements.PLACEHOLDERS)
    today = timezone.localdate()
    closing = factories.audition(title="오늘 마감 오디션", deadline=today)
    statement = prepared.PreparedRows(
        lambda marks: Audition.objects.filter(deadline_sort__gte=marks["today"]).values("id"),
        first,
        second,
    )
    days = [today, today + timedelta(days=1)]

    read = [[statement.rows(today=day) for _ in range(RUNS)] for day in days]

    assert all(rows == [{"id": closing.pk}] for rows in read[0])
    assert all(rows == [] for rows in read[1])
    texts = [text for text in _prepared_statements() if '"auditions_audition"."id"' in text]
    assert len(texts) == 2  # the same shape, one text per day, no parameter left
    assert all(any(f"'{day.isoformat()}'::date" in text for text in texts) for day in days)
    assert not any("$1" in text for text in texts)


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT %s, %s", "SELECT $1, $2"),
        ("SELECT '100%%' LIKE %s", "SELECT '100%' LIKE $1"),
        ("SELECT 1", "SELECT 1"),
        ("SELECT '%%s', %s", "SELECT '%s', $1"),
        ("SELECT 5 %\n 3, %s", "SELECT 5 %\n 3, $1"),  # psycopg passes these by too
        ("SELECT %s %", "SELECT $1 %"),
    ],
)
def test_placeholders_are_numbered_as_psycopg_reads_them(sql, expected):
    assert statements.numbered(sql) == expected


def test_an_unknown_placeholder_is_refused_as_psycopg_refuses_it():
    import psycopg

    with pytest.raises(psycopg.ProgrammingError, match="unsupported placeholder"):
        statements.numbered("SELECT %(name)s")


@pytest.mark.services
@pytest.mark.postgres
@pytest.mark.django_db
def test_a_long_statement_with_many_parameters_answers_as_the_client_side_way():
    """Past 4,096 bytes and 50 parameters psycopg would parse the text on every run; the
    statement cursor numbers it once and answers the same."""
    values = [f"배우 {n}%" for n in range(60)]
    sql = "SELECT " + ", ".join(f"%s::text AS value_{n:04d}_{'x' * 60}" for n in range(60))
    assert len(sql) > 4096
    with statements.statement_cursor() as cursor:
        for _ in range(3):  # past the prepare threshold
            cursor.execute(sql + " WHERE '%%' = '%%'", values)
            bound = cursor.fetchone()
    with connection.cursor() as cursor:
        cursor.execute(sql + " WHERE '%%' = '%%'", values)
        assert cursor.fetchone() == bound == tuple(values)
