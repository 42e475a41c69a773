"""Posts read the way a person reads them (issue 14, part 2): every example of the issue's
"What went wrong" list, text → expected, plus the shapes the section and prose readers claim.

Each post goes the way a board spider sends it: `LabelExtractor.from_text` takes the
`label: value` pairs, the rest is the description, `listing_from_item` normalises it.
"""

from datetime import date

import pytest

from crawlers.scraper import normalize as n
from crawlers.scraper import prose, roles, sections
from crawlers.scraper.labels import LabelExtractor
from crawlers.scraper.pipelines import listing_from_item

TODAY = date(2024, 8, 30)


def read(text: str, *, title: str = "", today: date = TODAY):
    labelled, free = LabelExtractor().from_text(text)
    item = {**labelled, "url": "https://example.test/post/1", "title": title, "description": free}
    return listing_from_item(item, source_slug="s", today=today)


def role_tuples(listing) -> list[tuple[str, str, int | None, int | None]]:
    return [(r.name, r.gender, r.age_min, r.age_max) for r in listing.roles]


# --- Category: the medium, not the genre; words inside words never match --------------------


def test_a_genre_label_does_not_beat_the_medium_in_the_title() -> None:
    listing = read(
        "장르: 드라마, 성장\n졸업작품 배우 모집합니다.", title="단편영화 <바람> 배우 모집"
    )
    assert listing.category == "film"


def test_theatre_inside_a_department_name_is_not_theatre() -> None:
    listing = read("한양대학교 연극영화학과 워크샵 작품입니다. 16mm 단편 영화로 촬영합니다.")
    assert listing.category == "film"


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (("드라마틱한 반전이 있는 단편영화",), "film"),
        (("경북대학교 학생영화에서 상업연극 감독 역을 모집합니다",), "film"),
        (("영화 <행진곡>의 조연부터 단역, 엑스트라까지 모두 참여할 수 있다",), "film"),
        (("창원시 '드라마' 제작에 참여하세요", "MBC 드라마 보조출연자 1000여명 모집"), "extra"),
        (("토털 모델 오디션 '대한민국 광고모델 선발대회'",), "model"),
        (("극단 명태가 '뮤지컬 갈라쇼'에 함께 할 배우를 모집한다",), "musical"),
        (("광주시립극단, 객원배우 공개 모집",), "theater"),
        (("캐릭터 연기자는 공연무대에 설 수 있다",), "other"),
    ],
)
def test_category_from_the_medium(texts: tuple[str, ...], expected: str) -> None:
    assert n.parse_category(*texts) == expected


# --- Deadlines: behind bullets, in periods, in prose -----------------------------------------


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("ㆍ접수마감 : 2009. 2. 25(수)", date(2009, 2, 1), date(2009, 2, 25)),
        ("* 모집 일자 : ~ 2024.09.04", TODAY, date(2024, 9, 4)),
        ("프로필은 9월 4일까지 이메일로 보내주세요.", TODAY, date(2024, 9, 4)),
        ("배우를 내달 10일까지 공개 모집한다.", TODAY, date(2024, 9, 10)),
        ("공개오디션 15일까지 접수", date(2008, 11, 5), date(2008, 11, 15)),
        ("원서접수는 오는 26일부터 5월11일까지.", date(2010, 4, 22), date(2010, 5, 11)),
        ("01월 18일을 마감으로 1차 심사가 진행 중이다.", date(2026, 1, 22), date(2026, 1, 18)),
    ],
)
def test_deadline_read_where_it_is_written(text: str, today: date, expected: date) -> None:
    assert read(text, today=today).deadline == expected


def test_a_show_period_in_prose_is_not_the_deadline() -> None:
    text = (
        "12월 21일부터 27일까지 대전예술의전당에서 초연한다.\n"
        "15일 오후 6시까지 온라인을 통해 접수할 수 있다."
    )
    assert read(text, today=date(2024, 9, 10)).deadline == date(2024, 9, 15)


# --- Pay: own-line labels, spaced units, negations, implausible amounts ----------------------


def test_pay_under_a_label_alone_on_its_line_with_a_spaced_unit() -> None:
    listing = read("배우 모집합니다.\n- 출연료\n회차 당 10~15만원 내외\n많은 지원 바랍니다.")
    assert (listing.pay_type, listing.pay_amount_min, listing.pay_amount_max, listing.pay_unit) == (
        "paid", 100_000, 150_000, "per_session"
    )  # fmt: skip


def test_an_amount_no_one_pays_is_kept_raw_not_stored() -> None:
    pay = n.parse_pay("회차당 200,000만원")
    assert (pay.type, pay.amount_min, pay.amount_max, pay.unit, pay.implausible) == (
        "paid", None, None, "per_session", True
    )  # fmt: skip
    listing = read("[페이]\n회차당 200,000만원 (혹은 그 이상)")
    assert (listing.pay_type, listing.pay_amount_min, listing.pay_unit) == (
        "paid", None, "per_session"
    )  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("배우페이는 지급하지 않습니다", n.PayValue("unpaid")),
        ("페이 없음", n.PayValue("unpaid")),
        ("보수는 한 푼도 없다", n.PayValue("unpaid")),
        ("출연료 대신 사인 티셔츠를 드립니다", n.PayValue("unpaid")),
        ("회차 당 10만원", n.PayValue("paid", 100_000, 100_000, "per_session")),
        ("1회차 15만원", n.PayValue("paid", 150_000, 150_000, "per_session")),
        ("일 10만", n.PayValue("paid", 100_000, 100_000, "day")),
        (
            "회차 당 드리는 금액은 교통비를 포함한 금액입니다",
            n.PayValue("paid", unit="per_session"),
        ),
    ],
)
def test_parse_pay_reads_negations_and_spaced_units(raw: str, expected: n.PayValue) -> None:
    assert n.parse_pay(raw) == expected


def test_a_refusal_in_prose_reads_as_unpaid() -> None:
    text = (
        "함께할 팀의 일원으로 여기는 것이기에 배우페이는 지급하지 않습니다. "
        "그렇지만 식사는 늘 대접할 예정입니다."
    )
    assert read(text).pay_type == "unpaid"


def test_prose_pay_with_several_amounts() -> None:
    text = "※ 페이는 감독과 아버지 역은 7만원, 어머니 역은 4만원입니다."
    listing = read(text)
    assert (listing.pay_type, listing.pay_amount_min, listing.pay_amount_max) == (
        "paid", 40_000, 70_000
    )  # fmt: skip


# --- Roles: a list, each with its own gender and age -----------------------------------------


def test_body_role_lines_beat_a_nameless_label_and_keep_their_own_gender_and_age() -> None:
    text = (
        "극중배역 : 10~50대 남녀\n모집성별: 남자,여자\n"
        "민구 (17세 남) - 주인공\n재민엄마 (40대 여) - 민구의 이웃\n담임 선생님 (30대)"
    )
    assert role_tuples(read(text)) == [
        ("민구", "male", 17, 17),
        ("재민엄마", "female", 40, 49),
        ("담임 선생님", "any", 30, 39),
    ]


def test_both_genders_each_one_is_two_roles() -> None:
    assert role_tuples(read("극중배역 : 남녀 각 1명")) == [
        ("남", "male", None, None), ("여", "female", None, None)
    ]  # fmt: skip
    assert role_tuples(read("20대 남녀 배우를 모집합니다.")) == [
        ("남", "male", 20, 29), ("여", "female", 20, 29)
    ]  # fmt: skip


def test_bracketed_role_block_with_slash_and_numbered_role_lines() -> None:
    listing = read("[모집배역]\n한미진 / 40대 후반\n캐릭터 설명 : 딸을 아끼는 수지의 엄마.")
    assert role_tuples(listing) == [("한미진", "female", 47, 49)]
    listing = read(
        "모집하는 배역은 다음과 같습니다.\n1. 상업연극 감독 (40대 초반, 지적이다, 남)\n"
        "감독 : 네, 다음~ 들어오세요~.\n2. 주인공 어머니 (40대 후반, 맞장구를 잘 친다, 여)"
    )
    assert role_tuples(listing) == [
        ("상업연극 감독", "male", 40, 43), ("주인공 어머니", "female", 47, 49)
    ]  # fmt: skip
    assert listing.director == ""  # the dialogue line is not a director label


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("한선화 (18세) - 주인공:", ("한선화", "", 18, 18)),
        ("도윤 (8~9세, 여): 자기 전에 상상하는 아이.", ("도윤", "female", 8, 9)),
        ("지호 - 20대 중반 여성", ("지호", "female", 24, 26)),
    ],
)
def test_role_lines(line: str, expected: tuple) -> None:
    found = roles.roles_from_lines(line, today=TODAY, in_role_block=False)
    assert [(r.name, r.gender, r.age_min, r.age_max) for r in found] == [expected]


def test_prose_roles_and_a_post_wide_age() -> None:
    text = "60대 초반의 남성, 20대 후반의 남성, 30대 중반의 여성 배우분을 모집하고 있습니다."
    assert role_tuples(read(text)) == [
        ("남", "male", 60, 63), ("남", "male", 27, 29), ("배우", "female", 34, 36)
    ]  # fmt: skip
    listing = read("<해바라기>가 주연 여배우를 공개 모집한다. 응모는 17세부터 22세까지 할 수 있다.")
    assert role_tuples(listing) == [("주연", "female", 17, 22)]
    listing = read("모집 인원은 총 11명으로, 남자 6명·여자 5명이다.")
    assert [r.gender for r in listing.roles] == ["male", "female"]


# --- Region: districts and venues, never names, universities or companies --------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("오는 5월 9일 도봉구민회관 하모니홀에서 공연합니다", "seoul"),
        ("세종문화회관 대극장에서 공연된다", "seoul"),
        ("원주는 오늘도 편의점에서 일한다", None),
        ("서울 문화사의 잡지 화보", None),
        ("경북대학교 학생영화", None),
        ("청주대 졸업작품", None),
        ("영화의 배경은 경상남도일테지만, 대부분의 씬은 서울에서 진행할 예정", "seoul"),
        ("서울특별시 노원구 소재 스튜디오", "seoul"),
        ("7월에 뉴욕 중심부를 배경으로 촬영", "overseas"),
    ],
)
def test_region_from_places_not_names(text: str, expected: str | None) -> None:
    assert n.region_from_prose(text) == expected


def test_a_city_in_the_synopsis_is_not_the_region() -> None:
    listing = read("단편영화 배우 모집\n[시놉시스]\n부산에서 올라온 민지는 서울에 산다.")
    assert listing.region == ""


# --- Contact and apply method from the text -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "method", "target"),
    [
        ("지원: casting 골뱅이 naver.com", "email", "casting@naver.com"),
        ("메일 casting[at]naver[dot]com 으로", "email", "casting@naver.com"),
        ("casting @ naver . com 으로 보내주세요", "email", "casting@naver.com"),
        ("casting\uff20naver.com", "email", "casting@naver.com"),
        ("프로필은 이메일로 접수합니다.", "email", ""),
        ("https://forms.gle/abc123 로 지원", "external_url", "https://forms.gle/abc123"),
        ("오픈채팅 https://open.kakao.com/o/sAbc 로 문의", "external_url",
         "https://open.kakao.com/o/sAbc"),
    ],
)  # fmt: skip
def test_apply_from_text(text: str, method: str, target: str) -> None:
    listing = read(text)
    assert (listing.apply_method, listing.apply_target) == (method, target)


def test_apply_by_phone_when_only_a_phone_is_given() -> None:
    listing = read("연락처: 010-1234-5678")
    assert (listing.apply_method, listing.apply_target) == ("phone", "010-1234-5678")


# --- The splitter itself --------------------------------------------------------------------


def test_split_sections_reads_every_heading_shape() -> None:
    text = (
        "안녕하세요.\n[모집배역]\n- 지수 (20대, 여)\n【페이】 회차당 10만원\n"
        "■ 촬영장소 : 서울 마포구\n시놉시스\n이야기.\nㆍ접수마감 : 2024.09.04"
    )
    found = [(s.field, s.text) for s in sections.split_sections(text)]
    assert found == [
        (None, "안녕하세요."),
        ("roles", "- 지수 (20대, 여)"),
        ("pay", "회차당 10만원"),
        ("location", "서울 마포구"),
        ("story", "이야기."),
        ("deadline", "2024.09.04"),
    ]


def test_reveal_emails_leaves_ordinary_text_alone() -> None:
    assert prose.reveal_emails("오후 3시 at 홍대") == "오후 3시 at 홍대"


def test_a_call_for_a_number_of_people_with_a_post_wide_age_is_one_role() -> None:
    text = (
        '"서울역 주변의 행락객과 전투 경찰 역에 필요한 150명의 엑스트라를 인터넷으로 뽑을 계획"'
        "이라고 밝혔다. 나이는 20대여야 한다."
    )
    assert role_tuples(read(text)) == [("배우", "any", 20, 29)]


def test_contrasted_groups_each_get_their_own_age() -> None:
    text = "모두 지원 가능하며, 성인 배역은 19세 이상, 아역은 8~15세로 제한한다."
    assert role_tuples(read(text)) == [("성인", "any", 19, None), ("아역", "any", 8, 15)]


def test_a_long_role_line_keeps_its_description_on_the_same_line() -> None:
    text = "[모집 배역]\n- 주인공 서은아 (17세, 여): " + "맞벌이로 바쁜 부모님의 외동딸. " * 8
    assert role_tuples(read(text)) == [("주인공 서은아", "female", 17, 17)]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("식사 및 2만~2만5천원의 일비를 준다", n.PayValue("paid", 20_000, 25_000, "day")),
        ("일당 3만5000원", n.PayValue("paid", 35_000, 35_000, "day")),
        ("작품당 1억2천만원", n.PayValue("paid", 120_000_000, 120_000_000, "project")),
    ],
)
def test_amounts_written_in_two_parts(raw: str, expected: n.PayValue) -> None:
    assert n.parse_pay(raw) == expected


def test_groups_listed_inline_are_one_role_each() -> None:
    text = "모집 부문은 △어린이(5~7세) △학생(8~19세) △청년(20~39세) △시니어(60세 이상)이다."
    assert role_tuples(read(text)) == [
        ("어린이", "any", 5, 7),
        ("학생", "any", 8, 19),
        ("청년", "any", 20, 39),
        ("시니어", "any", 60, None),
    ]


def test_extras_sought_for_an_interview_make_an_extras_call() -> None:
    text = "영화 '주먹이 운다'에 출연할 엑스트라(보조출연자) 면접행사가 28일 열린다."
    assert n.parse_category("", text) == "extra"


def test_a_section_value_is_kept_raw_within_the_field_sizes() -> None:
    listing = read("[페이]\n회차당 200,000만원\n" + "교통, 숙박 별도 지원. " * 40)
    assert listing.pay_raw.startswith("회차당 200,000만원") and len(listing.pay_raw) <= 300
    listing = read("ㆍ접수마감 : 2024. 9. 4(수) " + "자정까지 " * 40)
    assert listing.deadline == date(2024, 9, 4) and len(listing.deadline_raw) <= 100


@pytest.mark.parametrize(
    "text",
    [
        "응시원서는 재단 홈페이지에서 내려받아 9월 10일 오후 6시까지 이메일로 제출하면 된다.",
        "공식 트위터와 페이스북을 통해 공지글을 올렸다.",
        "이 드라마는 회당 30분 분량, 총 24부작으로 제작한다.",
    ],
)
def test_pay_words_inside_other_words_say_nothing_of_pay(text: str) -> None:
    assert read(text).pay_type == "unknown"


def test_an_allowance_given_without_its_figure_is_paid() -> None:
    assert read("선발된 홍보모델에게는 소정의 활동비가 지원된다.").pay_type == "paid"


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        # The weekday says which year: 2023-04-14 was a Friday, 2027-04-14 is not.
        (
            "모집기간은 4월 5일(수) 부터 4월 14일(금) 까지이다.",
            date(2026, 12, 3),
            date(2023, 4, 14),
        ),
        ("12월 16일(수)까지 제출", date(2026, 12, 3), date(2026, 12, 16)),
        (
            "오는 6월 18일 신청 접수를 마감하는 이번 경연대회는",
            date(2023, 4, 12),
            date(2023, 6, 18),
        ),
        ("The deadline to submit is March 19, 2021, at 7 pm PST.", TODAY, date(2021, 3, 19)),
        ("오는 14일까지 신인배우를 공개오디션으로 선발한다.", date(2001, 8, 8), date(2001, 8, 14)),
    ],
)
def test_deadline_weekdays_words_between_and_english(text: str, today: date, expected) -> None:
    assert prose.deadline_from_prose(text, today=today) == expected


def test_both_genders_spelled_with_a_separator_and_counted_groups() -> None:
    listing = read("오디션 지원은 만 5세에서 만 13세 사이의 남·녀 어린이를 대상으로 한다.")
    assert role_tuples(listing) == [("남", "male", 5, 13), ("여", "female", 5, 13)]
    listing = read("보조 출연자는 10대에서 50대까지 남녀 4000여 명")
    assert [(r.gender, r.age_min, r.age_max) for r in listing.roles] == [
        ("male", 10, 59), ("female", 10, 59)
    ]  # fmt: skip


def test_a_school_of_theatre_is_not_theatre_and_a_copula_is_not_a_word() -> None:
    text = "목원대 아트스쿨연극원(원장 박철웅)은 어린이 창작뮤지컬인 '봉봉이'를 준비한다."
    assert n.parse_category(text) == "musical"


def test_roles_listed_inline_with_decades() -> None:
    text = (
        "캐스팅 후보는 작품 속 혜주(18세, 여자)역, 숙자(60대 중반, 여자)역, "
        "삼촌(50대 후반, 남자)역 등 모두 3명이다."
    )
    assert role_tuples(read(text)) == [
        ("혜주", "female", 18, 18), ("숙자", "female", 64, 66), ("삼촌", "male", 57, 59)
    ]  # fmt: skip


def test_everyone_is_not_two_roles_and_an_upper_bound_alone_is_kept() -> None:
    text = (
        "남녀노소 누구나 지원할 수 있으며 아동(유아~12세) 주니어(13~18세) 일반(19~29세) "
        "부문으로 나눠 선발한다."
    )
    assert role_tuples(read(text)) == [
        ("아동", "any", None, 12), ("주니어", "any", 13, 18), ("일반", "any", 19, 29)
    ]  # fmt: skip


def test_kinship_words_inside_other_words_say_no_gender() -> None:
    assert roles.gender_of("광고모델을 희망하는 노인") is None
    assert roles.gender_of("재민엄마") == "female"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("시민배우들은 대신, 상궁, 나인, 양반 등의 역할을 맡아 일상을 경험한다.",
         ["대신", "상궁", "나인", "양반"]),
        ("이번 오디션에서는 주·조연 및 앙상블, 아역, 댄서를 선발하며",
         ["주·조연", "앙상블", "아역", "댄서"]),
        ("워크숍에서 마사지사 역할을 맡을 8명의 시민을 모집한다.", ["마사지사"]),
        ("인기프로그램의 새로운 VJ를 공개 모집한다.", ["VJ"]),
    ],
)  # fmt: skip
def test_roles_named_in_a_sentence_without_ages(text: str, names: list[str]) -> None:
    assert [r.name for r in read(text).roles] == names


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        # The audition days are 모집-only; the application sentence names its own period.
        ("9월 10일(수)부터 11일(목)까지 아역 출연자를 모집하는 공개오디션을 개최한다. "
         "8월 18일(월)부터 31일(일)까지 온라인 신청을 받는다.",
         date(2025, 8, 12), date(2025, 8, 31)),
        ("1월 4일부터 29일까지 뮤즈 앱을 통해 접수하면 된다.",
         date(2020, 12, 28), date(2021, 1, 29)),
        ("희망자는 10일까지 E-Mail로 보내면 된다.", date(2004, 1, 6), date(2004, 1, 10)),
        ("오는 14일까지 전남도민 대상 100명 모집", date(2024, 4, 8), date(2024, 4, 14)),
    ],
)  # fmt: skip
def test_deadline_prefers_the_application_sentence(text: str, today: date, expected) -> None:
    assert prose.deadline_from_prose(text, today=today) == expected


@pytest.mark.parametrize(
    "text",
    [
        "단편영화 배우 모집합니다.\n모집마감: D-3",
        "단편영화 배우 모집합니다.\n[마감] D-3",
        "20대 여자 배우 모집합니다.\n[마감] D-3",
        "[모집 배역]\n민지 (20대 여자)\n[마감]\nD-day",
    ],
)
def test_a_deadline_marker_is_never_a_role(text: str) -> None:
    listing = read(text)
    assert all(role.name != "D" and role.age_min != 3 for role in listing.roles)
    assert listing.deadline in (date(2024, 9, 2), TODAY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A fee also given beside the expenses is a paid call.
        ("선발된 배우에게는 의상과 식사 제공, 출연료도 지급된다.", "paid"),
        ("출연료도 지급된다", "paid"),
        # A 없 about something else is not a refusal to pay.
        ("출연료는 경험이 없어도 지급합니다", "paid"),
        # Refusals of payment still are.
        ("출연료는 지급하지 않습니다", "unpaid"),
        ("출연료는 지급되지 않습니다. 식사 제공", "unpaid"),
        ("출연료 없음, 교통비 지급", "unpaid"),
        ("무페이, 식사 제공", "unpaid"),
        ("노개런티 재능기부 공연", "unpaid"),
    ],
)
def test_a_negation_is_one_of_payment(text: str, expected: str) -> None:
    assert n.parse_pay(text).type == expected
    assert read(f"단편영화 배우 모집합니다.\n{text}").pay_type == expected


def test_cells_read_as_labels_leave_the_free_text() -> None:
    from parsel import Selector

    page = Selector(
        text="<div id='post'><table>"
        "<tr><th>제작사</th><td>바람필름</td></tr>"
        "<tr><th>출연료</th><td>회차당 30만원</td></tr>"
        "<tr><th>비고</th><td>주차 가능</td></tr></table>"
        "<dl><dt>모집 마감일</dt><dd>2026-12-01</dd></dl>"
        "<p>단편영화 &lt;바람&gt; 배우를 모집합니다.</p></div>"
    ).css("#post")[0]

    values, free = LabelExtractor().extract(page)

    assert values == {"company": "바람필름", "pay": "회차당 30만원", "deadline": "2026-12-01"}
    # the cells read are not repeated; a cell no label names stays with the prose
    assert free.split() == ["비고", "주차", "가능", "단편영화", "<바람>", "배우를", "모집합니다."]


def test_an_english_post_reads_its_english_labels() -> None:
    listing = read(
        "Casting call: Seoul, Korea. Roles: Male, 30s. Pay: 200,000 KRW per day. "
        "Deadline: March 19, 2021. Apply: email",
        today=date(2021, 3, 1),
    )
    assert role_tuples(listing) == [("남", "male", 30, 39)]
    assert (listing.pay_type, listing.pay_amount_min, listing.pay_unit) == ("paid", 200000, "day")
    assert listing.deadline == date(2021, 3, 19)
    assert (listing.region, listing.apply_method) == ("seoul", "email")


def test_english_submission_and_location_labels() -> None:
    listing = read(
        "Location: Busan\nRole: Female lead, 20-25\nSubmissions: send a headshot to cast@film.kr"
    )
    assert role_tuples(listing) == [("Female lead", "female", 20, 25)]
    assert (listing.region, listing.apply_method, listing.apply_target) == (
        "busan", "email", "cast@film.kr",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("30s", (30, 39)), ("early 20s", (20, 23)), ("mid-30s", (34, 36)), ("late 40's", (47, 49))],
)
def test_english_decades(raw: str, expected: tuple) -> None:
    assert n.parse_age(raw) == expected
