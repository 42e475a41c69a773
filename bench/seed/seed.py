"""Seeds a PostgreSQL database with realistic auditions for the benchmarks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ohm_bench \\
        .venv/bin/python bench/seed/seed.py --rows 100000

Migrates the database, empties the catalogue tables and writes `--rows` auditions (Korean
titles and descriptions, a few English ones, 1-4 roles each, one or two source listings) in
bulk. Rows get exactly the derived columns the services compute (normalised title/company,
the bigram search document, trust score and flags) from the same functions; only the
per-row duplicate and repost look-ups of the ingest path are skipped, which would take an
hour at this size. Ends with ANALYZE.
"""

import argparse
import os
import random
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ohmanager.settings.local")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from auditions import feed_points, search, trust  # noqa: E402
from auditions.models import Audition, Role, Source, SourceListing  # noqa: E402
from auditions.text import normalize_company, normalize_title  # noqa: E402

CATEGORIES = [
    ("film", "단편영화", 18),
    ("drama", "드라마", 10),
    ("web_drama", "웹드라마", 14),
    ("short_form", "숏폼 드라마", 8),
    ("commercial", "광고", 12),
    ("music_video", "뮤직비디오", 5),
    ("theater", "연극", 8),
    ("musical", "뮤지컬", 5),
    ("model", "모델", 8),
    ("voice", "성우", 3),
    ("idol", "아이돌", 2),
    ("extra", "보조출연", 5),
    ("other", "행사", 2),
]
REGIONS = (
    ["seoul"] * 12
    + ["gyeonggi"] * 5
    + [
        "busan",
        "incheon",
        "daegu",
        "daejeon",
        "gwangju",
        "jeju",
        "gangwon",
        "online",
        "nationwide",
        "overseas",
    ]
)
TITLE_WORDS = [
    "여름",
    "첫사랑",
    "회색 도시",
    "마지막 기차",
    "달빛",
    "편의점",
    "우리들의 겨울",
    "비밀",
    "청춘",
    "바다",
    "그림자",
    "두 번째 봄",
    "유령",
    "골목",
    "꿈",
    "파도",
]
ROLE_NAMES = [
    "주연",
    "조연",
    "단역",
    "앙상블",
    "엄마",
    "아빠",
    "형사",
    "학생",
    "직장인",
    "의사",
    "간호사",
    "손님",
    "친구",
    "선배",
    "후배",
    "사장",
]
COMPANIES = [
    "필름공장",
    "(주)스튜디오 봄",
    "청춘필름",
    "라이트하우스 픽처스",
    "극단 하늘",
    "블루오션 애드",
    "스타라이트 엔터테인먼트",
    "숏츠랩",
    "온에어 캐스팅",
    "소리공방",
    "모노웨어",
    "",
    "",
    "",
]
SENTENCES = [
    "{kind} 촬영을 위한 배우를 모집합니다.",
    "신인 환영, 경력 무관입니다.",
    "프로필과 최근 사진을 보내주세요.",
    "촬영은 {month}월 중 {days}회차 예정입니다.",
    "식사와 교통비를 제공합니다.",
    "출연료는 협의 후 결정합니다.",
    "자기소개 영상을 첨부해 주세요.",
    "1차 서류 전형 후 2차 미팅이 있습니다.",
    "남자 배우와 여자 배우 모두 지원 가능합니다.",
    "연기 경험이 있으신 분을 우대합니다.",
    "촬영 장소는 {place}입니다.",
    "대사 분량이 많은 역할입니다.",
    "밝고 건강한 이미지의 모델을 찾습니다.",
    "노래와 춤이 가능하신 분 우대.",
    "카메라 테스트가 있을 수 있습니다.",
    "결과는 개별 연락 드립니다.",
]
PLACES = ["서울 마포구", "성수동 스튜디오", "일산 세트장", "부산 해운대", "수원", "파주 세트장"]
ENGLISH = [
    "English-speaking actors wanted",
    "Models for a beauty campaign",
    "Voice talent for an app",
    "Foreign extras for a drama",
]


def make_row(rng: random.Random, number: int, now, today, source_ids: list[int]):
    category, kind, _ = rng.choices(CATEGORIES, weights=[c[2] for c in CATEGORIES])[0]
    region = rng.choice(REGIONS)
    if number % 50 == 0:
        title = f"{rng.choice(ENGLISH)} ({kind})"
    else:
        title = (
            f"{kind} <{rng.choice(TITLE_WORDS)}> {rng.choice(ROLE_NAMES)} "
            f"{rng.choice(['배우 모집', '오디션', '출연자 모집', '캐스팅'])}"
        )
    description = " ".join(
        sentence.format(
            kind=kind, month=rng.randint(1, 12), days=rng.randint(1, 10), place=rng.choice(PLACES)
        )
        for sentence in rng.sample(SENTENCES, rng.randint(3, 7))
    )
    company = rng.choice(COMPANIES)
    pay_type = rng.choices(["paid", "unknown", "negotiable", "unpaid"], weights=[6, 2, 2, 1])[0]
    pay_min = pay_max = None
    if pay_type == "paid":
        pay_min = rng.choice([50000, 80000, 100000, 150000, 200000, 300000, 500000])
        pay_max = pay_min + rng.choice([0, 0, 50000, 100000])
    roll = rng.random()
    deadline = None if roll < 0.2 else today + timedelta(days=rng.randint(-20, 60))
    posted_at = now - timedelta(minutes=rng.randint(0, 180 * 24 * 60), seconds=number % 60)
    apply_method = rng.choice(["email", "email", "external_url", "phone", "in_app"])
    apply_target = {
        "email": f"cast{number % 997}@example.com",
        "phone": "010-1234-5678",
        "external_url": "https://forms.example/apply",
        "in_app": "",
    }[apply_method]
    audition = Audition(
        id=uuid.uuid4(),
        title=title,
        category=category,
        company=company,
        description=description,
        production_type=kind,
        region=region,
        location=rng.choice(PLACES),
        pay_type=pay_type,
        pay_amount_min=pay_min,
        pay_amount_max=pay_max,
        pay_unit="day" if pay_min else "",
        deadline=deadline,
        posted_at=posted_at,
        apply_method=apply_method,
        apply_target=apply_target,
        required_media=["photo"],
        status="open" if rng.random() < 0.93 else "closed",
        title_norm=normalize_title(title)[:300],
        company_norm=normalize_company(company),
        search_vector=search.document(title=title, company=company, description=description),
    )
    audition.trust_score, audition.trust_flags = trust.assess(
        trust.TrustInput(
            pay_type=pay_type,
            pay_amount_min=pay_min,
            pay_amount_max=pay_max,
            pay_raw="",
            apply_method=apply_method,
            apply_target=apply_target,
            contact_raw="",
            description=description,
            required_media=["photo"],
            company=company,
            production_type=kind,
            director="",
            casting_director="",
            repost_count=1,
        )
    )
    audition.feed_points = feed_points.for_audition(audition, today)  # as the services do
    roles = [
        Role(
            audition=audition,
            position=i,
            name=rng.choice(ROLE_NAMES),
            gender=rng.choice(["female", "male", "any"]),
            age_min=(low := rng.randint(10, 50)),
            age_max=low + rng.randint(5, 20),
            headcount=rng.randint(1, 3),
        )
        for i in range(rng.randint(1, 4))
    ]
    listings = []
    for source_id in rng.sample(source_ids, 1 if rng.random() < 0.85 else 2):
        url = f"https://site{source_id}.example/casting/{number}"
        listings.append(
            SourceListing(
                audition=audition,
                source_id=source_id,
                url=url,
                canonical_url=url,
                external_id=str(number),
                is_primary=not listings,
                first_seen_at=posted_at,
                last_seen_at=now,
                content_hash="0" * 64,
            )
        )
    return audition, roles, listings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=2_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL=postgres://... (the benchmarks measure PostgreSQL).")

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE auditions_auditionevent, auditions_bookmark, auditions_role, "
            "auditions_sourcelisting, auditions_audition CASCADE"
        )
    source_ids = []
    for slug, name in [
        ("filmmakers", "필름메이커스"),
        ("otr", "OTR"),
        ("castingnote", "캐스팅노트"),
    ]:
        source, _ = Source.objects.get_or_create(slug=slug, defaults={"name": name})
        source_ids.append(source.pk)

    rng = random.Random(100)
    now, today = timezone.now(), timezone.localdate()
    started = time.monotonic()
    for offset in range(0, args.rows, args.batch):
        auditions, roles, listings = [], [], []
        for number in range(offset, min(offset + args.batch, args.rows)):
            audition, its_roles, its_listings = make_row(rng, number, now, today, source_ids)
            auditions.append(audition)
            roles += its_roles
            listings += its_listings
        with transaction.atomic():
            Audition.objects.bulk_create(auditions)
            Role.objects.bulk_create(roles)
            SourceListing.objects.bulk_create(listings)
        print(f"{offset + len(auditions):>7} rows  {time.monotonic() - started:6.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE auditions_audition")
        cursor.execute("ANALYZE auditions_role")
        cursor.execute("ANALYZE auditions_sourcelisting")
    print(f"seeded {args.rows} auditions in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
