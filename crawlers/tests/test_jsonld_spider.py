"""The `jsonld` spider on saved pages of the schema.org `JobPosting` shapes real sites print
(crawlers/fixtures/pages/jsonld/, each page names the real shape it follows), each fed as an
`HtmlResponse`, then all of them through the real pipeline into the catalogue."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from scrapy.http import HtmlResponse

from auditions.models import Audition
from crawlers.scraper.pipelines import listing_from_item
from crawlers.scraper.spiders.jsonld import salary_text
from crawlers.services import crawl_source_upsert
from crawlers.tests.pages import page

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)
KST = timezone(timedelta(hours=9))
PAGES = ("casting_cafe_extra", "graph_two_postings", "broken_and_hourly", "wordpress_array")


@pytest.fixture
def spider(spider_for):
    source, _ = crawl_source_upsert(
        slug="jsonld-casting", name="JSON-LD casting pages", kind="jsonld",
        start_urls=["https://www.example.test/casting/"], config={}, download_delay=0,
    )  # fmt: skip
    return spider_for(source)


def _response(name: str, url: str | None = None) -> HtmlResponse:
    return HtmlResponse(
        url=url or f"https://www.example.test/casting/{name}",
        body=page(f"jsonld/{name}.html"),
        encoding="utf-8",
    )


def _listings(spider, name: str):
    items = list(spider.parse_detail(_response(name)))
    return [listing_from_item(i, source_slug="s", today=TODAY) for i in items]


def test_posting_among_website_organization_breadcrumbs_with_a_daily_krw_salary(spider):
    # given: a Google-guide-shaped posting whose description also labels 출연료 and 장소
    # (the crash: make_item() got multiple values for keyword argument 'pay')
    listings = _listings(spider, "casting_cafe_extra")

    # then: the one JobPosting, not the WebSite / Organization / BreadcrumbList beside it
    assert len(listings) == 1
    cafe = listings[0]
    assert (cafe.external_id, cafe.url) == ("cb-58211", "https://www.example.test/casting/58211")
    assert cafe.company == "스튜디오 오늘"  # hiringOrganization as an Organization
    assert (cafe.region, cafe.location) == ("seoul", "연남로 12, 마포구, 서울특별시, KR")
    assert (cafe.pay_type, cafe.pay_amount_min, cafe.pay_amount_max, cafe.pay_unit) == (
        "paid", 150_000, 150_000, "day"
    )
    assert (cafe.pay_currency, cafe.pay_raw) == ("KRW", "KRW 150000 per day")
    # validThrough with a time and an offset; datePosted a bare date
    assert (cafe.deadline, cafe.deadline_raw) == (date(2026, 12, 5), "2026-12-05T23:59:59+09:00")
    assert cafe.posted_at == datetime(2026, 11, 18)
    # the description's labels still fill what the structured data leaves out
    assert [(r.name, r.gender, r.age_min, r.age_max) for r in cafe.roles] == [
        ("카페 손님", "female", 20, 29)
    ]
    assert (cafe.apply_method, cafe.apply_target) == ("email", "casting@studio-today.example.kr")


def test_graph_with_two_postings_type_list_place_array_and_id_references(spider):
    listings = {x.external_id: x for x in _listings(spider, "graph_two_postings")}

    # both postings of the @graph, none of its WebSite / Organization / BreadcrumbList
    assert sorted(listings) == ["7301", "7305"]
    musical = listings["7301"]  # "@type": ["JobPosting"]
    assert musical.title == "뮤지컬 <별의 노래> 앙상블 배우 모집 (남녀)"
    assert musical.category == "musical"
    assert musical.company == "극단 푸른별"  # hiringOrganization as text
    # jobLocation as an array: the first Place's province is the region, every place is kept
    assert musical.region == "gyeonggi"
    assert musical.location == (
        "고양아람누리, 중앙로 1286, 고양시 일산동구, 경기도, KR"
        " / 서울특별시 종로구 대학로 12 (연습실)"
    )
    assert (musical.pay_amount_min, musical.pay_amount_max, musical.pay_unit) == (
        2_000_000, 2_500_000, "month"
    )
    assert musical.pay_raw == "KRW 2000000 - 2500000 per month"
    assert musical.deadline == date(2026, 12, 10)  # validThrough without a time
    assert musical.posted_at == datetime(2026, 11, 16, 14, 20, tzinfo=KST)

    ad = listings["7305"]
    assert ad.company == "하늘뷰티"  # {"@id": ...} resolved to the Organization in the @graph
    assert (ad.region, ad.location) == ("seoul", "Seongdong-gu, Seoul, KR")  # English names
    # MonetaryAmount whose value is a bare number: the amount, no unit stated, so none
    assert (ad.pay_type, ad.pay_amount_min, ad.pay_unit, ad.pay_raw) == (
        "paid", 500_000, "", "KRW 500000"
    )
    assert ad.deadline == date(2026, 12, 1)
    assert ad.category == "commercial"


def test_broken_block_is_counted_and_the_good_one_beside_it_is_read(spider):
    items = list(spider.parse_detail(_response("broken_and_hourly")))

    assert len(items) == 1
    voice = listing_from_item(items[0], source_slug="s", today=TODAY)
    assert (voice.external_id, voice.company, voice.category) == (
        "vh-90412", "Lumen Games", "voice"
    )
    assert voice.region == "online"  # jobLocationType TELECOMMUTE
    # HOUR has no contract unit: the amount is kept as stated, the unit left null, the raw
    # text says per hour; the small dollar amount survives (the parser drops bare `25`)
    assert (voice.pay_type, voice.pay_amount_min, voice.pay_unit, voice.pay_currency) == (
        "paid", 25, "", "USD"
    )
    assert voice.pay_raw == "USD $25 per hour"
    assert voice.deadline == date(2026, 12, 4)  # "2026-12-04T23:59:59Z"
    assert voice.posted_at == datetime(2026, 11, 17, 8, tzinfo=UTC)
    # the broken block: counted and logged; not a page error, since the page gave a posting
    assert spider.crawler.stats.get_value("ohm/jsonld/broken_blocks") == 1
    assert (spider.error_count, spider.errors) == (0, [])


def test_a_page_whose_only_block_is_broken_is_a_parse_error_not_a_crash(spider):
    body = page("jsonld/broken_and_hourly.html").split(b"</script>")[0] + b"</script></html>"
    url = "https://www.example.test/casting/only-broken"

    items = list(spider.parse_detail(HtmlResponse(url=url, body=body, encoding="utf-8")))

    assert items == []
    assert spider.error_count == 1
    assert spider.errors[0]["url"] == url and spider.errors[0]["kind"] == "parse"
    assert spider.errors[0]["reason"].startswith("JSON-LD block 1 is not valid JSON")


def test_wordpress_plugin_shapes_in_a_top_level_array(spider):
    listings = {x.url.rsplit("/", 1)[1]: x for x in _listings(spider, "wordpress_array")}

    assert sorted(listings) == ["2027-season", "kids-musical"]
    season = listings["2027-season"]
    # every salary field a string, "value": "" beside min/max; YEAR has no contract unit
    assert (season.pay_amount_min, season.pay_amount_max, season.pay_unit) == (
        24_000_000, 30_000_000, ""
    )
    assert season.pay_raw == "KRW 24000000 - 30000000 per year"
    assert (season.company, season.region, season.category) == ("극단 바다소리", "busan", "theater")
    assert season.posted_at == datetime(2026, 11, 17, 9, 0)  # "Y-m-d H:i:s", no offset
    assert season.deadline == date(2026, 12, 15)
    kids = listings["kids-musical"]
    # minValue only; an unpadded validThrough "2026-12-5T00:00"
    assert (kids.pay_amount_min, kids.pay_amount_max, kids.pay_unit) == (
        1_800_000, 1_800_000, "month"
    )
    assert (kids.deadline, kids.deadline_raw) == (date(2026, 12, 5), "2026-12-5T00:00")
    assert [(r.name, r.gender) for r in kids.roles] == [("파도", "female"), ("갈매기", "male")]


@pytest.mark.parametrize(
    ("salary", "text"),
    [
        pytest.param({"currency": "KRW", "value": {"minValue": 100000.0, "maxValue": "150,000",
                      "unitText": "day"}}, "KRW 100000 - 150000 per day",
                     id="float-and-text-range"),
        pytest.param({"currency": "USD", "value": {"value": 18.5, "unitText": "HOUR"}},
                     "USD $18.5 per hour", id="hour-unit-null"),
        pytest.param({"currency": "KRW", "value": {"value": 500000, "unitText": "WEEK"}},
                     "KRW 500000 per week", id="week-unit-null"),
        pytest.param({"currency": "KRW", "minValue": 2000000, "unitText": "MONTH"},
                     "KRW 2000000 per month", id="min-on-the-monetary-amount"),
        pytest.param({"currency": "KRW", "value": {"value": "", "unitText": "MONTH"}}, "",
                     id="empty-plugin-fields-state-no-salary"),
    ],
)  # fmt: skip
def test_salary_text_reads_monetary_amounts(salary, text):
    assert salary_text({"baseSalary": salary}) == text


def test_every_saved_posting_goes_through_the_pipeline_into_the_catalogue(spider, ingest):
    items = [i for name in PAGES for i in spider.parse_detail(_response(name))]

    ingest(spider, items)

    stats = spider.crawler.stats
    assert (stats.get_value("ohm/items_seen"), stats.get_value("ohm/items_created")) == (6, 6)
    assert stats.get_value("ohm/items_rejected") is None
    assert Audition.objects.count() == 6
    cafe = Audition.objects.get(listings__external_id="cb-58211")
    assert (cafe.region, cafe.pay_amount_min, cafe.pay_unit, cafe.deadline) == (
        "seoul", 150_000, "day", date(2026, 12, 5)
    )
    voice = Audition.objects.get(listings__external_id="vh-90412")
    assert (voice.pay_amount_min, voice.pay_unit, voice.pay_currency) == (25, "", "USD")
    assert set(Audition.objects.values_list("region", flat=True)) == {
        "seoul", "gyeonggi", "online", "busan"
    }

    # the same pages again: nothing new
    again = [i for name in PAGES for i in spider.parse_detail(_response(name))]
    ingest(spider, again)
    assert Audition.objects.count() == 6
