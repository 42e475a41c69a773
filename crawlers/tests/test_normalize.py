"""Table tests over strings as Korean (and a few English) casting boards really write them."""

from datetime import date, datetime

import pytest

from crawlers.scraper import normalize as n

TODAY = date(2026, 11, 20)  # a Friday; "relative years" below count from it


@pytest.mark.parametrize(
    ("raw", "expected", "rolling"),
    [
        ("2026.12.01", date(2026, 12, 1), False),
        ("2026-12-01", date(2026, 12, 1), False),
        ("2026/12/1", date(2026, 12, 1), False),
        ("2026년 12월 1일", date(2026, 12, 1), False),
        ("모집 마감일: 2026-12-01", date(2026, 12, 1), False),
        ("26.12.05", date(2026, 12, 5), False),
        ("12월 5일(금)", date(2026, 12, 5), False),
        ("12월5일 자정까지", date(2026, 12, 5), False),
        ("~12/5", date(2026, 12, 5), False),
        ("~ 12.5(토)", date(2026, 12, 5), False),
        ("12/5 23:59까지", date(2026, 12, 5), False),
        # Relative years: a January deadline written in November is next year's.
        ("1월 10일", date(2027, 1, 10), False),
        ("~1/3", date(2027, 1, 3), False),
        # A deadline a few weeks past stays in this year (a late re-post), not next year.
        ("11/1", date(2026, 11, 1), False),
        ("D-3", date(2026, 11, 23), False),
        ("D-day", date(2026, 11, 20), False),
        ("마감 D-7", date(2026, 11, 27), False),
        ("오늘 마감", date(2026, 11, 20), False),
        ("내일까지", date(2026, 11, 21), False),
        ("Dec 5, 2026", date(2026, 12, 5), False),
        ("December 12th", date(2026, 12, 12), False),
        ("Posted 18 Nov 2026", date(2026, 11, 18), False),
        ("상시모집", None, True),
        ("상시", None, True),
        ("채용시 마감", None, True),
        ("충원 시 마감", None, True),
        ("선착순 마감", None, True),
        ("Rolling", None, True),
        ("", None, False),
        ("추후 공지", None, False),
        ("2026.13.45", None, False),  # not a date: nothing rather than a wrong one
    ],
)
def test_parse_date(raw: str, expected: date | None, rolling: bool) -> None:
    value = n.parse_date(raw, today=TODAY)
    assert value.value == expected
    assert value.rolling is rolling


def test_month_day_for_past_dates_points_back() -> None:
    # A post dated 12/28 seen on January 3rd was posted last December.
    assert n.parse_date("12/28", today=date(2027, 1, 3), prefer="past").value == date(2026, 12, 28)
    assert n.parse_date("12/28", today=date(2027, 1, 3)).value == date(2027, 12, 28)


@pytest.mark.parametrize(
    ("raw", "start", "end"),
    [
        ("2026.12.10 ~ 2026.12.15", date(2026, 12, 10), date(2026, 12, 15)),
        ("2026.12.10 ~ 12.15", date(2026, 12, 10), date(2026, 12, 15)),
        ("12월 10일~12일", date(2026, 12, 10), date(2026, 12, 12)),
        ("12/28 ~ 1/4", date(2026, 12, 28), date(2027, 1, 4)),
        ("12월 20일 하루", date(2026, 12, 20), date(2026, 12, 20)),
        ("2026-12-10 - 2026-12-11", date(2026, 12, 10), date(2026, 12, 11)),
        ("12월 중 2회차 (추후 협의)", None, None),
        ("", None, None),
    ],
)
def test_parse_date_range(raw: str, start: date | None, end: date | None) -> None:
    assert n.parse_date_range(raw, today=TODAY) == (start, end)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-11-18T09:30:00+09:00", datetime.fromisoformat("2026-11-18T09:30:00+09:00")),
        ("2026-11-18T00:30:00Z", datetime.fromisoformat("2026-11-18T00:30:00+00:00")),
        ("Wed, 18 Nov 2026 09:30:00 +0900", datetime.fromisoformat("2026-11-18T09:30:00+09:00")),
        ("2026.11.18 14:33", datetime(2026, 11, 18, 14, 33)),
        ("2026.11.18", datetime(2026, 11, 18)),
        ("11.18 오후 2:05", datetime(2026, 11, 18, 14, 5)),
        # gnuboard: `y-m-d H:i` on the post, `m-d` (older) or `H:i` (today) in its list.
        ("26-11-18 14:33", datetime(2026, 11, 18, 14, 33)),
        ("11-18", datetime(2026, 11, 18)),
        ("12-28", datetime(2025, 12, 28)),  # a list date never points ahead
        ("14:33", datetime(2026, 11, 20, 14, 33)),
        # Korean clocks keep their hour, minute and second.
        ("2026년 11월 19일 14시 05분 31초", datetime(2026, 11, 19, 14, 5, 31)),
        ("2026년 11월 19일 오후 2시 5분", datetime(2026, 11, 19, 14, 5)),
        ("3시간 전", None),
        ("어제", None),
    ],
)
def test_parse_datetime(raw: str, expected: datetime | None) -> None:
    assert n.parse_datetime(raw, today=TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("남자", "male"),
        ("여자", "female"),
        ("여성", "female"),
        ("남성 배우", "male"),
        ("남녀무관", "any"),
        ("성별무관", "any"),
        ("남녀 모두", "any"),
        ("남 1명, 여 2명", "any"),
        ("여 2", "female"),
        ("Female", "female"),
        ("Male", "male"),
        ("", None),
        ("배우 모집", None),
    ],
)
def test_parse_gender(raw: str, expected: str | None) -> None:
    assert n.parse_gender(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("20대 초반", (20, 23)),
        ("20대 중반", (24, 26)),
        ("30대 후반", (37, 39)),
        ("20대", (20, 29)),
        ("20~30대", (20, 39)),
        ("20대~30대 초반", (20, 33)),
        ("40대 이상", (40, None)),
        ("만 19세 이상", (19, None)),
        ("25-35세", (25, 35)),
        ("25~35살", (25, 35)),
        ("30세 이하", (None, 30)),
        ("19세 미만", (None, 18)),
        ("1998년생~2002년생", (23, 28)),
        ("나이무관", (None, None)),
        ("20~30대 남녀무관", (20, 39)),
        ("Ages 18-25", (18, 25)),
        ("18+", (18, None)),
        ("", (None, None)),
    ],
)
def test_parse_age(raw: str, expected: tuple[int | None, int | None]) -> None:
    assert n.parse_age(raw, today=TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("회차당 30만원", n.PayValue("paid", 300_000, 300_000, "per_session")),
        ("일당 15만원", n.PayValue("paid", 150_000, 150_000, "day")),
        ("1일 150,000원", n.PayValue("paid", 150_000, 150_000, "day")),
        ("10~20만원", n.PayValue("paid", 100_000, 200_000, "")),
        ("30만원~50만원 (회차당)", n.PayValue("paid", 300_000, 500_000, "per_session")),
        ("작품당 200만원", n.PayValue("paid", 2_000_000, 2_000_000, "project")),
        ("월 250만원", n.PayValue("paid", 2_500_000, 2_500_000, "month")),
        ("1,500,000원", n.PayValue("paid", 1_500_000, 1_500_000, "")),
        ("페이 협의", n.PayValue("negotiable")),
        ("추후 협의", n.PayValue("negotiable")),
        ("무페이", n.PayValue("unpaid")),
        ("무보수 (재능기부)", n.PayValue("unpaid")),
        ("노개런티", n.PayValue("unpaid")),
        ("교통비 지급", n.PayValue("unpaid")),
        ("식사 제공", n.PayValue("unpaid")),
        ("출연료 지급", n.PayValue("paid")),
        ("$500/day", n.PayValue("paid", 500, 500, "day", "USD")),
        ("USD 200 - 300 per day", n.PayValue("paid", 200, 300, "day", "USD")),
        ("£150 per day", n.PayValue("paid", 150, 150, "day", "GBP")),
        ("", n.PayValue()),
    ],
)
def test_parse_pay(raw: str, expected: n.PayValue) -> None:
    assert n.parse_pay(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("서울", "seoul"),
        ("서울 마포구 상암동", "seoul"),
        ("경기도 파주시", "gyeonggi"),
        ("일산 스튜디오", "gyeonggi"),
        ("부산 해운대", "busan"),
        ("대구", "daegu"),
        ("인천 송도", "incheon"),
        ("광주광역시", "gwangju"),
        ("대전", "daejeon"),
        ("강원도 강릉", "gangwon"),
        ("충청남도 천안", "chungnam"),
        ("전북 전주", "jeonbuk"),
        ("경남 통영", "gyeongnam"),
        ("제주도", "jeju"),
        ("전국", "nationwide"),
        ("온라인 (화상 오디션)", "online"),
        ("Los Angeles, CA", "overseas"),
        ("서울/경기", "seoul"),
        ("미정", None),
        ("", None),
    ],
)
def test_parse_region(raw: str, expected: str | None) -> None:
    assert n.parse_region(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("[단편영화] 주연 배우 모집", "film"),
        ("장편 독립영화 <바다> 조연", "film"),
        ("웹드라마 '연애의 온도' 출연자 모집", "web_drama"),
        ("KBS 드라마 단역", "drama"),
        ("광고/CF 모델 모집", "commercial"),
        ("화장품 CF 촬영", "commercial"),
        ("뮤직비디오 여주인공", "music_video"),
        ("아이유 MV 출연자", "music_video"),
        ("연극 <햄릿> 배우 오디션", "theater"),
        ("창작 뮤지컬 앙상블", "musical"),
        ("쇼핑몰 피팅 모델", "model"),
        ("애니메이션 성우 모집", "voice"),
        ("걸그룹 연습생 오디션", "idol"),
        ("아이돌 데뷔조", "idol"),
        ("드라마 보조출연 대규모 모집", "extra"),
        ("유튜브 쇼츠 출연", "short_form"),
        ("Student film lead", "film"),
        ("National TV commercial", "commercial"),
        ("배우 모집", "other"),
    ],
)
def test_parse_category(raw: str, expected: str) -> None:
    assert n.parse_category(raw) == expected


def test_category_falls_back_to_later_texts() -> None:
    texts = ("배우 모집합니다", "제작: 한국예술종합학교 졸업작품 (단편영화)")
    assert n.parse_category(*texts) == "film"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2명", 2), ("남1 여1", 2), ("남 1명, 여 2명", 3), ("0명", None), ("약간명", None),
     ("", None)],
)
def test_parse_headcount(raw: str, expected: int | None) -> None:
    assert n.parse_headcount(raw) == expected


def test_contact_and_media() -> None:
    contact = n.parse_contact(
        "담당자 김캐스팅 / 010-1234-5678 / casting@example.kr\n카톡 오픈채팅 https://open.kakao.com/o/x"
    )
    assert contact.emails == ("casting@example.kr",)
    assert contact.phones == ("010-1234-5678",)
    assert contact.urls == ("https://open.kakao.com/o/x",)
    assert contact.messenger is True
    assert n.parse_required_media("프로필과 연기영상을 메일로 보내주세요") == ["profile", "video"]


def test_clean_text_folds_width_and_invisible_characters() -> None:
    # Full-width colon and digits, as pasted from word processors.
    raw = "모집\u200b 마감일\uff1a\uff12\uff10\uff12\uff16.\uff11\uff12.\uff10\uff11\n\n\n본문"
    assert n.clean_text(raw) == "모집 마감일:2026.12.01\n\n본문"
