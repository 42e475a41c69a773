"""The `rss` spider on saved feeds of the shapes Korean boards and blogs publish
(crawlers/fixtures/pages/rss/, each names the real template or feed it follows): a Rhymix
board's RSS 2.0 (escaped HTML, several categories, dc:creator), a Naver blog feed (CDATA,
tracking query on links, a poster-only post) and a Rhymix Atom feed (category numbers with
labels, published/updated); each fed as an `XmlResponse` of its bytes."""

from datetime import date, datetime, timedelta, timezone

import pytest
from scrapy.http import HtmlResponse, XmlResponse

from crawlers.scraper.pipelines import listing_from_item
from crawlers.services import crawl_source_upsert
from crawlers.tests.pages import page

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)
KST = timezone(timedelta(hours=9))


@pytest.fixture
def spider_with(spider_for):
    def make(config=None):
        source, _ = crawl_source_upsert(
            slug="rss-real", name="RSS", kind="rss", start_urls=["https://feed.example/rss"],
            config=config or {}, download_delay=0,
        )  # fmt: skip
        return spider_for(source)

    return make


def _items(spider, name, url="https://feed.example/rss"):
    return list(spider.parse(XmlResponse(url=url, body=page(f"rss/{name}"))))


def _listing(item):
    return listing_from_item(item, source_slug="s", today=TODAY)


def test_rhymix_rss20_escaped_html_categories_and_kst_dates(spider_with):
    play, film = _items(spider_with(), "rhymix_rss20.xml")

    assert play["title"] == "연극 <겨울 정원> 손녀 역 여배우 오디션"
    assert play["url"] == "https://www.stagecall.example/audition/8815"
    assert play["external_id"] == "https://www.stagecall.example/audition/8815"  # the guid
    assert play["company"] == "극단바람꽃"  # dc:creator
    assert play["category"] == "연극인 오디션 게시판 연극 대학로"
    listing = _listing(play)
    assert listing.posted_at == datetime(2026, 11, 19, 9, 41, 7, tzinfo=KST)
    assert (listing.category, listing.deadline, listing.pay_amount_min) == (
        "theater",
        date(2026, 12, 4),
        80_000,
    )
    assert [(r.gender, r.age_min, r.age_max) for r in listing.roles] == [("female", 20, 23)]
    assert play["description"] == "극단 바람꽃 정기공연입니다.\n\n지원 : audition@baramkkot.example"
    # a plain-text summary keeps its <작품명> brackets (they are not tags)
    assert film["description"].startswith("중앙대 영화과 졸업작품입니다.")
    assert _listing(film).posted_at == datetime(2026, 11, 2, 21, 47, tzinfo=KST)


def test_naver_blog_cdata_tracking_links_and_a_poster_only_post(spider_with):
    spider = spider_with({"external_id_pattern": r"blog\.naver\.com/[^/]+/(\d+)"})
    ad, poster = _items(spider, "naver_blog.xml")

    assert ad["title"] == "[모집] 음료 광고 CF 20대 남녀 모델 (일당 30만원)"
    assert ad["external_id"] == "224067710032"  # the post number, not the tracking URL
    assert ad["company"] == "달빛캐스팅"  # RSS 2.0 <author> as text
    assert ad["category"] == "광고모델 모집"
    assert "nhn.blog" not in ad["description"]  # the script inside the CDATA
    listing = _listing(ad)
    assert listing.posted_at == datetime(2026, 11, 19, 18, 20, 45, tzinfo=KST)
    assert (listing.category, listing.pay_amount_min, listing.pay_unit) == ("model", 300_000, "day")
    assert listing.deadline == date(2026, 11, 28)
    # an image alone: a listing with a title and no text, no crash
    assert poster["external_id"] == "224066001871"
    assert "description" not in poster


def test_rhymix_atom_labels_over_category_numbers_and_published_over_updated(spider_with):
    (entry,) = _items(
        spider_with({"external_id_pattern": r"/actorCasting/(\d+)"}), "rhymix_atom.xml"
    )

    assert entry["url"] == "https://www.castboard.example/actorCasting/1283405"  # not #comment
    assert entry["external_id"] == "1283405"
    assert entry["category"] == "단편영화 여름"  # the label, not the category's number 544601
    assert entry["company"] == "여름필름"
    assert entry["posted"] == "2026-11-19T14:33:00+09:00"  # published, not updated
    listing = _listing(entry)
    assert (listing.category, listing.deadline, listing.apply_target) == (
        "film",
        date(2026, 12, 1),
        "summerfilm@example.kr",
    )
    assert entry["description"] == "안녕하세요, 졸업작품 <여름의 끝>입니다."


def test_an_html_page_where_the_feed_was_is_a_recorded_error(spider_with):
    spider = spider_with()
    maintenance = HtmlResponse(
        url="https://feed.example/rss",
        body="<html><body><h1>서비스 점검 중입니다</h1></body></html>".encode(),
    )

    assert list(spider.parse(maintenance)) == []
    assert spider.errors == [
        {"url": "https://feed.example/rss", "reason": "not an RSS or Atom feed", "kind": "parse"}
    ]


def test_a_truncated_feed_yields_the_entries_it_holds(spider_with):
    spider = spider_with()
    body = page("rss/rhymix_rss20.xml")
    cut = body[: body.index(b"<title>[\xea\xb3\xb5")]  # inside the second item

    items = list(spider.parse(XmlResponse(url="https://feed.example/rss", body=cut)))

    # the first entry; what recovery leaves of the cut one is an error, not an empty item
    assert [i["title"] for i in items] == ["연극 <겨울 정원> 손녀 역 여배우 오디션"]
    assert spider.errors == [
        {"url": "https://feed.example/rss", "reason": "an entry without title or link",
         "kind": "parse"}
    ]  # fmt: skip


def test_an_euc_kr_feed_is_read_by_its_declaration(spider_with):
    feed = (
        '<?xml version="1.0" encoding="EUC-KR"?><rss version="2.0"><channel><item>'
        "<title>똠방 광고 모델 모집</title><link>/bbs/board.php?bo_table=ad&amp;wr_id=7</link>"
        "<pubDate>Wed, 18 Nov 2026 09:30:00 +0900</pubDate></item></channel></rss>"
    ).encode("cp949")

    (item,) = list(spider_with().parse(XmlResponse(url="http://old.example/rss.php", body=feed)))

    assert item["title"] == "똠방 광고 모델 모집"
    assert item["url"] == "http://old.example/bbs/board.php?bo_table=ad&wr_id=7"  # made absolute
