"""Facts a post states in sentences rather than labels: the deadline (`오는 14일까지 접수`),
the pay (`※ 페이는 … 7만원`, `배우페이는 지급하지 않습니다`) and how to apply (`이메일로 접수`,
an address written `name 골뱅이 domain`, a Google Form, a Kakao open chat).

Read only where the labels and sections said nothing; each reader looks at the sentences that
are about its subject, so a performance period or a usual day rate quoted in passing is not
taken for the call's own deadline or fee.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from crawlers.scraper import normalize as n

_SENTENCE = re.compile(r"(?<=[^\d\s][.!?。])\s+|\n+")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(n.clean_text(text)) if s and s.strip()]


# --- Deadline -------------------------------------------------------------------------------

# Sentences about applying; a sentence about a show or a shoot is not.
# Sentences about applying; a sentence about a show or a shoot is not. The strong words name
# the application itself; a sentence with only the weak ones (모집, 선발) is read when no
# strong one gives a date (`9월 10일부터 11일까지 … 모집하는 공개오디션` is the audition).
_APPLY_STRONG = re.compile(
    r"접수|마감|신청|응모|제출|서류|원서|보내\s*주|희망자|e-?mail|이메일|메일", re.I
)
_APPLY_WORDS = re.compile(r"지원|전형|참여\s*가능|참가\s*가능|모집|선발")
# `1월 4일부터 29일까지`: the end's month is the start's.
_PERIOD_START = re.compile(
    r"(?:(\d{4})\s*[.년/-]\s*)?(\d{1,2})\s*월\s*\d{1,2}\s*일?\s*(?:\([^)]{1,4}\))?\s*(?:부터|~|-)\s*$"
)
_DATE = (
    r"(?:(?P<year>\d{4})\s*[.년/-]\s*)?(?:(?P<month>\d{1,2})\s*(?:월|[./])\s*)?"
    r"(?P<day>\d{1,2})\s*일?"
)
_REL_MONTH = r"(?P<rel>내달|다음\s*달|이달|이번\s*달)?\s*"
_UNTIL = re.compile(
    rf"(?<![\d.]){_REL_MONTH}{_DATE}(?![\d.])\s*(?:\([^)]{{1,4}}\))?\s*"
    r"(?:(?:오전|오후|밤|낮)?\s*\d{1,2}\s*시(?:\s*\d{1,2}\s*분)?|자정|\d{1,2}:\d{2})?\s*"
    r"(?P<end>까지|(?:\s*[가-힣]+){0,2}?\s*(?:을|를|로)?\s*마감)"
)
_EN_DEADLINE = re.compile(r"deadline|apply by|submit(?:ted)? by|no later than|closes on", re.I)
_WEEKDAYS = "월화수목금토일"


def _matching_weekday(found: date, weekday: str) -> date:
    """A date whose year was guessed, moved to the nearest earlier year in which it falls on
    the weekday the post wrote beside it (`4월 14일(금)`): a weekday that does not fit the
    guessed year says the post is older than the reading date. Unchanged when none is near."""
    wanted = _WEEKDAYS.index(weekday)
    if found.weekday() == wanted:
        return found
    for offset in (-1, -2, -3, -4, -5, -6, -7, -8, -9, -10, 1):
        other = n._safe_date(found.year + offset, found.month, found.day)
        if other and other.weekday() == wanted:
            return other
    return found


def _day_from(match: re.Match[str], today: date, before: str = "") -> date | None:
    found = _day_in(match, today)
    start = _PERIOD_START.search(before)
    if found and start and match.group("month") is None:
        # A period's end written as a day alone takes the start's month (and year).
        year = int(start.group(1)) if start.group(1) else None
        found = n._safe_date(year or found.year, int(start.group(2)), found.day) or found
        if year is None and found < today - timedelta(days=183):
            found = n._safe_date(found.year + 1, found.month, found.day) or found
    weekday = re.search(r"\(\s*([월화수목금토일])\s*(?:요일)?\s*\)", match.group(0))
    if found and weekday and not match.group("year"):
        return _matching_weekday(found, weekday.group(1))
    return found


def _day_in(match: re.Match[str], today: date) -> date | None:
    year, month, day = match.group("year"), match.group("month"), int(match.group("day"))
    rel = re.sub(r"\s+", "", match.group("rel") or "")
    if year and month:
        return n._safe_date(int(year), int(month), day)
    if month:
        return n._with_year(int(month), day, today, "future")
    # A day alone (`오는 14일까지`) is this month's, or next month's once it has passed.
    first = today.replace(day=1)
    if rel in ("내달", "다음달") or (not rel and day < today.day):
        first = (first + timedelta(days=32)).replace(day=1)
    return n._safe_date(first.year, first.month, day)


def deadline_from_prose(text: str | None, *, today: date) -> date | None:
    """The first `… 까지` (or `… 마감`) date of a sentence about applying: `오는 2월13일 자정까지
    신청 접수`, `원서접수는 오는 26일부터 5월11일까지` (the end of a period), `01월 18일을
    마감으로`. Day-only dates count from `today` (the post's own date)."""
    weak: date | None = None
    for sentence in sentences(text or ""):
        if _EN_DEADLINE.search(sentence):
            found = n.parse_date(sentence[_EN_DEADLINE.search(sentence).start() :], today=today)
            if found.value:
                return found.value
        strong = bool(_APPLY_STRONG.search(sentence))
        if not strong and (weak is not None or not _APPLY_WORDS.search(sentence)):
            continue
        for match in _UNTIL.finditer(sentence):
            if match.group("month") is None and not re.search(r"일", match.group(0)):
                continue  # a bare number before 까지 is not a day
            found = _day_from(match, today, sentence[: match.start()])
            if found is not None and strong:
                return found
            if found is not None:
                weak = weak or found
                break
    return weak


# --- Pay ------------------------------------------------------------------------------------

# Pay words, never inside other words (홈페이지, 페이스북, 보수적) nor an episode's length
# (`회당 30분 분량`).
_PAY_SENTENCE = re.compile(
    r"(?<!홈)페이(?!지|스북)|출연료|출연비|활동비|보수(?!적)|수고비|사례비|사례금|개런티|급여|거마비|일당|일비"
    r"|무보수|무급|재능\s*기부|회차?\s*당(?!\s*\d+\s*분)"
)


def pay_from_prose(text: str | None) -> n.PayValue:
    """The pay the prose states: a refusal anywhere wins (`출연료 대신 티셔츠`), then the first
    sentence about pay that reads as something."""
    found = [n.parse_pay(s) for s in sentences(text or "") if _PAY_SENTENCE.search(s)]
    for pay in found:
        if pay.type == "unpaid":
            return pay
    for pay in found:
        if pay.type != "unknown":
            return pay
    return n.PayValue()


# --- How to apply ---------------------------------------------------------------------------

# Only between an address's parts: `casting 골뱅이 naver.com`, not `3시 at 홍대`.
_AT = re.compile(
    r"(?<=[A-Za-z0-9._%+-])\s*(?:골뱅이|\[\s*at\s*\]|\(\s*at\s*\)|\{\s*at\s*\}|\s+at\s+)\s*"
    r"(?=[A-Za-z0-9-]+\s*(?:\.|\[\s*dot|\(\s*dot|\s+dot\s|\s*닷))",
    re.I,
)
_DOT = re.compile(
    r"(?<=[A-Za-z0-9])\s*(?:\[\s*dot\s*\]|\(\s*dot\s*\)|\s+dot\s+|\s*닷\s*)\s*(?=[A-Za-z])",
    re.I,
)
_SPACED_EMAIL = re.compile(
    r"([A-Za-z0-9._%+-]+)\s*@\s*([A-Za-z0-9-]+(?:\s*\.\s*[A-Za-z0-9-]+)*\s*\.\s*[A-Za-z]{2,})"
)
_FORM = re.compile(r"https?://(?:docs\.google\.com/forms/\S+|forms\.gle/\S+|goo\.gl/forms/\S+)")
_OPEN_CHAT = re.compile(r"https?://open\.kakao\.com/\S+")
_EMAIL_SAID = re.compile(
    r"(?:이메일|e-?mail|메일|전자\s*우편)\s*(?:\([^)]*\)\s*)?(?:로|으로|을|를)?\s*(?:만\s*)?"
    r"(?:\S+\s+)?(?:접수|제출|지원|보내|신청|도착|응모|받)"
    r"|(?:접수|지원)\s*(?:메일|이메일)"
    r"|\b(?:by|via|through)\s+e-?mail\b|^\s*e-?mail\s*\.?\s*$",  # `Apply: email`
    re.I | re.M,
)


def reveal_emails(text: str) -> str:
    """Addresses written so that harvesters miss them, written back as addresses:
    `casting 골뱅이 naver.com`, `casting[at]naver[dot]com`, `casting @ naver . com`
    (a full-width at sign is already folded by NFKC)."""
    text = _AT.sub("@", text) if re.search(r"골뱅이|\bat\b|\[at\]|\(at\)", text, re.I) else text
    if "@" in text:
        text = _DOT.sub(".", text) if re.search(r"dot|닷", text, re.I) else text
        text = _SPACED_EMAIL.sub(lambda m: m.group(1) + "@" + re.sub(r"\s+", "", m.group(2)), text)
    return text


# An address given for questions (`(문의 031-290-3533/casting@…)`), not for applications.
# (`문의 및 접수: casting@…` is for applications too.)
_INQUIRY_BEFORE = re.compile(
    r"(?:문의|inquir(?:y|ies)|questions?)(?:(?!접수|지원|제출|신청|보내|응모|appl|submi)[^.\n@]){0,20}$",
    re.I,
)
# A sentence saying applications go through a web page (`접수는 … 홈페이지 내 … 가능하다`).
_VIA_PAGE = re.compile(
    r"(?:접수|신청|지원|응모)[^.\n]{0,40}(?:홈페이지|누리집|사이트|website)"
    r"|(?:홈페이지|누리집|사이트|website)[^.\n]{0,40}(?:접수|신청|지원|응모)",
    re.I,
)


def _inquiry_only(text: str, emails: tuple[str, ...]) -> bool:
    """Every address the text gives is one for questions, and applications go through a page."""
    if not _VIA_PAGE.search(text) or _EMAIL_SAID.search(text):
        return False
    folded = text.lower()
    for email in emails:
        at = folded.find(email)
        if at < 0 or not _INQUIRY_BEFORE.search(folded[max(0, at - 30) : at]):
            return False
    return True


@dataclass(frozen=True)
class Apply:
    method: str  # email / external_url / phone
    target: str


def apply_from_text(text: str | None) -> Apply | None:
    """How the post asks to be applied to, when its text says: a form link, an address, a
    Kakao open chat, an e-mail named without its address (`이메일로 접수`), a phone."""
    text = n.clean_text(text)
    if not text:
        return None
    if match := _FORM.search(text):
        return Apply("external_url", match.group(0).rstrip(".,)"))
    revealed = reveal_emails(text)
    contact = n.parse_contact(revealed)
    if contact.emails and _inquiry_only(revealed, contact.emails):
        # `접수는 … 홈페이지에서 (문의 …/casting@…)`: the page, never the inquiry address.
        page = next((url for url in contact.urls if "@" not in url), "")
        return Apply("external_url", page.rstrip(".,)"))
    if contact.emails:
        return Apply("email", contact.emails[0])
    if match := _OPEN_CHAT.search(text):
        return Apply("external_url", match.group(0).rstrip(".,)"))
    if _EMAIL_SAID.search(text):
        return Apply("email", "")
    return None
