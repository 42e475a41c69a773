"""The trust flags of #18 on saved board pages (crawlers/fixtures/pages/board/g5_*_trust*.html)
crawled by the `board` spider, normalised and ingested: the scam call is flagged and
quarantined on ingest, its honest look-alike is neither. The phrase tables are in
auditions/tests/test_trust_flags.py."""

from datetime import date

import pytest

from auditions import services
from auditions.models import Audition
from auditions.tests import factories
from crawlers.scraper.pipelines import listing_from_item
from crawlers.tests.test_board_realistic import crawl, make_spider

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)

# --- From saved board pages, crawled by the board spider ----------------------------------------

BOARD = "https://www.freeboard.example/bbs/board.php?bo_table=audition"
BOARD_CONFIG = {
    "list_item": "div.tbl_head01 tbody tr",
    "skip_item": "tr.bo_notice",
    "link": "td.td_subject a::attr(href)",
    "external_id_pattern": r"wr_id=(\d+)",
    "content": "#bo_v_con",
    "detail_fields": {
        "title": "#bo_v_title .bo_v_tit::text",
        "posted": "#bo_v_info .if_date::text",
    },
    "list_fields": {"company": "td.td_name"},
}
BOARD_SITE = {
    BOARD: "board/g5_list_trust.html",
    BOARD + "&wr_id=201": "board/g5_view_trust_201.html",
    BOARD + "&wr_id=202": "board/g5_view_trust_202.html",
}


def test_saved_pages_crawled_flag_the_scam_and_not_its_look_alike(spider_for, api_client):
    api_client.force_authenticate(factories.member())
    services.source_upsert(slug="trust-board", name="Free board")
    spider = make_spider(spider_for, BOARD, BOARD_CONFIG, kind="board")
    items, _ = crawl(spider, BOARD_SITE)
    assert sorted(item["external_id"] for item in items) == ["201", "202"]
    listings = [listing_from_item(i, source_slug="trust-board", today=TODAY) for i in items]
    results = services.audition_ingest_listings(listings=listings, seen_at=None)
    by_id = {
        listing.external_id: Audition.objects.get(pk=result.audition_id)
        for listing, result in zip(listings, results, strict=True)
    }

    scam, honest = by_id["201"], by_id["202"]
    assert {
        "fee_requested",
        "id_documents_requested",
        "guarantee_promised",
        "impersonation_risk",
    } <= {f["code"] for f in scam.trust_flags}
    assert [f["code"] for f in honest.trust_flags] == []
    # the scam is quarantined on ingest: not in the list, a 404 to members
    assert scam.status == Audition.Status.QUARANTINED
    listed = [row["id"] for row in api_client.get("/api/v1/auditions").json()["results"]]
    assert str(honest.id) in listed and str(scam.id) not in listed
    assert api_client.get(f"/api/v1/auditions/{scam.id}").status_code == 404
