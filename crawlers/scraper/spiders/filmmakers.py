"""filmmakers.co.kr's casting boards (XE/Rhymix, server-rendered): `/actorCasting` and its
siblings `/performerCasting`, `/modelRecruit`, `/actorsAudition`.

The list is cards (`div[onclick*='location.href']`, title in `h2 a`); older skins used a table,
so both are selected; notices pinned at the top are skipped. Each post is read from its print
view (`/{board}/dispDocumentPrint?document_srl=N`), XE's `document/tpl/print_page.html`:
`div.printContent` holds the title (`h1`), the author's link, the bare post time
(`2014.07.21 20:24:57`), the labelled header (제작 / 작품 제목 / 감독 / 극중배역 /
촬영기간 / 출연료 / 모집인원 / 모집성별 / 담당자 / 전화번호 / 이메일 / 모집 마감일) on one line,
then the post's HTML: labels outlive the skin's CSS. The detail page (`/{board}/N`, XE's
read skin: extra vars in `table.et_vars` beside the text in `div.rd_body`) reads the same way.
The listing keeps the public URL `/{board}/N`. Pages are `/{board}/page/{n}`.
"""

from __future__ import annotations

import re

from parsel import Selector

from crawlers.scraper.spiders.board import BoardSpider

# The print view's post time, XE's getRegdate(): `2014.07.21 20:24:57`.
_PRINT_TIME = re.compile(r"(?<![\d.])\d{4}\.\d{2}\.\d{2}\s+\d{2}:\d{2}(?::\d{2})?")
# The header's last label is the deadline, a date field (`Y-m-d`); the post's own text may
# follow on the same rendered line when it does not open with a block element.
_HEADER_END = re.compile(r"(모집\s*마감일\s*:\s*(?:\d{4}-\d{2}-\d{2})?)")


class FilmmakersSpider(BoardSpider):
    name = "filmmakers"
    default_config = {
        "list_item": "div[onclick*='location.href'], table.bd_lst tbody tr",
        "skip_item": ".notice, .notice_card, tr.notice",
        "link": "h2 a::attr(href), td.title a::attr(href)",
        "link_pattern": r"location\.href\s*=\s*['\"]([^'\"]+)['\"]",
        "list_fields": {"posted": ".date::text, td.time::text"},
        "external_id_pattern": r"/[A-Za-z]+/(\d+)(?:[/?#]|$)",
        "fetch_url": "/{board}/dispDocumentPrint?document_srl={id}",
        "content": "div.printContent, div.print_body, div.rd_body, div.xe_content, article",
        "detail_fields": {
            "title": "h1::text, h1 a::text",
            "posted": ".print_header .date::text, .rd_hd .date::text",
        },
        "page_url": "/{board}/page/{page}",
    }

    def read_content(self, content: Selector) -> tuple[dict[str, str], str]:
        if "printContent" not in (content.attrib.get("class") or ""):
            # The detail page: its extra vars table is read as cells, and is not the text.
            cells = self.labels.from_cells(content.css("table.et_vars"))
            rest = Selector(text=content.get())
            rest.css("table.et_vars").drop()
            labelled, free = super().read_content(rest)
            return {**labelled, **cells}, free
        html = content.get()
        # The title and the author's name are not the post's text.
        html = re.sub(r"<h1\b.*?</h1>", "", html, count=1, flags=re.S | re.I)
        html = re.sub(
            r"<a\b[^>]*class=[\"']member_[^>]*>.*?</a>", "", html, count=1, flags=re.S | re.I
        )
        posted = ""
        if match := _PRINT_TIME.search(html[:600]):
            posted = match.group(0)
            html = html[: match.start()] + html[match.end() :]
        html = _HEADER_END.sub(r"\1<br>", html, count=1)
        labelled, free = super().read_content(Selector(text=html))
        if posted:
            labelled.setdefault("posted", posted)
        return labelled, free
