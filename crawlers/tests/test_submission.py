"""What an e-mail application needs from a post (issue 16): whether it refuses third-party
submissions (`apply.direct_only`) and the subject line it asks for (`apply.subject_format`).
Detectors on phrases (refusals and their look-alikes), then a post read by the normaliser,
ingested and shown by the API, and a staff edit that crawls leave alone."""

from datetime import date

import pytest

from accounts.models import Member
from auditions import services
from auditions.models import Audition
from auditions.tests import factories
from crawlers.scraper.labels import LabelExtractor
from crawlers.scraper.pipelines import listing_from_item
from crawlers.scraper.submission import SUBJECT_FORMAT_MAX, direct_only, subject_format

TODAY = date(2026, 12, 3)


def read(
    text: str, *, title: str = "단편영화 <여름> 배우 모집", url: str = "https://example.test/1"
):
    labelled, free = LabelExtractor().from_text(text)
    item = {**labelled, "url": url, "title": title, "description": free}
    return listing_from_item(item, source_slug="filmmakers", today=TODAY)


# --- direct_only ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "대리 접수 불가합니다.",
        "※ 대리지원 불가",
        "대리접수는 받지 않습니다.",
        "대리 접수 안 받습니다",
        "대리 지원 사절",
        "프로필 대행업체 접수 사절합니다.",
        "지원은 반드시 본인이 직접 해주세요.",
        "본인이 직접 지원해 주시기 바랍니다.",
        "배우 본인 직접 지원만 받습니다.",
        "직접 지원만 가능합니다",
        "본인만 지원 가능합니다.",
        "소속사 지원 불가",
        "소속사를 통한 지원은 받지 않습니다.",
        "에이전시 프로필 사절",
        # Agencies may apply, profile-tour services may not: the platform is the latter.
        "소속사 지원 가능 (대리 접수 불가)",
        "No agencies, please.",
        "No third-party submissions.",
        "Applicants must apply themselves.",
        "Agency submissions will not be accepted.",
        "We do not accept agent submissions.",
        "Self-submissions only.",
    ],
)
def test_a_refusal_of_third_party_submissions_is_direct_only(text: str) -> None:
    assert direct_only(text) is True


@pytest.mark.parametrize(
    "text",
    [
        "소속사 통한 지원 가능합니다.",
        "에이전시 지원 환영",
        "대리 접수도 가능합니다.",
        "불가피한 경우 대리 접수 가능",
        "본인이 직접 지원해도 되고 소속사를 통해도 됩니다.",
        "소속사 유무와 상관없이 누구나 지원 가능",
        "매니저 동반 불가",
        # `직접` and `본인` about something else (from posts in the corpus).
        "구청 홈페이지에서 직접 신청하면 된다.",
        "온라인 지원서와 직접 촬영한 자유 연기 동영상을 업로드하면 된다.",
        '아카데미 또는 에이전시, 학원에서 진행되는 형식상 오디션과 달리 "제작사가 직접 나서 배역을 '
        '캐스팅 하겠다"고 밝혔다.',
        "사무실에 직접 방문하거나 등기우편으로 지원서를 제출하면 된다.",
        "양천구 소개를 주제로 한 본인 출연 영상 파일 1개를 제출하면 된다.",
        "No agent required.",
        "No agency fees.",
        "No agent? No problem.",
        "",
    ],
)
def test_permissions_and_look_alikes_are_not_direct_only(text: str) -> None:
    assert direct_only(text) is False


# --- subject_format -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("메일 제목: [배역/이름/나이/연락처]", "[배역/이름/나이/연락처]"),
        ('제목에 "지원배역_이름_나이" 기재 부탁드립니다.', "지원배역_이름_나이"),
        ("제목은 [OO 오디션] 이름/나이/키 로 보내주세요.", "[OO 오디션] 이름/나이/키"),
        ("메일 제목은 [지원배역/이름/나이/키]로 통일해 주세요.", "[지원배역/이름/나이/키]"),
        ("이메일 제목에 배역명_이름_나이를 기재해주세요", "배역명_이름_나이"),
        ("메일 제목 : [마음 오디션 지원]", "[마음 오디션 지원]"),
        ("[지원배역/이름/나이] 형식으로 메일 제목을 달아주세요", "[지원배역/이름/나이]"),
        ("Subject: Role - Name - Age", "Role - Name - Age"),
        ('Please put "CASTING: (Your name)" in the subject line.', "CASTING: (Your name)"),
    ],
)
def test_the_requested_subject_is_taken_as_written(text: str, expected: str) -> None:
    assert subject_format(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "제목: 차마 하지 못했던 말 (가제)",  # the work's title (corpus 001)
        "제목 : 비(非) 정의",
        "제목 : 2018 한국예술종합학교 영상원 영화과 제20회 졸업영화제 '스물'",  # an event's name
        "작품 제목: 마음",
        "작품 제목은 [마음]",
        "'영화 요술에 참여하실 분을 찾습니다'라는 제목으로 공고를 띄웠다.",
        "메일 제목은 자유입니다.",
        "The subject of the film is love.",
        "",
    ],
)
def test_a_title_or_a_free_subject_is_no_format(text: str) -> None:
    assert subject_format(text) == ""


def test_a_long_format_is_bounded() -> None:
    found = subject_format("메일 제목: [" + "이름/" * 100 + "]")
    assert 0 < len(found) <= SUBJECT_FORMAT_MAX


# --- Through the normaliser, the catalogue and the API ---------------------------------------

POST = """안녕하세요. 단편영화 <여름> 연출팀입니다.
모집배역
수진 (20대 여자)
지원방법
이메일: casting@example.com
메일 제목: [여름/배역/이름/나이]
프로필과 연기영상을 보내주세요. 대리 접수 불가, 본인이 직접 지원해 주세요.
"""


def test_the_normaliser_reads_both_from_a_board_post() -> None:
    listing = read(POST)

    assert (listing.apply_method, listing.apply_target) == ("email", "casting@example.com")
    assert listing.apply_direct_only is True
    assert listing.apply_subject_format == "[여름/배역/이름/나이]"


def test_a_post_saying_neither_reads_as_open_with_no_format() -> None:
    listing = read("배우 모집합니다. 지원방법: 이메일 casting@example.com 으로 프로필 보내주세요.")

    assert listing.apply_direct_only is False
    assert listing.apply_subject_format == ""


@pytest.mark.django_db
def test_the_api_shows_direct_only_and_the_subject_format(api_client) -> None:
    factories.source()
    result = services.audition_ingest_listing(listing=read(POST))
    open_call = services.audition_ingest_listing(
        listing=read("지원: 이메일 open@example.com", url="https://example.test/2")
    )
    api_client.force_authenticate(factories.member())

    shown = api_client.get(f"/api/v1/auditions/{result.audition_id}").json()["apply"]
    other = api_client.get(f"/api/v1/auditions/{open_call.audition_id}").json()["apply"]

    assert shown == {
        "method": "email",
        "target": "casting@example.com",
        "direct_only": True,
        "subject_format": "[여름/배역/이름/나이]",
    }
    assert other["direct_only"] is False
    assert other["subject_format"] is None


@pytest.mark.django_db
def test_a_staff_edit_of_direct_only_is_kept_against_crawls() -> None:
    factories.source()
    result = services.audition_ingest_listing(listing=read(POST))
    audition = Audition.objects.get(pk=result.audition_id)
    staff = Member.objects.create_user("staff@example.com", "a-long-password-1", is_staff=True)

    factories.staff_edit(audition, actor=staff, apply_direct_only=False)
    changed = read(POST.replace("본인이 직접", "꼭 본인이 직접"))
    services.audition_ingest_listing(listing=changed)

    audition.refresh_from_db()
    assert "apply_direct_only" in audition.staff_locked_fields
    assert audition.apply_direct_only is False
    assert audition.apply_subject_format == "[여름/배역/이름/나이]"


# --- The e-mail target ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Corpus 115: applications through the festival's page, the address only for questions.
        (
            "접수는 수원연극축제 홈페이지(http://stf.example.kr) 내 교육정보에서 가능하다."
            "(문의 031-290-3533/info@example.kr)",
            ("external_url", "http://stf.example.kr"),
        ),
        # Addresses for applications stay the target.
        (
            "접수는 홈페이지에서 확인 후 가능하다. 문의 및 접수: casting@example.com",
            ("email", "casting@example.com"),
        ),
        (
            "지원서는 홈페이지에서 내려받아 이메일로 접수한다. (문의 casting@example.com)",
            ("email", "casting@example.com"),
        ),
        (
            "이메일(casting@example.com) 또는 전화로 문의하면 된다.",
            ("email", "casting@example.com"),
        ),
    ],
)
def test_an_address_given_only_for_questions_is_not_the_target(text: str, expected) -> None:
    listing = read(text)
    assert (listing.apply_method, listing.apply_target) == expected
