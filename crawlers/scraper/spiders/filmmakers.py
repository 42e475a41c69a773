"""filmmakers.co.kr's casting boards (XE/Rhymix, server-rendered): `/actorCasting` and its
siblings `/performerCasting`, `/modelRecruit`, `/actorsAudition`.

The list is cards (`div[onclick*='location.href']`, title in `h2 a`); older skins used a table,
so both are selected. Each post is read from its print view
(`/{board}/dispDocumentPrint?document_srl=N`), whose labelled header (제작 / 작품 제목 / 감독 /
극중배역 / 촬영기간 / 출연료 / 모집인원 / 모집성별 / 담당자 / 전화번호 / 이메일 / 모집 마감일)
sits on one line before the free text: labels outlive the skin's CSS. The listing keeps the
public URL `/{board}/N`. Pages are `/{board}/page/{n}`.
"""

from crawlers.scraper.spiders.board import BoardSpider


class FilmmakersSpider(BoardSpider):
    name = "filmmakers"
    default_config = {
        "list_item": "div[onclick*='location.href'], table.bd_lst tbody tr:not(.notice)",
        "link": "h2 a::attr(href), td.title a::attr(href)",
        "link_pattern": r"location\.href='([^']+)'",
        "list_fields": {"posted": ".date::text, td.time::text"},
        "external_id_pattern": r"/[A-Za-z]+/(\d+)(?:[/?#]|$)",
        "fetch_url": "/{board}/dispDocumentPrint?document_srl={id}",
        "content": "div.print_body, div.xe_content, article, body",
        "detail_fields": {"title": "h1::text", "posted": ".print_header .date::text"},
        "page_url": "/{board}/page/{page}",
    }
