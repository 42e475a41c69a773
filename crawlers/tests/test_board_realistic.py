"""The `board` spider on saved pages of the Korean board software casting boards run on
(crawlers/fixtures/pages/board/, each page names the real markup it follows): gnuboard5's basic
skin (notices pinned on every page, an attachment, a poster-only post, a deleted post, pages
that repeat posts) and an EUC-KR gnuboard4 board. Each page is fed as an `HtmlResponse` built
from its bytes, so the page's own charset decides how it is read."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta, timezone

import pytest
import scrapy
from scrapy.http import HtmlResponse, Response, XmlResponse

from crawlers.scraper.pipelines import listing_from_item
from crawlers.services import crawl_source_upsert
from crawlers.tests.pages import page

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)
KST = timezone(timedelta(hours=9))
G5 = "https://www.baramkkot.example/bbs/board.php?bo_table=audition"
G5_CONFIG = {
    "list_item": "div.tbl_head01 tbody tr",
    "skip_item": "tr.bo_notice",
    "link": "td.td_subject a:not(.bo_cate_link)::attr(href)",
    "external_id_pattern": r"wr_id=(\d+)",
    "content": "#bo_v_con",
    "detail_fields": {
        "title": "#bo_v_title .bo_v_tit::text",
        "posted": "#bo_v_info .if_date::text",
    },
    "list_fields": {"company": "td.td_name"},
    "next_page": "strong.pg_current + a.pg_page",
}
G5_SITE = {
    G5: "board/g5_list_page1.html",
    G5 + "&page=2": "board/g5_list_page2.html",
    G5 + "&page=3": "board/g5_list_page3.html",
    G5 + "&wr_id=101": "board/g5_view_101.html",
    G5 + "&wr_id=102": "board/g5_view_102.html",
    G5 + "&wr_id=99": "board/g5_view_deleted.html",
    G5 + "&wr_id=95&page=2": "board/g5_view_095.html",
}


def respond(request: scrapy.Request, body: bytes) -> Response:
    """The response a server sends these bytes as, with no charset header: the page's own
    `<meta charset>` / XML declaration decides."""
    kind = XmlResponse if body.lstrip()[:5] == b"<?xml" else HtmlResponse
    return kind(url=request.url, body=body, request=request)


def crawl(spider, site: dict[str, str], made: dict[str, bytes] | None = None, respond=respond):
    """Follows the spider's requests over `site` ({absolute URL: saved page}); returns the
    items and every URL the spider asked for (an unknown URL gets nothing, as a 404 would)."""

    async def starts():
        return [request async for request in spider.start()]

    queue, asked, items = asyncio.run(starts()), [], []
    while queue:
        request = queue.pop(0)
        if request.url in asked:
            continue
        asked.append(request.url)
        name = site.get(request.url)
        if name is None:
            continue
        body = made[name] if made and name in made else page(name)
        for result in request.callback(respond(request, body), **request.cb_kwargs) or []:
            (queue if isinstance(result, scrapy.Request) else items).append(result)
    return items, asked


def make_spider(spider_for, start: str, config: dict, max_pages: int = 3, kind: str = "board"):
    source, _ = crawl_source_upsert(
        slug=f"realistic-{kind}", name="Realistic board", kind=kind, start_urls=[start],
        config=config, download_delay=0, max_pages=max_pages,
    )  # fmt: skip
    return spider_for(source)


def listings(items):
    return {i["external_id"]: listing_from_item(i, source_slug="s", today=TODAY) for i in items}


def test_gnuboard5_pinned_notice_skipped_pages_followed_and_repeats_not_duplicated(spider_for):
    spider = make_spider(spider_for, G5, G5_CONFIG)

    items, asked = crawl(spider, G5_SITE)

    # the notice pinned on every page is never fetched; post 99, listed on pages 1 and 2 (as
    # `&page=2`), is fetched once; page 3 brings nothing new, so page 4 is never asked for
    assert not any("wr_id=3" in url for url in asked)
    assert sum("wr_id=99" in url for url in asked) == 1
    assert G5 + "&page=4" not in asked
    # 101 and 102 from page 1, 95 from page 2; 99 was deleted before the detail was read
    assert sorted(i["external_id"] for i in items) == ["101", "102", "95"]
    assert spider.errors == [
        {"url": G5 + "&wr_id=99", "reason": "no post content on the page", "kind": "parse"}
    ]


def test_gnuboard5_labelled_post_with_attachment_reads_only_the_post(spider_for):
    spider = make_spider(spider_for, G5, G5_CONFIG)
    items, _ = crawl(spider, G5_SITE)
    item = next(i for i in items if i["external_id"] == "101")
    play = listings([item])["101"]

    # the absolute link of the list, the title of the post, the list's author column
    assert play.url == G5 + "&wr_id=101"
    assert play.title == "2027 정기공연 <겨울 정원> 배우 오디션 (남녀 배우 4명)"
    assert item["company"] == "극단바람꽃"
    # ■-bulleted labels
    assert (item["work_title"], item["director"]) == ("겨울 정원", "도하람")
    assert item["pay"] == "회당 8만원"
    assert play.deadline == date(2026, 12, 4)
    assert (play.shoot_start, play.shoot_end) == (date(2027, 1, 15), date(2027, 1, 31))
    assert (play.apply_method, play.apply_target) == ("email", "audition@baramkkot.example")
    # the body is the post alone: no menu, buttons, attachment list, comments or scripts
    body = item["description"]
    assert body.startswith("안녕하세요. 극단 바람꽃입니다.")
    assert body.endswith("많은 지원 바랍니다.")
    for outside in ("로그인", "스크랩", "오디션지원서.hwp", "다운로드", "관객1", "viewimageresize",
                    "목록", "excute_good"):  # fmt: skip
        assert outside not in body


def test_gnuboard5_post_date_is_read_raw(spider_for):
    spider = make_spider(spider_for, G5, G5_CONFIG)
    items, _ = crawl(spider, G5_SITE)
    by_id = {i["external_id"]: i for i in items}

    assert by_id["101"]["posted"] == "26-11-18 14:33"  # G5's `y-m-d H:i`
    assert by_id["95"]["posted"] == "26-11-02 21:47"


def test_gnuboard5_post_date_is_a_seoul_time(spider_for):
    spider = make_spider(spider_for, G5, G5_CONFIG)
    items, _ = crawl(spider, G5_SITE)
    post = listings(items)["101"]

    assert post.posted_at == datetime(2026, 11, 18, 14, 33)


def test_gnuboard5_poster_only_post_is_a_listing_without_text(spider_for):
    spider = make_spider(spider_for, G5, G5_CONFIG)
    items, _ = crawl(spider, G5_SITE)
    poster = next(i for i in items if i["external_id"] == "102")

    # a relative `./board.php?...` link made absolute against the list page
    assert poster["url"] == G5 + "&wr_id=102"
    assert poster["title"] == "어린이 뮤지컬 <달토끼> 출연 아동 배우 모집 (포스터 참고)"
    assert "description" not in poster  # an image alone: no text, and no crash


def test_page_limit_bounds_the_gnuboard5_pages(spider_for):
    spider = make_spider(spider_for, G5, G5_CONFIG, max_pages=1)

    items, asked = crawl(spider, G5_SITE)

    assert G5 + "&page=2" not in asked
    assert sorted(i["external_id"] for i in items) == ["101", "102"]


def test_next_page_given_as_an_element_follows_its_href(spider_for):
    # `strong.pg_current + a.pg_page` without ::attr(href): the link's href, not its HTML
    spider = make_spider(spider_for, G5, G5_CONFIG, max_pages=2)

    _, asked = crawl(spider, G5_SITE)

    assert G5 + "&page=2" in asked


def test_a_broken_page_among_good_ones_is_recorded_and_the_crawl_goes_on(spider_for):
    spider = make_spider(spider_for, G5, G5_CONFIG)
    site = dict(G5_SITE)
    # post 101 answers an image (the list links a poster); post 102 a truncated page
    site[G5 + "&wr_id=101"] = "broken/poster.jpg"
    site[G5 + "&wr_id=102"] = "broken/truncated.html"
    made = {
        "broken/poster.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00",
        "broken/truncated.html": page("board/g5_view_102.html")[:900],
    }

    def respond_binary(request, body):
        if body.startswith(b"\xff\xd8"):
            return Response(url=request.url, body=body, request=request)
        return respond(request, body)

    items, _ = crawl(spider, site, made, respond=respond_binary)

    ids = sorted(i["external_id"] for i in items)
    assert "95" in ids and "101" not in ids
    reasons = {(e["url"], e["reason"]) for e in spider.errors}
    assert (G5 + "&wr_id=101", "not a text page") in reasons
    assert spider.error_count == len(spider.errors)


def test_gnuboard4_euc_kr_board_with_icon_notice_and_category_links(spider_for):
    start = "http://www.ddomb.example/bbs/board.php?bo_table=actor"
    config = {
        "list_item": "tr",
        "skip_item": "img[src*='icon_notice']",
        "link": "td[align=left] > a[href*='wr_id']:not([href*='#'])::attr(href)",
        "external_id_pattern": r"wr_id=(\d+)",
        "content": "#writeContents",
        "detail_fields": {"title": "#writeSubject::text"},
    }
    spider = make_spider(spider_for, start, config, max_pages=1)
    site = {
        start: "board/g4_list_euckr.html",
        "http://www.ddomb.example/bbs/board.php?bo_table=actor&wr_id=501":
            "board/g4_view_euckr_501.html",
    }  # fmt: skip

    items, asked = crawl(spider, site)

    # the notice (an icon only) and the category and comment links are not posts
    assert not any("wr_id=480" in url for url in asked)
    assert not any("sca=" in url for url in asked)
    (item,) = items
    drama = listing_from_item(item, source_slug="s", today=TODAY)
    # EUC-KR declared, CP949 used (똠, 햏): read without mojibake
    assert drama.title == "웹드라마 <햏자의 하루> 20대 남자 주연 모집"
    assert drama.url == "http://www.ddomb.example/bbs/board.php?bo_table=actor&wr_id=501"
    assert (drama.external_id, drama.category) == ("501", "web_drama")
    assert (drama.pay_amount_min, drama.pay_unit) == (200_000, "per_session")
    assert drama.deadline == date(2026, 11, 30)
    assert [(r.gender, r.age_min, r.age_max) for r in drama.roles] == [("male", 20, 29)]
    assert item["phone"] == "010-0000-1234 (똠방캐스팅 담당자)"
    assert "description" not in item  # every line of the post was a label
