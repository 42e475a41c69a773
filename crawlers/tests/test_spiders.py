"""The real spiders over the saved pages, offline (no reactor), and through the real pipeline
into the catalogue (the database `make test` has: SQLite)."""

from datetime import date

import pytest
from parsel import Selector

from auditions.models import Audition, SourceListing
from crawlers.scraper.labels import LabelExtractor
from crawlers.scraper.pipelines import listing_from_item
from crawlers.tests.pages import SITES, crawl_offline

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


def _listings(items, slug="s"):
    return {i["external_id"]: listing_from_item(i, source_slug=slug, today=TODAY) for i in items}


def test_filmmakers_reads_cards_table_skin_and_labelled_print_view(make_source, spider_for):
    spider = spider_for(make_source("filmmakers"), max_pages=2)

    items = crawl_offline(spider, SITES["filmmakers"])

    # 3 cards on page 1 (one links only through onclick), 2 rows of the old table skin on
    # page 2; the notices on both are not listings.
    listings = _listings(items)
    assert sorted(listings) == ["1283361", "1283377", "1283390", "1283399", "1283405"]
    short = listings["1283405"]
    assert short.url.endswith("/actorCasting/1283405")  # the public URL, not the print view
    assert short.title == "[단편영화] <여름의 끝> 20대 여자 주연 배우 모집"
    assert (short.category, short.company, short.director) == ("film", "여름필름", "김하늘")
    assert (short.pay_type, short.pay_amount_min, short.pay_unit) == (
        "paid", 300_000, "per_session"
    )
    assert (short.deadline, short.deadline_raw) == (date(2026, 12, 1), "2026-12-01")
    assert (short.shoot_start, short.shoot_end) == (date(2026, 12, 12), date(2026, 12, 14))
    assert (short.apply_method, short.apply_target) == ("email", "summerfilm@example.kr")
    assert [(r.name, r.gender, r.age_min, r.age_max) for r in short.roles] == [
        ("수진", "female", 24, 26),
        ("수진 엄마", "female", 50, 59),
    ]
    assert short.region == "seoul"
    assert short.raw["pay"] == "회차당 30만원" and short.raw["deadline"] == "2026-12-01"
    rolling = listings["1283399"]
    assert (rolling.category, rolling.deadline, rolling.deadline_raw) == (
        "web_drama", None, "상시모집"
    )
    assert rolling.pay_type == "negotiable"
    ad = listings["1283390"]
    assert (ad.category, ad.deadline, ad.pay_unit) == ("commercial", date(2026, 12, 5), "day")
    assert [(r.gender, r.age_min, r.age_max, r.headcount) for r in ad.roles] == [
        ("any", 20, 39, 2)
    ]
    play = listings["1283377"]
    assert (play.category, play.pay_type, play.deadline) == ("theater", "unpaid", date(2026, 12, 5))
    mv = listings["1283361"]
    assert (mv.category, mv.apply_method, mv.region) == ("music_video", "phone", "busan")


def test_page_limit_bounds_the_listing_pages(make_source, spider_for):
    spider = spider_for(make_source("filmmakers"), max_pages=1)

    items = crawl_offline(spider, SITES["filmmakers"])

    assert len(items) == 3


def test_backstage_jsonld_job_postings(make_source, spider_for):
    spider = spider_for(make_source("backstage"))

    listings = _listings(crawl_offline(spider, SITES["backstage"]))

    glow = listings["2061234"]
    assert (glow.category, glow.company, glow.region) == (
        "commercial", "Brightside Productions", "overseas"
    )
    assert (glow.pay_currency, glow.pay_amount_min, glow.pay_amount_max, glow.pay_unit) == (
        "USD", 500, 750, "day"
    )
    assert glow.deadline == date(2026, 12, 4)
    assert [(r.name, r.gender, r.age_min, r.age_max) for r in glow.roles] == [
        ("Maya", "female", 25, 35),
        ("Dan", "male", 30, 40),
    ]
    assert glow.required_media == ["profile", "video"]
    film = listings["2061198"]  # found inside an @graph
    assert (film.category, film.deadline, film.pay_amount_min) == ("film", date(2026, 12, 10), 200)


def test_mandy_board_from_config_alone(make_source, spider_for):
    spider = spider_for(make_source("mandy"))

    listings = _listings(crawl_offline(spider, SITES["mandy"]))

    lead = listings["a1b2c3"]
    assert (lead.title, lead.company, lead.production_type) == (
        'Lead role in short film "The Quiet Hour"', "Northlight Pictures", "Short film"
    )
    assert (lead.category, lead.pay_currency, lead.pay_amount_min, lead.pay_unit) == (
        "film", "GBP", 150, "day"
    )
    assert (lead.deadline, lead.shoot_start, lead.shoot_end) == (
        date(2026, 12, 1), date(2026, 12, 14), date(2026, 12, 15)
    )
    assert lead.posted_at.date() == date(2026, 11, 18)
    ensemble = listings["d4e5f6"]
    assert (ensemble.category, ensemble.deadline, ensemble.deadline_raw) == (
        "musical", None, "Rolling"
    )


def test_rss_feed_entries_with_labelled_descriptions(make_source, spider_for):
    spider = spider_for(make_source("rss"))

    items = crawl_offline(spider, SITES["rss"])

    listings = [listing_from_item(i, source_slug="s", today=TODAY) for i in items]
    assert [(x.category, x.region, x.deadline) for x in listings] == [
        ("musical", "seoul", date(2026, 12, 3)),
        ("voice", "online", date(2026, 12, 7)),
    ]
    assert listings[0].apply_target == "star@example.kr"
    assert listings[0].posted_at.isoformat() == "2026-11-18T09:30:00+09:00"


def test_crawl_through_the_pipeline_creates_then_leaves_unchanged(
    make_source, spider_for, ingest
):
    source = make_source("filmmakers")

    # when: the first crawl
    first = spider_for(source, max_pages=2)
    ingest(first, crawl_offline(first, SITES["filmmakers"]))

    # then: five auditions, each with its listing on this source
    stats = first.crawler.stats
    assert stats.get_value("ohm/items_seen") == 5
    assert stats.get_value("ohm/items_created") == 5
    assert Audition.objects.count() == 5
    audition = Audition.objects.get(listings__external_id="1283405")
    assert (audition.category, audition.pay_amount_min, audition.deadline) == (
        "film", 300_000, date(2026, 12, 1)
    )
    assert audition.roles.count() == 2
    listing = SourceListing.objects.get(external_id="1283399")
    assert listing.source.slug == source.slug
    assert "utm_source" not in listing.canonical_url

    # when: the same pages again
    second = spider_for(source, max_pages=2)
    ingest(second, crawl_offline(second, SITES["filmmakers"]))

    # then: nothing created, nothing updated
    assert second.crawler.stats.get_value("ohm/items_unchanged") == 5
    assert second.crawler.stats.get_value("ohm/items_created") is None
    assert Audition.objects.count() == 5


def test_one_bad_item_among_twenty_is_rejected_and_counted(make_source, spider_for, ingest):
    # given: a board of twenty posts, the seventh of which has lost its title
    source = make_source("mandy", config={"content": "article.job"})
    site = {"/jobs/actors": "board20/list.html"}
    pages = {"board20/list.html": _board_list(20)}
    for n in range(1, 21):
        site[f"/jobs/actors/post-{n}"] = f"board20/{n}.html"
        pages[f"board20/{n}.html"] = _board_post(n, title="" if n == 7 else f"Role call {n}")
    spider = spider_for(source)

    # when
    items = crawl_offline(spider, site, pages)
    ingest(spider, items)

    # then: nineteen in the catalogue, one rejected with its reason and URL
    stats = spider.crawler.stats
    counts = (stats.get_value("ohm/items_created"), stats.get_value("ohm/items_rejected"))
    assert counts == (19, 1)
    assert Audition.objects.count() == 19
    post_7 = "https://www.example.test/jobs/actors/post-7"
    assert spider.errors == [
        {"url": post_7, "reason": "The listing has no title.", "kind": "rejected"}
    ]
    assert spider.error_count == 0


def test_malformed_html_yields_what_it_can(make_source, spider_for, ingest):
    source = make_source("filmmakers")
    spider = spider_for(source, max_pages=1)
    broken = (
        b"<html><body><div class='print_header'><h1>\xea\xb9\xa8\xec\xa7\x84 \xea\xb8\x80"
        b"<div class='xe_content'><p>\xec\xb6\x9c\xec\x97\xb0\xeb\xa3\x8c : 10\xeb\xa7\x8c\xec"
        b"\x9b\x90 <p><table><tr><td>"
    )  # truncated mid-page, unclosed tags
    site = dict(SITES["filmmakers"])
    pages = {"broken.html": broken}
    site["/actorCasting/dispDocumentPrint?document_srl=1283390"] = "broken.html"

    items = crawl_offline(spider, site, pages)
    ingest(spider, items)

    assert len(items) == 3
    broken_item = next(i for i in items if i["external_id"] == "1283390")
    assert broken_item["title"] == "깨진 글" and broken_item["pay"] == "10만원"
    assert Audition.objects.count() == 3


def test_label_extractor_reads_one_line_headers_cells_and_spacing_variants():
    labels = LabelExtractor()
    values, free = labels.from_text(
        "제작 : 여름필름 작품 제목 : 바다 감독 : 김 모집마감일: 2026-12-01\n본문 첫 줄\n"
        "출연료: 회차당 30만원"
    )
    assert values == {
        "company": "여름필름", "work_title": "바다", "director": "김",
        "deadline": "2026-12-01", "pay": "회차당 30만원",
    }  # fmt: skip
    assert free == "본문 첫 줄"
    cells = labels.from_cells(
        Selector(text="<table><tr><th>모집 성별</th><td>여자</td></tr></table>"
                      "<dl><dt>Deadline</dt><dd>Dec 1</dd></dl>")
    )  # fmt: skip
    assert cells == {"gender": "여자", "deadline": "Dec 1"}
    # A label word inside prose, without a colon, is not a label.
    assert labels.from_text("감독님과 미팅 후 결정합니다")[0] == {}


# --- helpers ----------------------------------------------------------------------------------


def _board_list(count: int) -> bytes:
    cards = "".join(
        f'<div class="job-card"><a class="job-card__title" href="/jobs/actors/post-{n}">'
        f"Role call {n}</a></div>"
        for n in range(1, count + 1)
    )
    return f"<html><body>{cards}</body></html>".encode()


def _board_post(n: int, *, title: str) -> bytes:
    return (
        f'<html><body><article class="job"><h1 class="job__title">{title}</h1>'
        f'<p class="job__company">Company {n}</p><dl><dt>Pay</dt><dd>£{100 + n} per day</dd>'
        f"<dt>Deadline</dt><dd>Dec {n}, 2026</dd></dl>"
        f'<div class="job__description">Post number {n}.</div></article></body></html>'
    ).encode()
