"""The scam flags of #18, each with its table of real-world phrasings and of look-alikes that
must not flag, read three ways: by the assessment itself, through the crawler's normaliser and
ingest (the flags a crawled post really gets), and from saved board pages crawled by the
`board` spider (crawlers/fixtures/pages/board/g5_*_trust_*.html).

Sources of the wording (phones, e-mail local parts and names in samples are made up):
- KCAA warning: "참가비 요구", "고정출연을 보장하는 대신 수백만 원의 (제작)비용을 요구"
  https://mbn.co.kr/pages/news/newsView.php?news_seq_no=4981197
- JTBC: "보증금 명목으로 2억 2천만 원", "트레이너 비" http://news.jtbc.joins.com/html/298/NB10250298.html
- 일요서울: "트레이닝 비를 내야 하는데 6개월에 250만~300만원", "수강료를 요구"
  http://v658.ndsoftnews.net/news/articleView.html?idxno=7897
- 일요시사: "카메라 테스트 비용이 10만원", "소속비" https://ilyosisa.co.kr/news/section.html?sec_no=29
- 소비라이프: "카카오톡으로 ... 신분증과 함께 얼굴이 나오는 셀카"
  http://www.sobilife.com/news/articleView.html?idxno=15425
- 일간스포츠: SNL 코리아 오디션 사칭 https://v.daum.net/v/20240709184713422
- 넷플릭스 사칭 아역 오디션 (SNS)
  http://wooridesk.com/?code=%2Fdetail.php%3Fcafe_mkt%3D1722088726&product_no=41494
"""

import dataclasses
from datetime import date

import pytest

from auditions import services, trust
from auditions.models import Audition
from auditions.tests import factories
from crawlers.scraper.labels import LabelExtractor
from crawlers.scraper.pipelines import listing_from_item

TODAY = date(2026, 11, 20)


def healthy(**overrides) -> trust.TrustInput:
    """A call with nothing wrong: paid, a production named, a production's own mailbox."""
    fields = {
        "pay_type": "paid",
        "pay_amount_min": 100000,
        "pay_amount_max": 150000,
        "pay_raw": "회당 10만원",
        "apply_method": "email",
        "apply_target": "casting@filmsori.example",
        "contact_raw": "",
        "description": "",
        "required_media": [],
        "company": "필름소리",
        "production_type": "단편영화",
        "director": "",
        "casting_director": "",
        "repost_count": 1,
        "title": "단편영화 <소리> 배우 모집",
        "category": "film",
    }
    fields.update(overrides)
    return trust.TrustInput(**fields)


def codes(data: trust.TrustInput) -> list[str]:
    return [flag["code"] for flag in trust.assess(data)[1]]


FEE_POSITIVE = [
    "1차 합격자 카메라 테스트 비용 10만원 (합격 여부와 관계없이 환불)",  # 일요시사
    "합격 시 프로필 촬영비 별도 안내",
    "등록비 5만원 입금 후 오디션 일정을 안내드립니다",
    "오디션비 3만원은 당일 현장에서 결제",
    "참가비 2만원 (KCAA: 참가비 요구)",
    "에이전시 수수료 선입금 후 진행",
    "교육비 및 레슨비 월 30만원",
    "계약 시 보증금 100만원",  # JTBC: 보증금 명목
    "트레이닝 비를 내야 합니다 (6개월 250만원)",  # 일요서울
    "수강료 납부 후 출연 진행",  # 일요서울: 수강료를 요구
    "등록비 5만원 (환불 없음)",  # a "없음" after the amount does not waive the fee
    "소속비는 별도입니다",  # 일요시사
    "프로필 사진 촬영 비용 15만원",
]
FEE_NEGATIVE = [
    "교통비 지급",
    "참가비 없음",
    "수수료 없습니다",
    "참가비 및 등록비 일절 없음",
    "오디션 비공개로 진행합니다",
    "출연료 회당 10만원, 식비 제공",
    "프로필 촬영비 무료 (제작사 부담)",
    "오디션 비용은 받지 않습니다",
    "비대면 오디션, 영상 심사",
    "지난 오디션 비슷한 배역",
]


@pytest.mark.parametrize("text", FEE_POSITIVE)
def test_fee_requested_flags(text):
    assert "fee_requested" in codes(healthy(description=text))


@pytest.mark.parametrize("text", FEE_NEGATIVE)
def test_fee_look_alikes_do_not_flag(text):
    assert "fee_requested" not in codes(healthy(description=text))


ID_POSITIVE = [
    "지원 시 보호자 신분증 사본과 통장 사본을 함께 보내주세요",
    "출연료 지급을 위해 주민등록번호를 기재해 주세요",
    "신분증 사진을 카톡으로 보내주세요",  # 소비라이프
    "주민등록증 사본 첨부",
    "통장사본 제출",
]
ID_NEGATIVE = [
    "촬영 당일 신분증 지참 (본인 확인)",
    "주민등록번호는 받지 않습니다",
    "출연료는 촬영 후 통장으로 입금",
    "신분 확인은 계약 때 합니다",
]


@pytest.mark.parametrize("text", ID_POSITIVE)
def test_id_documents_requested_flags(text):
    assert "id_documents_requested" in codes(healthy(description=text))


@pytest.mark.parametrize("text", ID_NEGATIVE)
def test_id_look_alikes_do_not_flag(text):
    assert "id_documents_requested" not in codes(healthy(description=text))


GUARANTEE_POSITIVE = [
    "최종 합격자 고정 출연 보장",  # KCAA: 고정출연을 보장하는 대신
    "데뷔 보장 프로그램",
    "100% 캐스팅",
    "출연 100% 보장",
    "캐스팅 100%",
    "방송 출연을 보장합니다",
    "전원 합격 보장",
]
GUARANTEE_NEGATIVE = [
    "출연 보장은 없으며 오디션으로 선발합니다",
    "데뷔를 보장하지 않습니다",
    "출연료 100% 선지급",
    "4대 보험 보장",
    "합격자 개별 연락",
]


@pytest.mark.parametrize("text", GUARANTEE_POSITIVE)
def test_guarantee_promised_flags(text):
    assert "guarantee_promised" in codes(healthy(description=text))


@pytest.mark.parametrize("text", GUARANTEE_NEGATIVE)
def test_guarantee_look_alikes_do_not_flag(text):
    assert "guarantee_promised" not in codes(healthy(description=text))


UNPAID_COMMERCIAL_POSITIVE = [
    {"description": "브랜드 바이럴 영상 촬영, 페이 없음"},
    {"description": "쇼핑몰 화보 촬영 (무페이, 포트폴리오 제공)"},
    {"description": "CF 촬영 노개런티"},
    {"description": "제품 촬영 재능기부 부탁드립니다"},
    {
        "category": "commercial",
        "pay_type": "unpaid",
        "pay_amount_min": None,
        "pay_amount_max": None,
    },
    {"description": "넷플릭스 공개 작품, 출연료 없음"},
]
UNPAID_COMMERCIAL_NEGATIVE = [
    {"description": "단편영화 무페이 (졸업작품)"},
    {"description": "광고 촬영, 출연료 50만원"},
    {"category": "commercial"},
    {"description": "독립영화 재능기부"},
]


@pytest.mark.parametrize("overrides", UNPAID_COMMERCIAL_POSITIVE)
def test_unpaid_commercial_flags(overrides):
    assert "unpaid_commercial" in codes(healthy(**overrides))


@pytest.mark.parametrize("overrides", UNPAID_COMMERCIAL_NEGATIVE)
def test_unpaid_commercial_look_alikes_do_not_flag(overrides):
    assert "unpaid_commercial" not in codes(healthy(**overrides))


IMPERSONATION_POSITIVE = [
    {"title": "[넷플릭스] 신작 아역배우 오디션", "apply_target": "netflix.kids@gmail.com"},
    {
        "title": "tvN 드라마 단역 모집",
        "apply_method": "external_url",
        "apply_target": "https://open.kakao.com/o/abc",
    },
    {"title": "SNL코리아 크루 오디션", "apply_target": "snl.crew@naver.com"},  # 일간스포츠
    {"title": "HYBE 연습생 공개 오디션", "apply_target": "audition@daum.net"},
    {"company": "JYP", "apply_target": "jyp_audition@hanmail.net"},
    {"description": "CJ ENM 신인 배우 발굴", "apply_target": "cj.new@kakao.com"},
    {"title": "SM엔터테인먼트 캐스팅", "apply_target": "", "contact_raw": "카톡 아이디 smcast"},
    {"title": "JTBC 드라마 보조출연", "apply_target": "x@nate.com"},
]
IMPERSONATION_NEGATIVE = [
    {"title": "넷플릭스 공개 예정 단편 <소리> 출연자 모집"},  # the production's own mailbox
    {"title": "tvN 드라마 단역 모집", "apply_target": "casting@cjenm.example"},
    {"title": "단편영화 배우 모집", "apply_target": "film.sori@gmail.com"},  # nothing famous
    {"title": "smart 광고 모델", "apply_target": "x@gmail.com"},  # "sm" inside a word
    {"title": "tvnet 연기학원 공연", "apply_target": "x@naver.com"},  # "tvn" inside a word
    # an address is no claim: the famous word sits in the contact only
    {"description": "지원: netflix.fan@gmail.com", "apply_target": "netflix.fan@gmail.com"},
]


@pytest.mark.parametrize("overrides", IMPERSONATION_POSITIVE)
def test_impersonation_risk_flags(overrides):
    assert "impersonation_risk" in codes(healthy(**overrides))


@pytest.mark.parametrize("overrides", IMPERSONATION_NEGATIVE)
def test_impersonation_look_alikes_do_not_flag(overrides):
    assert "impersonation_risk" not in codes(healthy(**overrides))


def test_every_flag_has_a_reason_in_korean_and_english():
    data = healthy(
        title="[넷플릭스] 아역 오디션",
        category="commercial",
        pay_type="unknown",
        pay_amount_min=None,
        pay_amount_max=None,
        pay_raw="",
        apply_method="external_url",
        apply_target="https://open.kakao.com/o/kids",
        description="등록비 5만원, 신분증 사본, 데뷔 보장, 영상은 메일로, 무보수, 19금",
        company="",
        production_type="",
        repost_count=5,
        poster_reply_rate=0.1,
    )
    score, flags = trust.assess(data)
    assert {flag["code"] for flag in flags} == set(trust.PENALTIES)
    assert score == 0
    for flag in flags:
        assert flag["reason"] and flag["reason_ko"] and flag["reason"] != flag["reason_ko"]
    korean = trust.localized_flags(flags, "ko")
    english = trust.localized_flags(flags, "en")
    assert [f["reason"] for f in korean] == [f["reason_ko"] for f in flags]
    assert [f["reason"] for f in english] == [f["reason"] for f in flags]
    # a row stored before Korean reasons existed is served in English
    assert trust.localized_flags([{"code": "x", "reason": "old"}], "ko") == [
        {"code": "x", "reason": "old"}
    ]


# --- Through the normaliser and ingest: the flags a crawled post gets ---------------------------


def crawled(text: str, *, title: str = "단편영화 <소리> 배우 모집") -> Audition:
    """`text` as a board post: labels read by the extractor, normalised by the crawler's
    `listing_from_item`, ingested through the service."""
    labelled, free = LabelExtractor().from_text(text)
    item = {
        **labelled,
        "url": f"https://board.example/post/{abs(hash(text + title))}",
        "title": title,
        "description": free,
        "company": labelled.get("company") or "필름소리",
    }
    listing = listing_from_item(item, source_slug="filmmakers", today=TODAY)
    listing = dataclasses.replace(listing, deadline=None)  # rolling: never expired on arrival
    result = services.audition_ingest_listing(listing=listing)
    return Audition.objects.get(pk=result.audition_id)


HEADER = "작품명: 소리\n출연료: 회당 15만원\n이메일: casting@filmsori.example\n"


@pytest.mark.parametrize(
    ("flag", "text"),
    [
        *(("fee_requested", line) for line in FEE_POSITIVE),
        *(("id_documents_requested", line) for line in ID_POSITIVE),
        *(("guarantee_promised", line) for line in GUARANTEE_POSITIVE),
    ],
)
def test_phrasings_flag_through_the_normaliser(source, flag, text):
    audition = crawled(HEADER + text)
    assert flag in [f["code"] for f in audition.trust_flags]


@pytest.mark.parametrize(
    ("flag", "text"),
    [
        *(("fee_requested", line) for line in FEE_NEGATIVE),
        *(("id_documents_requested", line) for line in ID_NEGATIVE),
        *(("guarantee_promised", line) for line in GUARANTEE_NEGATIVE),
    ],
)
def test_look_alikes_do_not_flag_through_the_normaliser(source, flag, text):
    audition = crawled(HEADER + text)
    assert flag not in [f["code"] for f in audition.trust_flags]


def test_unpaid_commercial_and_impersonation_through_the_normaliser(source):
    viral = crawled(
        "출연료: 무페이\n이메일: brand@studio.example\n브랜드 바이럴 영상 촬영",
        title="뷰티 브랜드 바이럴 모델",
    )
    fake = crawled(
        "이메일: netflix.kids@gmail.com\n아역배우 모집", title="[넷플릭스] 신작 아역 오디션"
    )
    honest = crawled(HEADER + "넷플릭스 공개 예정", title="넷플릭스 공개 예정 단편 출연자 모집")

    assert "unpaid_commercial" in [f["code"] for f in viral.trust_flags]
    assert "impersonation_risk" in [f["code"] for f in fake.trust_flags]
    assert [f["code"] for f in honest.trust_flags] == []


def test_the_api_serves_reasons_in_the_readers_language(source, api_client, member):
    audition = factories.audition(description="등록비 5만원 입금 후 오디션")
    api_client.force_authenticate(member)

    member.language = "en"
    member.save(update_fields=["language"])
    [english] = api_client.get(f"/api/v1/auditions/{audition.id}").json()["trust"]["flags"]
    member.language = "ko"
    member.save(update_fields=["language"])
    [korean] = api_client.get(f"/api/v1/auditions/{audition.id}").json()["trust"]["flags"]

    assert english["code"] == korean["code"] == "fee_requested"
    assert english["reason"].startswith("Applicants are asked to pay")
    assert korean["reason"].startswith("지원자에게 비용")
