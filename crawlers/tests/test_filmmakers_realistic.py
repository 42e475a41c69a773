"""The `filmmakers` spider on saved pages of filmmakers.co.kr's real shapes
(crawlers/fixtures/pages/filmmakers/real_*.html, each names the real page it follows): the
card list with a pinned notice, XE's print view (`print_page.html`: title, author, bare post
time and the labelled header on one line, then the post), an old post's header with empty
values, the detail page, and a deleted post."""

from datetime import date, datetime

import pytest

from crawlers.scraper.pipelines import listing_from_item
from crawlers.services import crawl_source_upsert
from crawlers.tests.test_board_realistic import crawl

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)
TITLE = "[단편영화] <차마 하지 못한 말> 주연 여고생, 엄마, 할아버지 역 배우 모집"
DETAIL_TIME = "2026년 11월 19일 14시 05분 31초"
BASE = "https://www.filmmakers.co.kr"
PRINT = BASE + "/actorCasting/dispDocumentPrint?document_srl="
SITE = {
    BASE + "/actorCasting": "filmmakers/real_cards_page1.html",
    PRINT + "21605013": "filmmakers/real_print_21605013.html",
    PRINT + "21604877": "filmmakers/real_print_21604877.html",
}


@pytest.fixture
def spider(spider_for):
    source, _ = crawl_source_upsert(
        slug="filmmakers-real", name="필름메이커스", kind="filmmakers",
        start_urls=[BASE + "/actorCasting"], config={}, download_delay=0, max_pages=1,
    )  # fmt: skip
    return spider_for(source)


def test_card_list_skips_the_pinned_notice_and_reads_both_onclick_quotings(spider):
    items, asked = crawl(spider, SITE)

    assert not any("1200001" in url for url in asked)  # the notice card
    assert sorted(i["external_id"] for i in items) == ["21604877", "21605013"]
    # the public URL, absolute, not the print view that was fetched
    assert {i["url"] for i in items} == {
        BASE + "/actorCasting/21605013",
        BASE + "/actorCasting/21604877",
    }


def test_print_view_header_time_and_post(spider):
    items, _ = crawl(spider, SITE)
    item = next(i for i in items if i["external_id"] == "21605013")
    film = listing_from_item(item, source_slug="s", today=TODAY)

    assert film.title == TITLE
    # the bare post time after the author's name, with its clock (the list has the day only)
    assert item["posted"] == "2026.11.19 14:05:31"
    assert film.posted_at == datetime(2026, 11, 19, 14, 5, 31)
    assert (item["company"], item["work_title"], item["director"]) == (
        "여주대학교 방송영상과",
        "차마 하지 못한 말 (가제)",
        "윤다솜",
    )
    assert (film.category, film.pay_amount_min, film.pay_unit) == ("film", 150_000, "per_session")
    assert (film.shoot_start, film.shoot_end) == (date(2026, 12, 18), date(2026, 12, 22))
    assert film.deadline == date(2026, 11, 30)
    assert (film.apply_method, film.apply_target) == ("email", "chama.film@example.kr")
    assert [(r.name, r.gender, r.age_min) for r in film.roles] == [
        ("한선화", "female", 18),
        ("박예진", "female", 45),
        ("박덕수", "male", 74),
    ]
    # the text is the post: not the title, the author's name, the time or the print script
    body = item["description"]
    assert body.startswith("안녕하세요. 여주대학교 단편영화 졸업작품팀입니다.")
    for outside in ("여주대영화팀", "2026.11.19", "window.print", "차마 하지 못한 말>"):
        assert outside not in body


def test_old_print_view_with_empty_values_and_text_on_the_header_line(spider):
    items, _ = crawl(spider, SITE)
    item = next(i for i in items if i["external_id"] == "21604877")

    # the deadline ends at its date: the post's first sentence is not part of it
    assert item["deadline"] == "2014-12-31"
    assert item["description"].startswith("우선, 배우를 부하직원쯤으로")
    assert item["posted"] == "2014.07.21 20:24:57"
    assert item["gender"] == "남자, 여자"
    assert "headcount" not in item  # `모집인원:` with nothing after it
    old = listing_from_item(item, source_slug="s", today=TODAY)
    assert old.deadline == date(2014, 12, 31)


def test_detail_page_reads_its_extra_vars_table_and_post(spider):
    from scrapy.http import HtmlResponse

    from crawlers.tests.pages import page

    response = HtmlResponse(
        url=BASE + "/actorCasting/21605013", body=page("filmmakers/real_detail_21605013.html")
    )
    (item,) = spider.parse_detail(
        response, url=response.url, external_id="21605013", list_fields={}
    )

    assert item["title"] == TITLE
    assert (item["company"], item["pay"], item["deadline"]) == (
        "여주대학교 방송영상과",
        "회차당 15만원",
        "2026-11-30",
    )
    assert item["email"] == "chama.film@example.kr"
    assert item["posted"] == DETAIL_TIME
    body = item["description"]
    assert body.startswith("안녕하세요.") and "한선화 (18세)" in body
    for outside in ("로그인", "공유", "연락 드렸습니다", "보증하지", "12,408"):
        assert outside not in body  # menus, buttons, comments, the disclaimer


def test_detail_page_post_time_keeps_its_clock(spider):
    listing = listing_from_item(
        {"title": "t", "url": BASE + "/actorCasting/1", "posted": DETAIL_TIME},
        source_slug="s", today=TODAY,
    )  # fmt: skip
    assert listing.posted_at == datetime(2026, 11, 19, 14, 5, 31)


def test_deleted_post_is_a_recorded_error_and_the_others_are_read(spider):
    site = dict(SITE)
    site[PRINT + "21604877"] = "filmmakers/real_print_deleted.html"

    items, _ = crawl(spider, site)

    assert [i["external_id"] for i in items] == ["21605013"]
    assert spider.errors == [
        {"url": PRINT + "21604877", "reason": "no post content on the page", "kind": "parse"}
    ]
