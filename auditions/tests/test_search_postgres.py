"""The search is index-backed on PostgreSQL at every query length (run by `make test-services`).

The table is filled in bulk with the same search document the services write, large enough
that a sequential scan would be the planner's pick without the GIN index, then ANALYZEd.
"""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from auditions import search, selectors
from auditions.models import Audition
from auditions.text import normalize_company, normalize_title

pytestmark = [pytest.mark.services, pytest.mark.django_db]

ROWS = 20_000
FILLER = (
    "배우",
    "모집",
    "촬영",
    "남자",
    "여자",
    "오디션",
    "단편영화",
    "웹드라마",
    "연기",
    "프로필",
    "주연",
    "조연",
    "출연료",
    "협의",
    "서울",
    "경험",
    "환영",
    "신인",
    "분량",
)
# Each rare word lands in about 1% of rows: selective enough that an index pays.
RARE = ("뮤지컬", "광고", "요트")
# In a fifth of the descriptions and in no title.
DESCRIPTION_ONLY = "춤"


def _fill() -> None:
    rng = random.Random(5)
    now = timezone.now()
    rows = []
    for number in range(ROWS):
        words = rng.sample(FILLER, 6)
        if number % 100 == 0:
            words.append(RARE[(number // 100) % len(RARE)])
        title = " ".join(words[:3]) + f" {number}"
        description = " ".join(words) * 4
        if number % 5 == 0:
            description += f" {DESCRIPTION_ONLY}"
        rows.append(
            Audition(
                title=title,
                company="필름",
                description=description,
                posted_at=now - timedelta(minutes=number),
                deadline=timezone.localdate() + timedelta(days=number % 60),
                title_norm=normalize_title(title),
                company_norm=normalize_company("필름"),
                search_vector=search.document(title=title, company="필름", description=description),
            )
        )
    Audition.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE auditions_audition")


def _plan(query: str) -> tuple[str, list[Audition]]:
    """The plans of the queries a first search page runs (selectors.audition_page: title matches,
    then the rest, each by -posted_at) and what they find."""
    base = selectors.audition_list(query=query)
    plans, found = [], []
    for in_title in (True, False):
        part = base.filter(title_hit=in_title).order_by("-posted_at", "-id")[:21]
        plans.append(part.explain())
        found += list(part)
    return "\n".join(plans), found


def test_search_plan_uses_the_gin_index_at_every_query_length():
    assert connection.vendor == "postgresql"
    _fill()

    for query in ("요", "광고", "뮤지컬"):  # one, two and three syllables
        plan, found = _plan(query)
        assert "Seq Scan" not in plan, plan
        assert "audition_search_gin" in plan, plan
        assert found and all(query in (a.title + a.description) for a in found)

    # The control: with the GIN index out of the way (rolled back with the test) the planner
    # scans the table, so the plans above show the index at work, not a table too small to
    # matter.
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX audition_search_gin")
    assert "Seq Scan" in _plan("광고")[0]


def test_a_word_in_many_descriptions_and_no_title_reads_its_title_matches_by_index():
    """The title partition asks for the title's marked lexemes (auditions.search), whose
    statistics say how rare title matches are. With a weight label instead, PostgreSQL counted
    the word's 4,000 matches as likely title matches and walked the posted_at index through
    the whole table to find none."""
    _fill()
    titles = selectors.audition_list(query=DESCRIPTION_ONLY, title_only=True)
    page = titles.order_by("-posted_at", "-id")[:21]

    plan = page.explain()
    assert "audition_search_gin" in plan, plan
    assert "audition_status_posted" not in plan, plan
    assert list(page) == []
    # and the word is found, in the body-only partition
    _, found = _plan(DESCRIPTION_ONLY)
    assert len(found) == 21 and all(DESCRIPTION_ONLY in a.description for a in found)
