"""Trust score (0-100) and flags, recomputed on every create and update.

The flags come from what performers report on casting boards: no pay stated, contact only
through a messenger, video demanded by email (personal-data harvesting), the same call
posted again and again, and no production named. Each flag carries the reason shown to staff
and performers.
"""

import re
from dataclasses import dataclass

from auditions.text import fold

# Repeats of the same title + company within this window make a call "reposted".
REPOST_WINDOW_DAYS = 90
REPOST_THRESHOLD = 3  # this posting and two earlier ones

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
}


# --- adult_content (issue #17) --------------------------------------------------------------
# Nudity, bed scenes, 19-rated work: never listed, recommended or appliable for members under
# 19 (auditions.selectors, applications.services). Only the words' adult-content senses
# count: bare 성인 is "grown-up" ("성인 남녀 배우", "성인 배역은 19세 이상"), bare 노출 is
# "exposure" ("얼굴 노출", "광고 노출"), so both count in their compounds only, and a negation
# right after ("노출 없음", "베드신 없습니다", "노출 無") cancels a mention. Table-tested with
# real phrasings in auditions/tests/test_trust_adult_content.py.
ADULT_CONTENT = "adult_content"
_ADULT = re.compile(
    r"(?<!\d)19금|(?<!\d)19\s*禁|청소년\s*관람\s*불가|청불|"
    r"베드\s*[신씬]|정사\s*(?:신|씬|장면)|애정\s*신\s*수위|"
    r"(?:신체|알몸|전신|상반신|하반신|전라|부분)\s*노출|노출\s*(?:신|씬|장면|연기|촬영|수위|필수|있음|있습니다|가능)|"
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
    }


# Flags that keep an audition away from members under 19 altogether (list, detail, apply).
HIDDEN_FROM_MINORS = (ADULT_CONTENT,)
# Flags that keep it out of minors' recommendations. #18 adds its fee flag (`fee_requested`)
# here; until then the nearest sign of the fee scams aimed at parents is a messenger-only
# contact.
NOT_RECOMMENDED_TO_MINORS = (*HIDDEN_FROM_MINORS, "messenger_only_contact")
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


def assess(data: TrustInput) -> tuple[int, list[dict[str, str]]]:
    flags: list[dict[str, str]] = []

    def flag(code: str, reason: str) -> None:
        flags.append({"code": code, "reason": reason})

    if data.pay_type == "unknown" and data.pay_amount_min is None and data.pay_amount_max is None:
        flag("no_pay_stated", "The call does not say whether or how much it pays.")

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
        )

    wants_video = "video" in [media.lower() for media in data.required_media] or bool(
        _VIDEO.search(everything)
    )
    by_email = data.apply_method == "email" or bool(_EMAIL_WORD.search(everything))
    if wants_video and by_email:
        flag(
            "video_requested_by_email",
            "Applicants are asked to send videos by email: check who receives them.",
        )

    if data.repost_count >= REPOST_THRESHOLD:
        flag(
            "reposted_many_times",
            f"The same call was posted {data.repost_count} times in {REPOST_WINDOW_DAYS} days.",
        )

    if not any(
        value.strip()
        for value in (data.company, data.production_type, data.director, data.casting_director)
    ):
        flag(
            "no_production_info",
            "No company, production, director or casting director is named.",
        )

    adult = _adult_content_flag(data)
    if adult is not None:
        flags.append(adult)

    score = max(0, 100 - sum(PENALTIES[item["code"]] for item in flags))
    return score, flags
