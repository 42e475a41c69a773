"""A real crawl for the SSRF tests, without the database: `python -m crawlers.tests.address_crawl
'<json>'` runs the rss spider over `start_urls` with the project's Scrapy settings (resolver,
middlewares, retries, robots.txt) and prints what the spider recorded as JSON on its last line.

`rebind` simulates DNS rebinding for one name: `socket.getaddrinfo` (what a check made before
the request would ask) answers `checked`, while the look-up made for the connection answers
`connected` (`socket.gethostbyname`, and Twisted's name resolver, stubbed for that name).
"""

from __future__ import annotations

import json
import socket
import sys
from typing import Any

from zope.interface import implementer


def _stub_system_resolver(host: str, checked: str, connected: str) -> None:
    real_getaddrinfo, real_gethostbyname = socket.getaddrinfo, socket.gethostbyname

    def getaddrinfo(name: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if name == host:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (checked, port or 0))]
        return real_getaddrinfo(name, port, *args, **kwargs)

    def gethostbyname(name: str) -> str:
        return connected if name == host else real_gethostbyname(name)

    socket.getaddrinfo, socket.gethostbyname = getaddrinfo, gethostbyname


def _stub_twisted_resolver(reactor: Any, host: str, connected: str) -> None:
    from twisted.internet.address import IPv4Address
    from twisted.internet.interfaces import IHostnameResolver

    system = reactor.nameResolver

    @implementer(IHostnameResolver)
    class Stub:
        def resolveHostName(self, receiver: Any, name: str, port: int = 0, *args: Any) -> Any:
            if name != host:
                return system.resolveHostName(receiver, name, port, *args)
            receiver.resolutionBegan(None)
            receiver.addressResolved(IPv4Address("TCP", connected, port))
            receiver.resolutionComplete()
            return None

    reactor.installNameResolver(Stub())


def main(argv: list[str]) -> int:
    options = json.loads(argv[0])
    import django

    django.setup()
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from crawlers.scraper.spiders import SPIDERS

    if rebind := options.get("rebind"):
        _stub_system_resolver(rebind["host"], rebind["checked"], rebind["connected"])
    settings = Settings()
    settings.setmodule("crawlers.scraper.settings", priority="project")
    settings.setdict(
        {
            "OHM_ALLOW_PRIVATE_ADDRESSES": options["allow_private"],
            "ITEM_PIPELINES": {},  # no database
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "DOWNLOAD_TIMEOUT": 10,
            "HTTPCACHE_ENABLED": False,
        },
        priority="cmdline",
    )
    process = CrawlerProcess(settings)
    if rebind:
        from twisted.internet import reactor

        _stub_twisted_resolver(reactor, rebind["host"], rebind["connected"])
    crawler = process.create_crawler(SPIDERS["rss"])
    source = {"slug": "test", "start_urls": options["start_urls"], "config": {}, "max_pages": 1}
    process.crawl(crawler, source=source, max_pages=1)
    process.start()
    spider, stats = crawler.spider, crawler.stats
    result = {
        "errors": spider.errors,
        "error_count": spider.error_count,
        "items": stats.get_value("item_scraped_count", 0),
        "retries": stats.get_value("retry/count", 0),
        "finish_reason": stats.get_value("finish_reason"),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
