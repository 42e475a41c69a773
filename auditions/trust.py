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
}


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

    score = max(0, 100 - sum(PENALTIES[item["code"]] for item in flags))
    return score, flags
