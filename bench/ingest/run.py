"""Ingest benchmark: 10,000 parsed items through the crawl pipeline on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ohmanager \
    DJANGO_SETTINGS_MODULE=ohmanager.settings.test .venv/bin/python bench/ingest/run.py [--items N]

It creates a throwaway database (test_<name>, dropped at the end), then measures, in one run:
  first   — every item through IngestPipeline.process_item (and close_spider for the last
            batch): normalise (crawlers.scraper.normalize), dedupe and upsert in batches of 100
            (auditions.ingest.audition_ingest_listings), one transaction per batch, as a
            crawl does;
  rerun   — the same items again (all unchanged: matched by raw fingerprint, not normalised;
            one lookup and one last_seen_at UPDATE a batch);
  bulk    — the baseline: the final rows the first pass wrote (auditions, roles, listings),
            deleted and bulk-inserted again with bulk_create in batches of 1,000.
It prints items/s for each and the ratios the issue sets goals for (first/bulk >= 1/3,
first/rerun time >= 5). Times vary with the machine; the ratios are what to compare.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ohmanager.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

TITLES = ["단편영화 <{w}> {g} 주연 배우 모집", "웹드라마 「{w}」 {g} 조연", "{w} 광고/CF 모델 모집",
          "연극 <{w}> 배우 오디션", "뮤직비디오 {w} 출연자", "독립영화 {w} 단역 ({g})"]  # fmt: skip
WORDS = ["바다", "여름", "편의점", "별빛", "기차", "골목", "새벽", "도시", "우산", "고양이",
         "첫눈", "라디오", "정원", "다리", "항구", "서점"]  # fmt: skip
PAYS = ["회차당 30만원", "일당 15만원", "페이 협의", "무페이 (교통비 지급)", "10~20만원",
        "작품당 200만원"]  # fmt: skip
REGIONS = ["서울 마포구", "경기 파주", "부산 해운대", "온라인", "인천 송도", "대전"]
AGES = ["20대 초반", "20~30대", "만 19세 이상", "25-35세", "40대", "나이무관"]


def make_items(count: int, seed: int = 7) -> list[dict[str, str]]:
    """Raw items as a board spider yields them: distinct posts, Korean text in every field."""
    rng = random.Random(seed)
    items = []
    for n in range(count):
        word = f"{rng.choice(WORDS)}{rng.choice(WORDS)} {n}"
        gender = rng.choice(["여자", "남자", "남녀무관"])
        items.append({
            "url": f"https://board.example.kr/actorCasting/{100000 + n}?utm_source=list",
            "external_id": str(100000 + n),
            "title": rng.choice(TITLES).format(w=word, g=gender),
            "company": f"{rng.choice(WORDS)}필름 {n % 500}",
            "director": "김감독",
            "roles": f"주인공({rng.choice(AGES)} {gender}), 친구(20대 {rng.choice('여남')}자)",
            "pay": rng.choice(PAYS),
            "gender": gender,
            "age": rng.choice(AGES),
            "headcount": f"{rng.randint(1, 4)}명",
            "deadline": f"2027.{rng.randint(1, 12):02d}.{rng.randint(1, 28):02d}",
            "shoot_period": "2027.02.10 ~ 02.12",
            "region": rng.choice(REGIONS),
            "email": f"casting{n}@example.kr",
            "posted": "2026.11.18 14:33",
            "description": f"{word} 작품의 배우를 모집합니다. 프로필과 연기영상을 보내주세요. " * 3,
        })  # fmt: skip
    return items


def pipeline_for(slug: str):
    from scrapy.utils.test import get_crawler

    from crawlers.scraper.items import CastingItem
    from crawlers.scraper.pipelines import IngestPipeline
    from crawlers.scraper.spiders import BoardSpider

    crawler = get_crawler(BoardSpider, {})
    spider = BoardSpider.from_crawler(
        crawler, source={"slug": slug, "start_urls": ["https://board.example.kr/a"], "config": {}}
    )
    crawler.spider = spider
    return IngestPipeline.from_crawler(crawler), CastingItem, crawler.stats


def timed_pass(items: list[dict[str, str]], slug: str) -> tuple[float, dict]:
    pipeline, item_class, stats = pipeline_for(slug)
    started = time.perf_counter()
    for raw in items:
        pipeline.process_item(item_class(**raw))
    pipeline.close_spider()  # the last batch
    return time.perf_counter() - started, stats.get_stats()


def bulk_baseline() -> tuple[float, int]:
    """Deletes the rows the pipeline wrote and bulk-inserts the very same rows again."""
    from auditions.models import Audition, AuditionEvent, Role, SourceListing

    auditions = list(Audition.objects.all())
    roles = list(Role.objects.all())
    listings = list(SourceListing.objects.all())
    AuditionEvent.objects.all().delete()
    SourceListing.objects.all().delete()
    Role.objects.all().delete()
    Audition.objects.all().delete()
    started = time.perf_counter()
    from django.db import transaction

    with transaction.atomic():
        Audition.objects.bulk_create(auditions, batch_size=1000)
        Role.objects.bulk_create(roles, batch_size=1000)
        SourceListing.objects.bulk_create(listings, batch_size=1000)
    return time.perf_counter() - started, len(auditions)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/ingest needs PostgreSQL: set DATABASE_URL=postgres://...")
    import logging

    logging.disable(logging.WARNING)
    old = setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
    try:
        from auditions.services import source_upsert

        slug = "bench-board"
        source_upsert(slug=slug, name="Bench board", homepage_url="https://board.example.kr/")
        items = make_items(args.items)

        first, first_stats = timed_pass(items, slug)
        rerun, rerun_stats = timed_pass(items, slug)
        bulk, rows = bulk_baseline()

        n = len(items)
        print(f"items: {n}  (created {first_stats.get('ohm/items_created', 0)}, "
              f"merged {first_stats.get('ohm/items_merged', 0)}, "
              f"rejected {first_stats.get('ohm/items_rejected', 0)}; "
              f"rerun unchanged {rerun_stats.get('ohm/items_unchanged', 0)})")  # fmt: skip
        print(f"first pass : {n / first:9.0f} items/s  ({first:.2f} s)")
        print(f"rerun      : {n / rerun:9.0f} items/s  ({rerun:.2f} s)")
        print(f"bulk insert: {rows / bulk:9.0f} rows/s   ({bulk:.2f} s, baseline)")
        print(f"first / bulk rate   = {(n / first) / (rows / bulk):.2f}  (goal >= 0.33)")
        print(f"rerun speed-up      = {first / rerun:.1f}x (goal >= 5)")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
