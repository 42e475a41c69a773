"""Trust score (0-100) and flags, recomputed on every create and update.

The flags come from what performers report on casting boards: no pay stated, contact only
through a messenger, video demanded by email (personal-data harvesting), the same call
posted again and again, and no production named; and from the scams news reports and the
Korea Child Actors Association warn about (#18): fees asked of applicants, ID and bank-book
copies, debuts "guaranteed", unpaid commercial work, famous names on a free mailbox.

Each flag is stored as `{"code", "reason", "reason_ko"}`: `reason` in English (staff, the
admin) and `reason_ko` in Korean; the API serves the one in the reader's language
(`localized_flags`). A flag without `reason_ko` (older rows) falls back to `reason`.
"""

import re
from dataclasses import dataclass

from auditions.text import fold

# Repeats of the same title + company within this window make a call "reposted".
REPOST_WINDOW_DAYS = 90
REPOST_THRESHOLD = 3  # this posting and two earlier ones
# Below this share of applications answered, a poster "rarely replies" (auditions.posters).
POOR_REPLY_RATE = 0.2

_MESSENGER = re.compile(
    r"kakao|카카오|카톡|오픈\s*채팅|open\s*chat|open\.kakao|telegram|텔레그램|t\.me/|"
    r"\bline\b|라인\s*(?:id|아이디)|line\s*id"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"\b0\d{1,2}[-.\s]?\d{3,4}[-.\s]?\d{4}\b")
_VIDEO = re.compile(r"video|영상|동영상|셀프\s*테이프|self[-\s]*tape|연기\s*영상")
_EMAIL_WORD = re.compile(r"e-?mail|이메일|메일")

PENALTIES = {
    "no_pay_stated": 25,
    "messenger_only_contact": 30,
    "video_requested_by_email": 20,
    "reposted_many_times": 15,
    "no_production_info": 20,
    "adult_content": 0,  # issue #17: not a sign of fraud, a rule for minors (see below)
    # #18: money or identity asked of applicants is the scam itself, not a sloppy post.
    "fee_requested": 50,
    "id_documents_requested": 50,
    "guarantee_promised": 40,
    "unpaid_commercial": 20,
    "impersonation_risk": 40,
    # A poster whose calls our members rarely hear back from (auditions.posters).
    "poster_rarely_replies": 20,
}


# --- adult_content (issue #17) --------------------------------------------------------------
# Nudity, bed scenes, 19-rated work: never listed, recommended or appliable for members under
# 19 (auditions.selectors, applications.services). Only the words' adult-content senses
# count: bare 성인 is "grown-up" ("성인 남녀 배우", "성인 배역은 19세 이상"), bare 노출 is
# "exposure" ("얼굴 노출", "광고 노출"), so both count in their compounds only, and a negation
# right after ("노출 없음", "베드신 없습니다", "노출 無") cancels a mention. 노출 may take a
# particle before its verb ("노출이 있는 역할", "노출 有"); after 얼굴/브랜드/광고 it is
# exposure. Table-tested with real phrasings in auditions/tests/test_trust_adult_content.py.
ADULT_CONTENT = "adult_content"
_ADULT = re.compile(
    r"(?<!\d)19금|(?<!\d)19\s*禁|청소년\s*관람\s*불가|청불|"
    r"베드\s*[신씬]|정사\s*(?:신|씬|장면)|애정\s*신\s*수위|"
    r"(?:신체|알몸|전신|상반신|하반신|전라|부분)\s*노출|"
    r"(?<!얼굴)(?<!얼굴 )(?<!브랜드)(?<!브랜드 )(?<!광고)(?<!광고 )"
    r"노출\s*(?:[이가은는도]\s*)?(?:있\w*|有|포함|신|씬|장면|연기|촬영|수위|필수|가능)|"
    r"알몸|전라\s*연기|누드|"
    r"성인\s*(?:연극|영화|물|콘텐츠|컨텐츠|화보|방송|vod|웹툰|용)|에로\s*(?:영화|배우|물|틱)|"
    r"고수위|높은\s*수위|수위\s*(?:가|는|이)?\s*(?:높|있|센|강)|"
    r"\bnud(?:e|ity)\b|\b(?:sex|bed|love)\s*scenes?\b|\badult\s*(?:film|content|movie)s?\b"
)
# "노출 없음", "(베드신이) 없다", "노출 無", "노출 x", "노출은 전혀 없", "no nudity": denied.
_ADULT_DENIED_BEFORE = re.compile(r"(?:\bno|\bwithout|\bnot)\s*$")
_ADULT_DENIED = re.compile(
    r"^\s*(?:[은는이가]\s*)?(?:\)\s*)?(?:전혀\s*|절대\s*)?(?:없|無|x\b|no\b|불가|아님|금지)"
)


def adult_content_terms(text: str) -> list[str]:
    """The adult-content mentions of `text` (folded), negated ones left out."""
    folded = fold(text)
    found = []
    for match in _ADULT.finditer(folded):
        after = folded[match.end() : match.end() + 12]
        before = folded[max(0, match.start() - 10) : match.start()]
        if not (_ADULT_DENIED.match(after) or _ADULT_DENIED_BEFORE.search(before)):
            found.append(match.group(0).strip())
    return found


def _adult_content_flag(data: "TrustInput") -> dict[str, str] | None:
    terms = adult_content_terms(f"{data.title}\n{data.description}")
    if not terms:
        return None
    shown = ", ".join(dict.fromkeys(terms))
    return {
        "code": ADULT_CONTENT,
        "reason": f"The call mentions adult content ({shown}): not shown to members under 19.",
        "reason_ko": (
            f"성인 내용이 언급된 공고입니다({shown}). 만 19세 미만 회원에게는 보이지 않습니다."
        ),
    }


# Flags that keep an audition away from members under 19 altogether (list, detail, apply).
HIDDEN_FROM_MINORS = (ADULT_CONTENT,)
# Flags that keep it out of minors' recommendations: the fee, ID and "debut guaranteed" scams
# aimed at parents (#18), and a messenger-only contact, the usual channel of those scams.
NOT_RECOMMENDED_TO_MINORS = (
    *HIDDEN_FROM_MINORS,
    "fee_requested",
    "id_documents_requested",
    "guarantee_promised",
    "messenger_only_contact",
)
# --- end adult_content ----------------------------------------------------------------------


@dataclass(frozen=True)
class TrustInput:
    pay_type: str
    pay_amount_min: int | None
    pay_amount_max: int | None
    pay_raw: str
    apply_method: str
    apply_target: str
    contact_raw: str
    description: str
    required_media: list[str]
    company: str
    production_type: str
    director: str
    casting_director: str
    repost_count: int  # postings of the same title + company in the window, this one included
    title: str = ""  # read by the adult_content flag (issue #17)
    title: str = ""
    category: str = ""
    # The poster's reply rate from our members' applications (auditions.posters); None under
    # the privacy floor or for an unknown poster.
    poster_reply_rate: float | None = None


def assess(data: TrustInput) -> tuple[int, list[dict[str, str]]]:
    flags: list[dict[str, str]] = []

    def flag(code: str, reason: str, reason_ko: str = "") -> None:
        item = {"code": code, "reason": reason}
        if reason_ko:
            item["reason_ko"] = reason_ko
        flags.append(item)

    if data.pay_type == "unknown" and data.pay_amount_min is None and data.pay_amount_max is None:
        flag(
            "no_pay_stated",
            "The call does not say whether or how much it pays.",
            "출연료 지급 여부나 금액이 적혀 있지 않습니다.",
        )

    contact = fold(" ".join([data.apply_target, data.contact_raw]))
    everything = fold(" ".join([contact, data.description]))
    has_other_channel = (
        data.apply_method == "in_app"
        or bool(_EMAIL.search(contact) or _PHONE.search(contact))
        or (
            data.apply_method == "external_url"
            and contact.startswith("http")
            and not _MESSENGER.search(contact)
        )
    )
    if _MESSENGER.search(everything) and not has_other_channel:
        flag(
            "messenger_only_contact",
            "The only way to reach the poster is a messenger (KakaoTalk, open chat, Telegram, "
            "LINE): no email, phone or site.",
            "연락 방법이 메신저(카카오톡, 오픈채팅, 텔레그램, 라인)뿐이고 이메일, 전화, 사이트가 "
            "없습니다.",
        )

    wants_video = "video" in [media.lower() for media in data.required_media] or bool(
        _VIDEO.search(everything)
    )
    by_email = data.apply_method == "email" or bool(_EMAIL_WORD.search(everything))
    if wants_video and by_email:
        flag(
            "video_requested_by_email",
            "Applicants are asked to send videos by email: check who receives them.",
            "지원 영상을 이메일로 보내라고 합니다. 받는 사람이 누구인지 확인하세요.",
        )

    if data.repost_count >= REPOST_THRESHOLD:
        flag(
            "reposted_many_times",
            f"The same call was posted {data.repost_count} times in {REPOST_WINDOW_DAYS} days.",
            f"같은 공고가 {REPOST_WINDOW_DAYS}일 동안 {data.repost_count}번 올라왔습니다.",
        )

    if not any(
        value.strip()
        for value in (data.company, data.production_type, data.director, data.casting_director)
    ):
        flag(
            "no_production_info",
            "No company, production, director or casting director is named.",
            "제작사, 작품, 감독, 캐스팅 디렉터가 밝혀져 있지 않습니다.",
        )

    text = fold(" ".join([data.title, data.pay_raw, data.description]))
    # --- #18 scam signals: each block self-contained (its pattern and its flag) ---------------
    if fee_requested(text):
        flag(
            "fee_requested",
            "Applicants are asked to pay (registration, audition, profile shoot, lessons or a "
            "deposit): real castings never charge performers.",
            "지원자에게 비용(등록비, 오디션비, 프로필 촬영비, 레슨비, 보증금 등)을 요구합니다. "
            "정상적인 오디션은 배우에게 돈을 받지 않습니다.",
        )
    if id_documents_requested(text):
        flag(
            "id_documents_requested",
            "Applicants are asked for an ID card or bank-book copy or a resident registration "
            "number: never send them before a contract.",
            "신분증 사본, 통장 사본이나 주민등록번호를 요구합니다. 계약 전에는 보내지 마세요.",
        )
    if guarantee_promised(text):
        flag(
            "guarantee_promised",
            "The call guarantees a debut, an appearance or casting: nobody can promise that.",
            "데뷔, 출연이나 캐스팅을 보장한다고 합니다. 누구도 약속할 수 없는 일입니다.",
        )
    if unpaid_commercial(data, text):
        flag(
            "unpaid_commercial",
            "An unpaid call for a commercial, a brand or a paid platform: commercial work is "
            "paid work.",
            "광고, 브랜드나 유료 플랫폼 촬영인데 출연료가 없습니다. 상업 촬영은 유급이어야 합니다.",
        )
    if impersonation_risk(data):
        flag(
            "impersonation_risk",
            "A well-known company or platform is named, but the contact is a free mailbox or a "
            "messenger: check with the company itself.",
            "유명 회사나 플랫폼 이름을 내세우지만 연락처가 무료 메일이나 메신저입니다. 해당 "
            "회사에 직접 확인하세요.",
        )
    if data.poster_reply_rate is not None and data.poster_reply_rate < POOR_REPLY_RATE:
        flag(
            "poster_rarely_replies",
            "Our members rarely hear back from this poster's calls.",
            "이 공고자의 공고에 지원한 회원들이 답을 거의 받지 못했습니다.",
        )

    adult = _adult_content_flag(data)
    if adult is not None:
        flags.append(adult)

    score = max(0, 100 - sum(PENALTIES[item["code"]] for item in flags))
    return score, flags


def localized_flags(flags: list[dict[str, str]], language: str) -> list[dict[str, str]]:
    """The stored flags as the API serves them: `code` and `reason` in `language` (ko or en),
    English where a Korean text is missing."""
    korean = language == "ko"
    return [
        {"code": item["code"], "reason": (korean and item.get("reason_ko")) or item["reason"]}
        for item in flags
    ]


# --- fee_requested ------------------------------------------------------------------------------
# Real wording: "참가비 요구" and "수업료 명목" (KCAA warning, https://mbn.co.kr/pages/news/
# newsView.php?news_seq_no=4981197), "보증금 명목으로 2억 2천만 원" (JTBC,
# http://news.jtbc.joins.com/html/298/NB10250298.html), "트레이닝 비를 내야 하는데"
# (http://v658.ndsoftnews.net/news/articleView.html?idxno=7897), "카메라 테스트 비용이 10만원",
# "소속비" (https://ilyosisa.co.kr/news/section.html?sec_no=29).
# "비" as a fee and not "비공개", "비밀", "비대면", "비디오", "비슷", "비교", "비전", "비자".
_BI = r"\s*비(?:용)?(?![공밀대디율중슷교전자])"
_FEE_WORDS = (
    rf"등록{_BI}|수수료|(?:프로필|사진)\s*(?:사진\s*)?촬영{_BI}|교육{_BI}|레슨{_BI}|수강료|"
    rf"수업료|트레이닝{_BI}|오디션{_BI}|오디션\s*(?:응시료|참가비)|응시료|참가{_BI}|"
    rf"보증금|소속{_BI}|가입{_BI}|카메라\s*테스트{_BI}|심사{_BI}|프로필\s*등록{_BI}"
)
_FEE = re.compile(rf"(?:{_FEE_WORDS})(?P<after>.{{0,14}})", re.DOTALL)
# "참가비 없음", "수수료 무료", "등록비 일절 없습니다": the post says there is none. Read up to
# the first digit only: "등록비 5만원 (환불 없음)" asks for a fee.
_NO_FEE = re.compile(r"없|無|무료|free|받지\s*않|일절|전혀|절대|안\s*받")
_NO_FEE_BEFORE = re.compile(r"(?:무료|no|노)\s*$")


def fee_requested(text: str) -> bool:
    """A fee asked of applicants, in the folded text; "참가비 없음" / "수수료 없습니다" / "무료
    등록비" say the opposite; 교통비 (travel money paid to the performer) is not a fee."""
    for match in _FEE.finditer(text):
        after = re.split(r"\d", match.group("after"), maxsplit=1)[0]
        before = text[max(0, match.start() - 6) : match.start()]
        if _NO_FEE.search(after) or _NO_FEE_BEFORE.search(before):
            continue
        return True
    return False


# --- id_documents_requested ---------------------------------------------------------------------
# Real wording: "신분증과 함께 얼굴이 나오는 셀카를 찍어 보낼 것을 요구" (http://www.sobilife.com/
# news/articleView.html?idxno=15425); bank books and resident numbers for "payroll" before any
# contract are the same harvest.
_ID_DOCS = re.compile(
    r"신분증\s*(?:사본|사진|앞\s*뒤|앞면|첨부)|주민\s*등록\s*증\s*(?:사본|사진)|"
    r"통장\s*(?:사본|사진)|주민\s*(?:등록)?\s*번호(?!\s*(?:는|를|은)?\s*(?:받지|요구하지|묻지))|"
    r"운전\s*면허증\s*사본|id\s*card\s*(?:copy|photo)|bank\s*book\s*copy"
)


def id_documents_requested(text: str) -> bool:
    return bool(_ID_DOCS.search(text))


# --- guarantee_promised -------------------------------------------------------------------------
# Real wording: "고정출연을 보장하는 대신 수백만 원의 (제작)비용을 요구" (KCAA warning, above),
# "더 빨리 데뷔시켜준다는 말에" (JTBC, above).
_GUARANTEE = re.compile(
    r"(?:데뷔|출연|고정\s*출연|캐스팅|방송\s*출연|계약)\s*(?:100\s*%\s*)?(?:을|를)?\s*보장|"
    r"100\s*%\s*(?:캐스팅|데뷔|출연|합격)|(?:캐스팅|데뷔|출연|합격)\s*100\s*%|"
    r"전원\s*(?:합격|캐스팅|출연)\s*(?:보장|확정)|guaranteed\s*(?:debut|casting|role)"
)
# "출연 보장은 없습니다", "보장하지 않습니다": an honest post says the opposite.
_NO_GUARANTEE_AFTER = re.compile(r"^\s*(?:은|는)?\s*(?:없|하지\s*않|되지\s*않|불가|x\b)")


def guarantee_promised(text: str) -> bool:
    for match in _GUARANTEE.finditer(text):
        if _NO_GUARANTEE_AFTER.search(text[match.end() : match.end() + 10]):
            continue
        return True
    return False


# --- unpaid_commercial --------------------------------------------------------------------------
# A commercial (CF, 광고, 바이럴) or a paid platform's production for no pay: 무페이/노개런티
# wording from casting boards ("페이 없음", "무보수", "노개런티", "재능기부").
_COMMERCIAL = re.compile(
    r"(?<![a-z])cf(?![a-z])|광고|바이럴|브랜드|홍보\s*영상|제품\s*촬영|쇼핑몰|화보|커머셜|commercial|"
    r"넷플릭스|netflix|티빙|tving|쿠팡\s*플레이|디즈니\s*플러스|웨이브|wavve|왓챠"
)
_UNPAID_WORDS = re.compile(
    r"무페이|노\s*페이|페이\s*(?:는|은)?\s*없|무보수|노\s*개런티|무\s*출연료|출연료\s*(?:는|은)?\s*없|"
    r"재능\s*기부|unpaid|no\s*pay"
)


def unpaid_commercial(data: TrustInput, text: str) -> bool:
    commercial = data.category == "commercial" or bool(_COMMERCIAL.search(text))
    unpaid = data.pay_type == "unpaid" or bool(_UNPAID_WORDS.search(text))
    return commercial and unpaid


# --- impersonation_risk -------------------------------------------------------------------------
# "'SNL 코리아' 관계자로부터 ... 오디션 사칭" (https://v.daum.net/v/20240709184713422),
# "'넷플릭스'를 사칭하여 아역배우 오디션을 진행" (http://wooridesk.com/?code=%2Fdetail.php%3Fcafe_mkt
# %3D1722088726&product_no=41494): a famous name on a free mailbox or a messenger.
# Latin names bounded by non-Latin letters only: "snl코리아" is SNL (Hangul is a word character,
# so \b would not split it), "kbsnet" is not KBS.
_FAMOUS = re.compile(
    r"넷플릭스|netflix|(?<![a-z])(?:snl|tvn|jtbc|kbs|mbc|sbs|jyp|hybe)(?![a-z])|"
    r"cj\s*enm|씨제이\s*이엔엠|쿠팡\s*플레이|coupang\s*play|디즈니\s*플러스|disney\s*\+|"
    r"티빙|tving|하이브|(?<![a-z])(?:sm|yg)\s*(?:엔터|ent)|에스엠\s*엔터|와이지\s*엔터|"
    r"스튜디오\s*드래곤|studio\s*dragon|카카오\s*엔터|kakao\s*ent"
)
_FREE_MAILBOX = re.compile(
    r"@(?:gmail|naver|daum|hanmail|kakao|nate|hotmail|outlook|yahoo|icloud|live|proton)\."
)


def impersonation_risk(data: TrustInput) -> bool:
    named = fold(" ".join([data.title, data.company, data.production_type, data.description]))
    # Addresses name no one: "netflix.fan@gmail.com" in the text is the contact, not a claim.
    named = _URL.sub(" ", _EMAIL.sub(" ", named))
    if not _FAMOUS.search(named):
        return False
    contact = fold(" ".join([data.apply_target, data.contact_raw]))
    return bool(_FREE_MAILBOX.search(contact) or _MESSENGER.search(contact))


_URL = re.compile(r"https?://\S+|www\.\S+")
