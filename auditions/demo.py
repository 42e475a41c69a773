"""Demo auditions for `make run` (via ohmanager/demo.py), loaded through the services like a
crawl would be. Idempotent: listings are identified by external id, so a second run only marks
them seen (or updates them when their relative deadlines moved on)."""

import random
from datetime import timedelta

from django.utils import timezone

from auditions import services
from auditions.ingest import ListingData, RoleData
from auditions.models import Audition

SOURCES = [
    ("filmmakers", "필름메이커스", "https://www.filmmakers.co.kr"),
    ("otr", "OTR", "https://www.otr.co.kr"),
    ("castingnote", "캐스팅노트", "https://castingnote.example"),
]

# (title, category, company, region, pay (type, min, max, unit), days left, roles, description,
#  apply (method, target))
HANDWRITTEN = [
    (
        "단편영화 <여름의 끝> 주연 배우 모집",
        "film",
        "필름공장",
        "seoul",
        ("paid", 150000, 200000, "day"),
        9,
        [
            ("지은", "female", 20, 27, "대학생, 차분하지만 고집 있는 성격"),
            ("현수", "male", 22, 30, "지은의 오랜 친구"),
        ],
        "한국영화아카데미 졸업작품입니다. 8월 중 4회차 촬영 예정이며 식사와 교통비를 제공합니다.",
        ("email", "summerend.casting@example.com"),
    ),
    (
        "웹드라마 '편의점 로맨스' 조연 및 단역",
        "web_drama",
        "(주)스튜디오 봄",
        "gyeonggi",
        ("paid", 100000, None, "per_session"),
        14,
        [("점장", "male", 40, 55, "유쾌한 편의점 점장"), ("손님 1", "any", None, None, "대사 2줄")],
        "유튜브 채널 공개 예정 10부작 웹드라마입니다. 촬영지는 수원입니다.",
        ("external_url", "https://forms.example/convenience-romance"),
    ),
    (
        "음료 광고 모델 (20대 여성)",
        "commercial",
        "블루오션 애드",
        "seoul",
        ("paid", 800000, 1000000, "project"),
        5,
        [("메인 모델", "female", 20, 29, "밝고 건강한 이미지")],
        "TV 및 온라인 광고 1년 사용. 프로필과 전신 사진을 보내주세요.",
        ("email", "ad@blueocean.example"),
    ),
    (
        "창작 뮤지컬 <별의 노래> 앙상블 오디션",
        "musical",
        "극단 하늘",
        "seoul",
        ("paid", 2000000, 2500000, "month"),
        20,
        [("앙상블", "any", 20, 35, "노래와 춤 모두 가능하신 분")],
        "대학로 소극장 3개월 공연. 자유곡 1곡과 지정곡 준비. 1차 서류, 2차 실기.",
        ("email", "star.musical@example.com"),
    ),
    (
        "연극 <갈매기> 배우 모집",
        "theater",
        "극단 바다",
        "busan",
        ("negotiable", None, None, ""),
        12,
        [("니나", "female", 20, 30, ""), ("트레플레프", "male", 25, 35, "")],
        "부산 소극장 정기공연. 연습은 평일 저녁입니다. 출연료 협의.",
        ("phone", "051-555-0192"),
    ),
    (
        "아이돌 연습생 정기 오디션",
        "idol",
        "스타라이트 엔터테인먼트",
        "seoul",
        ("unpaid", None, None, ""),
        30,
        [("보컬", "any", 13, 19, ""), ("댄스", "any", 13, 19, ""), ("랩", "any", 13, 19, "")],
        "매월 정기 오디션입니다. 보호자 동의서가 필요합니다.",
        ("in_app", ""),
    ),
    (
        "드라마 보조출연 (병원 장면)",
        "extra",
        "에이스 캐스팅",
        "gyeonggi",
        ("paid", 90000, 90000, "day"),
        3,
        [("환자/보호자", "any", 20, 70, "30명"), ("간호사", "female", 25, 40, "5명")],
        "일산 세트장, 오전 7시 집합. 의상 자율.",
        ("phone", "010-2222-0101"),
    ),
    (
        "애니메이션 더빙 성우 모집",
        "voice",
        "소리공방",
        "online",
        ("paid", 300000, None, "project"),
        18,
        [("주인공 소년", "any", None, None, "10대 소년 목소리")],
        "원격 녹음 가능. 샘플 녹음 파일(mp3)을 보내주세요.",
        ("email", "voice@soriworks.example"),
    ),
    (
        "뮤직비디오 커플 연기자",
        "music_video",
        "",
        "seoul",
        ("unknown", None, None, ""),
        7,
        [("여자 주인공", "female", 20, 28, ""), ("남자 주인공", "male", 22, 30, "")],
        "인디 밴드 신곡 뮤직비디오. 관심 있으신 분은 카톡 오픈채팅으로 연락주세요.",
        ("external_url", ""),
    ),
    (
        "숏폼 드라마 주연 (세로형)",
        "short_form",
        "숏츠랩",
        "seoul",
        ("paid", 250000, 300000, "day"),
        10,
        [("재벌 3세", "male", 25, 35, ""), ("비서", "female", 23, 32, "")],
        "세로형 숏폼 드라마 60화. 연기 영상을 이메일로 보내주세요.",
        ("email", "shortslab@example.com"),
    ),
    (
        "패션 브랜드 룩북 모델",
        "model",
        "모노웨어",
        "seoul",
        ("paid", 400000, None, "day"),
        6,
        [
            ("여성 모델", "female", 20, 30, "키 168cm 이상"),
            ("남성 모델", "male", 20, 32, "키 180cm 이상"),
        ],
        "S/S 룩북 촬영 1일. 성수동 스튜디오.",
        ("email", "lookbook@monowear.example"),
    ),
    (
        "독립영화 <회색 도시> 단역",
        "film",
        "회색도시 제작팀",
        "daegu",
        ("paid", 50000, None, "per_session"),
        None,
        [("형사 2", "male", 30, 45, ""), ("카페 손님", "any", None, None, "")],
        "대구 올로케이션. 상시 모집합니다.",
        ("email", "graycity@example.com"),
    ),
    (
        "제주 관광 홍보영상 출연자",
        "commercial",
        "제주관광공사 협력사",
        "jeju",
        ("paid", 500000, None, "project"),
        15,
        [("가족 (부모)", "any", 35, 50, ""), ("가족 (아이)", "any", 7, 12, "")],
        "2박 3일 제주 촬영, 숙박 제공.",
        ("external_url", "https://jeju-promo.example/apply"),
    ),
]

ENGLISH = [
    (
        "English-speaking actors for a Netflix-style series",
        "drama",
        "Seoul Global Pictures",
        "seoul",
        ("paid", 500000, 700000, "day"),
        11,
        [("American tourist", "any", 25, 45, "Native English speaker")],
        "Supporting roles in an international co-production shot in Seoul and Busan.",
        ("email", "casting@sgp.example"),
    ),
    (
        "Voice talent for an English learning app",
        "voice",
        "LinguaKids",
        "online",
        ("paid", 600000, None, "project"),
        21,
        [("Narrator", "any", None, None, "Warm, clear North American accent")],
        "Remote recording, about 4 hours. Send a 30-second sample.",
        ("email", "voice@linguakids.example"),
    ),
    (
        "Models for a K-beauty campaign (foreigners welcome)",
        "model",
        "Glow Lab",
        "seoul",
        ("paid", 300000, None, "day"),
        8,
        [("Model", "female", 20, 35, "")],
        "Instagram and website campaign. Half-day shoot in Hannam-dong.",
        ("external_url", "https://glowlab.example/casting"),
    ),
    (
        "Short film: 'Last Train to Busan Station' - lead actress",
        "film",
        "",
        "busan",
        ("unpaid", None, None, ""),
        16,
        [("Mina", "female", 22, 30, "Bilingual Korean/English a plus")],
        "Student film, meals and travel covered. Contact on Telegram @lasttrainfilm.",
        ("external_url", ""),
    ),
    (
        "Theater workshop cast: 'Twelfth Night' in English",
        "theater",
        "Itaewon Players",
        "seoul",
        ("negotiable", None, None, ""),
        None,
        [("Viola", "female", 20, 35, ""), ("Orsino", "male", 25, 40, "")],
        "Community theatre with a professional director. Rehearsals on weekends.",
        ("email", "itaewonplayers@example.com"),
    ),
]

VARIANTS = [
    ("{region} 지역 {kind} 배우 상시 모집", "drama"),
    ("{kind} 주조연 오디션 ({region})", "film"),
    ("{kind} 광고 출연자 모집", "commercial"),
    ("{kind} 보조출연자 다수 모집", "extra"),
]
REGION_NAMES = {
    "seoul": "서울",
    "busan": "부산",
    "incheon": "인천",
    "gwangju": "광주",
    "daejeon": "대전",
    "gyeonggi": "경기",
}
KINDS = ["웹드라마", "단편영화", "장편영화", "온라인"]


def _listing(index: int, source: str, entry: tuple, today) -> ListingData:
    title, category, company, region, pay, days, roles, description, apply = entry
    pay_type, pay_min, pay_max, unit = pay
    return ListingData(
        source_slug=source,
        url=f"{ {s: u for s, _, u in SOURCES}[source] }/casting/{1000 + index}",
        external_id=f"demo-{index}",
        title=title,
        category=category,
        company=company,
        description=description,
        production_type={"film": "영화", "web_drama": "웹드라마", "drama": "드라마"}.get(
            category, ""
        ),
        region=region,
        pay_type=pay_type,
        pay_amount_min=pay_min,
        pay_amount_max=pay_max,
        pay_unit=unit,
        deadline=today + timedelta(days=days) if days is not None else None,
        posted_at=timezone.now() - timedelta(hours=3 * index + 1),
        apply_method=apply[0],
        apply_target=apply[1],
        required_media=["photo", "video"] if "영상" in description else ["photo"],
        roles=[
            RoleData(name=n, gender=g, age_min=lo, age_max=hi, description=d)
            for n, g, lo, hi, d in roles
        ],
    )


def load() -> list[str]:
    for slug, name, homepage in SOURCES:
        services.source_upsert(slug=slug, name=name, homepage_url=homepage)
    today = timezone.localdate()
    rng = random.Random(2024)  # noqa: S311 - varied demo text, not security
    entries = HANDWRITTEN + ENGLISH
    for number in range(20):
        template, category = VARIANTS[number % len(VARIANTS)]
        region = list(REGION_NAMES)[number % len(REGION_NAMES)]
        kind = KINDS[number % len(KINDS)]
        title = template.format(region=REGION_NAMES[region], kind=kind) + f" #{number + 1}"
        entries.append(
            (
                title,
                category,
                rng.choice(["", "라이트하우스 픽처스", "청춘필름", "온에어 캐스팅"]),
                region,
                rng.choice(
                    [
                        ("paid", 100000, 150000, "day"),
                        ("unknown", None, None, ""),
                        ("negotiable", None, None, ""),
                    ]
                ),
                rng.choice([None, 2, 7, 25, 40]),
                [
                    ("주연", rng.choice(["female", "male"]), 20, 35, ""),
                    ("단역", "any", None, None, ""),
                ],
                f"{kind} 촬영입니다. 프로필을 보내주세요. 신인 환영, 경력 무관.",
                ("email", f"cast{number}@example.com"),
            )
        )
    outcomes: dict[str, int] = {}
    for index, entry in enumerate(entries):
        source = SOURCES[index % len(SOURCES)][0]
        result = services.audition_ingest_listing(listing=_listing(index, source, entry, today))
        outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
    # The same musical seen on a second site: one audition, two sources.
    musical = HANDWRITTEN[3]
    result = services.audition_ingest_listing(listing=_listing(900, "castingnote", musical, today))
    outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
    staff_title = "Oh Manager 앱 홍보 영상 출연자 (앱에서 바로 지원)"
    if not Audition.objects.filter(title=staff_title).exists():
        services.audition_create(
            actor=None,
            data={
                "title": staff_title,
                "category": "commercial",
                "company": "Oh Manager",
                "region": "seoul",
                "pay_type": "paid",
                "pay_amount_min": 300000,
                "pay_unit": "day",
                "apply_method": "in_app",
                "deadline": today + timedelta(days=14),
                "description": "오매니저 앱 홍보 영상에 출연할 배우를 찾습니다.",
            },
            roles=[RoleData(name="앱 사용자", gender="any", age_min=20, age_max=40)],
        )
        outcomes["staff-created"] = 1
    return [f"auditions: {', '.join(f'{n} {k}' for k, n in sorted(outcomes.items()))}"]
