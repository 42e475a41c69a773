"""The spiders, by the `kind` a CrawlSource names: three generic ones configured by data and the
dedicated ones a site needs code for."""

from crawlers.scraper.spiders.base import SourceSpider
from crawlers.scraper.spiders.board import BoardSpider
from crawlers.scraper.spiders.filmmakers import FilmmakersSpider
from crawlers.scraper.spiders.jsonld import JsonLdSpider
from crawlers.scraper.spiders.rss import RssSpider

SPIDERS: dict[str, type[SourceSpider]] = {
    spider.name: spider for spider in (RssSpider, JsonLdSpider, BoardSpider, FilmmakersSpider)
}

__all__ = ["SPIDERS", "BoardSpider", "FilmmakersSpider", "JsonLdSpider", "RssSpider"]
