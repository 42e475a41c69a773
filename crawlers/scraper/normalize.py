"""Pure functions that turn the text casting boards show into the catalogue's vocabulary.

Korean first: boards write dates as `2026.12.01`, `12월 5일(금)` or `~12/5`, pay as
`회차당 30만원`, ages as `20대 초반`. Every parser takes the raw text and returns a value (or
None when the text says nothing it can read); the pipeline keeps the raw text beside it, so
nothing a parser does not understand is lost. No Django, no Scrapy: table-tested on their own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime

# --- Text -----------------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def clean_text(text: str | None) -> str:
    """NFKC (full-width digits and colons become ASCII), no zero-width characters, runs of
    spaces collapsed, blank lines squeezed; newlines kept because they separate fields."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def one_line(text: str | None) -> str:
    return " ".join(clean_text(text).split())


# --- Dates ----------------------------------------------------------------------------------

ROLLING_MARKERS = (
    "상시",  # 상시모집, 상시 채용
    "채용시",  # 채용시 마감
    "채용 시",
    "충원시",
    "충원 시",
    "마감시까지",
    "선착순",
    "모집시 마감",
    "인원 마감시",
    "수시",
    "rolling",
    "until filled",
    "open until",
    "ongoing",
)


@dataclass(frozen=True)
class DateValue:
    value: date | None
    rolling: bool = False  # the text says the call has no fixed deadline


_YMD = re.compile(r"(?<!\d)(\d{4})\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})(?!\d)")
_YY_MD = re.compile(r"(?<![\d.])(\d{2})\.(\d{1,2})\.(\d{1,2})(?![\d.])")
_MD_KO = re.compile(r"(?<!\d)(\d{1,2})\s*월\s*(\d{1,2})\s*일")
_MD = re.compile(r"(?<![\d.])(\d{1,2})\s*[./]\s*(\d{1,2})(?![\d.]*\d{2,})(?!\d)")
_D_DAY = re.compile(r"D\s*-\s*(\d{1,3})", re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_EN_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_EN_DATE = re.compile(
    r"\b(" + "|".join(sorted(_EN_MONTHS, key=len, reverse=True)) + r")\.?\s+"
    r"(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b",
    re.IGNORECASE,
)

# `18 Nov 2026`, as British sites write it.
_EN_DATE_DMY = re.compile(
    r"\b(\d{1,2})\s+(" + "|".join(sorted(_EN_MONTHS, key=len, reverse=True)) + r")"
    r"\.?,?\s+(\d{4})\b",
    re.IGNORECASE,
)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _with_year(month: int, day: int, today: date, prefer: str) -> date | None:
    """A month and day without a year: the occurrence nearest the way the text points.

    A deadline (`prefer="future"`) written in December as `1/5` means next January; a post date
    (`prefer="past"`) written in January as `12/28` means last December. Half a year of slack
    either way keeps a deadline a few weeks past (a late re-post) in this year."""
    candidate = _safe_date(today.year, month, day)
    if candidate is None:
        # 2/29 in a non-leap year: the nearest leap year in the preferred direction.
        step = 1 if prefer == "future" else -1
        for offset in range(1, 5):
            candidate = _safe_date(today.year + step * offset, month, day)
            if candidate:
                return candidate
        return None
    if prefer == "future" and candidate < today - timedelta(days=183):
        return _safe_date(today.year + 1, month, day)
    if prefer == "past" and candidate > today + timedelta(days=31):
        return _safe_date(today.year - 1, month, day)
    return candidate


def parse_date(text: str | None, *, today: date, prefer: str = "future") -> DateValue:
    """The first date the text names. `상시모집` / `채용시 마감` are rolling (no date);
    relative forms (`오늘`, `내일`, `D-3`) count from `today`; a missing year is inferred."""
    text = one_line(text)
    if not text:
        return DateValue(None)
    lowered = text.lower()
    found = _first_date(text, today=today, prefer=prefer)
    if found is not None:
        return DateValue(found)
    if any(marker in lowered for marker in ROLLING_MARKERS):
        return DateValue(None, rolling=True)
    return DateValue(None)


def _first_date(text: str, *, today: date, prefer: str) -> date | None:
    candidates: list[tuple[int, date | None]] = []
    if match := _YMD.search(text):
        candidates.append((match.start(), _safe_date(*map(int, match.groups()))))
    if match := _YY_MD.search(text):
        year, month, day = map(int, match.groups())
        candidates.append((match.start(), _safe_date(2000 + year, month, day)))
    if match := _MD_KO.search(text):
        candidates.append((match.start(), _with_year(*map(int, match.groups()), today, prefer)))
    if match := _EN_DATE.search(text):
        month = _EN_MONTHS[match.group(1).lower()]
        day = int(match.group(2))
        if match.group(3):
            candidates.append((match.start(), _safe_date(int(match.group(3)), month, day)))
        else:
            candidates.append((match.start(), _with_year(month, day, today, prefer)))
    if match := _EN_DATE_DMY.search(text):
        month = _EN_MONTHS[match.group(2).lower()]
        day = _safe_date(int(match.group(3)), month, int(match.group(1)))
        candidates.append((match.start(), day))
    # m/d and m.d only where no fuller form claimed the same digits.
    for match in _MD.finditer(text):
        if any(start <= match.start() < start + 10 for start, _ in candidates):
            continue
        month, day = map(int, match.groups())
        if 1 <= month <= 12:
            candidates.append((match.start(), _with_year(month, day, today, prefer)))
        break
    if match := _D_DAY.search(text):
        candidates.append((match.start(), today + timedelta(days=int(match.group(1)))))
    for word, offset in (("오늘", 0), ("당일", 0), ("내일", 1), ("모레", 2)):
        if (position := text.find(word)) >= 0:
            candidates.append((position, today + timedelta(days=offset)))
    candidates = [(start, value) for start, value in candidates if value is not None]
    if not candidates:
        return None
    return min(candidates, key=lambda pair: pair[0])[1]


_RANGE_SPLIT = re.compile(
    r"\s*(?:~|-\s(?=\D*\d)|\u2013|\u2014|부터|to\b|until\b)\s*", re.IGNORECASE
)


def parse_date_range(
    text: str | None, *, today: date
) -> tuple[date | None, date | None]:
    """A period such as a shoot: `2026.12.10 ~ 12.15`, `12월 10일~12일`, `12/10`. The end may
    omit the year or month the start already gave."""
    text = one_line(text)
    if not text:
        return None, None
    parts = [part for part in _RANGE_SPLIT.split(text, maxsplit=1) if part.strip()]
    start = _first_date(parts[0], today=today, prefer="future") if parts else None
    end = None
    if len(parts) > 1:
        tail = parts[1]
        end = _first_date(tail, today=start or today, prefer="future")
        # `12월 10일~12일`: only the day is repeated.
        if end is None and start is not None and (match := re.match(r"^(\d{1,2})\s*일?", tail)):
            end = _safe_date(start.year, start.month, int(match.group(1)))
        if start and end and end < start:
            end = _safe_date(start.year + 1, end.month, end.day) or end
    return start, end or start


def parse_datetime(text: str | None, *, today: date) -> datetime | None:
    """A post time: ISO 8601 (JSON-LD, Atom), RFC 822 (RSS) or a board's `2026.11.20 14:33`.
    Naive results are local (Asia/Seoul) times; the service makes them aware."""
    text = one_line(text)
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    day = _first_date(text, today=today, prefer="past")
    if day is None:
        return None
    clock = re.search(r"(?<!\d)(\d{1,2}):(\d{2})(?::(\d{2}))?", text)
    hour, minute, second = (int(g or 0) for g in clock.groups()) if clock else (0, 0, 0)
    if clock and ("오후" in text or "pm" in text.lower()) and hour < 12:
        hour += 12
    try:
        return datetime(day.year, day.month, day.day, hour, minute, second)
    except ValueError:
        return datetime(day.year, day.month, day.day)


# --- Gender ---------------------------------------------------------------------------------

_ANY_GENDER = re.compile(
    r"남녀\s*무관|성별\s*무관|무관|남녀|남/여|여/남|남,\s*여|all genders|any gender", re.I
)
_FEMALE = re.compile(
    r"여자|여성|여배우|여\s*\d|\b여\b|^여$|female|woman|women|girl|\bf\b", re.I
)
_MALE = re.compile(
    r"남자|남성|남배우|남\s*\d|\b남\b|^남$|(?<!fe)male|\bman\b|\bmen\b|boy|\bm\b", re.I
)


def parse_gender(text: str | None) -> str | None:
    """`female`, `male` or `any`; None when the text does not say."""
    text = one_line(text)
    if not text:
        return None
    if _ANY_GENDER.search(text):
        return "any"
    female, male = bool(_FEMALE.search(text)), bool(_MALE.search(text))
    if female and male:
        return "any"
    if female:
        return "female"
    if male:
        return "male"
    return None


# --- Age ------------------------------------------------------------------------------------

_DECADE = re.compile(r"(\d{2})\s*대\s*(초반|중반|후반|초|중|후)?")
_BIRTH_YEAR = re.compile(r"(\d{2,4})\s*년생")
_AGE_RANGE = re.compile(r"(\d{1,2})\s*(?:세|살)?\s*[~\-\u2013]\s*(\d{1,2})\s*(?:세|살)")
_AGE_SINGLE = re.compile(r"(?:만\s*)?(\d{1,2})\s*(?:세|살)\s*(이상|이하|미만|초과)?")
_EN_AGE_RANGE = re.compile(r"(?:ages?|aged)?\s*(\d{1,2})\s*(?:-|\u2013|to)\s*(\d{1,2})", re.I)
_EN_AGE_PLUS = re.compile(r"(\d{1,2})\s*\+")
_DECADE_PART = {
    "초반": (0, 3), "초": (0, 3), "중반": (4, 6), "중": (4, 6), "후반": (7, 9), "후": (7, 9)
}  # fmt: skip


def parse_age(text: str | None, *, today: date | None = None) -> tuple[int | None, int | None]:
    """(min, max) in years, either open. `20대 초반` → (20, 23); `20~30대` → (20, 39);
    `만 19세 이상` → (19, None); `25-35세` → (25, 35); `1998년생~2002년생` → ages today."""
    text = one_line(text)
    if not text or re.search(r"나이\s*무관|연령\s*무관|^무관$|all ages", text, re.I):
        return None, None
    if births := _BIRTH_YEAR.findall(text):
        if today is None:
            return None, None
        years = sorted(int(y) + (1900 if int(y) > 30 else 2000) if len(y) == 2 else int(y)
                       for y in births)  # fmt: skip
        return today.year - years[-1] - 1, today.year - years[0]
    # `20~30대`: the first decade's number carries no 대 of its own.
    two_decades = r"(\d)0\s*(?:대)?\s*[~\-\u2013]\s*(\d)0\s*대\s*(초반|중반|후반|초|중|후)?"
    if match := re.search(two_decades, text):
        low, high = int(match.group(1)) * 10, int(match.group(2)) * 10
        end = _DECADE_PART.get(match.group(3) or "", (0, 9))[1]
        return low, high + end
    decades = _DECADE.findall(text)
    if decades:
        lows = [int(d) + _DECADE_PART.get(part, (0, 9))[0] for d, part in decades]
        highs = [int(d) + _DECADE_PART.get(part, (0, 9))[1] for d, part in decades]
        low, high = min(lows), max(highs)
        if "이상" in text and len(decades) == 1:
            return low, None
        if "이하" in text and len(decades) == 1:
            return None, high
        return low, high
    if match := _AGE_RANGE.search(text):
        low, high = sorted(map(int, match.groups()))
        return low, high
    if match := _AGE_SINGLE.search(text):
        age, bound = int(match.group(1)), match.group(2)
        if bound == "이상":
            return age, None
        if bound == "초과":
            return age + 1, None
        if bound == "이하":
            return None, age
        if bound == "미만":
            return None, age - 1
        return age, age
    if match := _EN_AGE_RANGE.search(text):
        low, high = sorted(map(int, match.groups()))
        return low, high
    if match := _EN_AGE_PLUS.search(text):
        return int(match.group(1)), None
    return None, None


# --- Pay ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PayValue:
    type: str = "unknown"  # paid / unpaid / negotiable / unknown
    amount_min: int | None = None
    amount_max: int | None = None
    unit: str = ""  # per_session / day / project / month
    currency: str = "KRW"


_UNPAID = re.compile(
    r"무\s*페이|무페|무보수|무급|노\s*페이|노\s*개런티|페이\s*없음|출연료\s*없음|재능\s*기부"
    r"|unpaid|no pay",
    re.I,
)
# Expenses alone are not a fee: `교통비 지급` is an unpaid call with its costs covered.
_EXPENSES_ONLY = re.compile(r"^(?:[^\d]*?)(교통비|식비|차비|식사\s*제공|간식)[^\d만원]*$")
_NEGOTIABLE = re.compile(
    r"협의|추후\s*(?:공지|안내|결정)|미정|면접\s*후|negotiable|tbd|doe\b", re.I
)
_UNITS = (
    ("per_session", re.compile(r"회차당|회당|회차\s*별|/\s*회|per session|per episode", re.I)),
    ("day", re.compile(r"일당|하루|1일|일\s*기준|/\s*일|per day|/\s*day|daily|day rate", re.I)),
    ("month", re.compile(r"월급|월\s*\d|/\s*월|월\s*기준|per month|/\s*month|monthly", re.I)),
    ("project", re.compile(r"작품당|편당|건당|총\s*\d|전체|per project|flat|total", re.I)),
)
_CURRENCIES = (
    ("USD", re.compile(r"\$|usd|달러", re.I)),
    ("EUR", re.compile(r"€|eur\b|유로", re.I)),
    ("GBP", re.compile(r"£|gbp", re.I)),
    ("JPY", re.compile(r"¥|jpy|엔\b", re.I)),
)
_KO_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(억|천만|백만|만|천)?\s*(?:원|won)?", re.I)
_KO_MULTIPLIER = {
    "억": 100_000_000, "천만": 10_000_000, "백만": 1_000_000, "만": 10_000, "천": 1_000
}  # fmt: skip


def _amounts(text: str) -> list[int]:
    amounts = []
    for match in _KO_AMOUNT.finditer(text):
        number, multiplier = match.group(1).replace(",", ""), match.group(2)
        if not number or number == ".":
            continue
        value = float(number) * _KO_MULTIPLIER.get(multiplier or "", 1)
        # A bare small number next to no unit (`2회`, `1일`) is not an amount.
        if multiplier is None and value < 100 and not re.search(r"[$€£¥]", text):
            continue
        amounts.append(round(value))
    return amounts


def parse_pay(text: str | None) -> PayValue:
    """`회차당 30만원` → paid 300,000 per session; `페이 협의` → negotiable; `무페이` → unpaid;
    `10~20만원` → a range; `$500/day` → USD."""
    text = one_line(text)
    if not text:
        return PayValue()
    currency = next((code for code, pattern in _CURRENCIES if pattern.search(text)), "KRW")
    unit = next((code for code, pattern in _UNITS if pattern.search(text)), "")
    # `10~20만원`: the multiplier written once applies to both ends.
    shared = re.search(r"(\d[\d,]*)\s*[~\-\u2013]\s*(\d[\d,]*)\s*(억|천만|백만|만|천)", text)
    amounts = _amounts(text)
    if shared:
        multiplier = _KO_MULTIPLIER[shared.group(3)]
        amounts = [int(shared.group(1).replace(",", "")) * multiplier,
                   int(shared.group(2).replace(",", "")) * multiplier]  # fmt: skip
    if _UNPAID.search(text) and not amounts:
        return PayValue("unpaid", currency=currency)
    if amounts:
        return PayValue("paid", min(amounts), max(amounts), unit, currency)
    if _NEGOTIABLE.search(text):
        return PayValue("negotiable", unit=unit, currency=currency)
    if _EXPENSES_ONLY.search(text):
        return PayValue("unpaid", currency=currency)
    if re.search(r"지급|있음|유료|paid", text, re.I):
        return PayValue("paid", unit=unit, currency=currency)
    return PayValue(currency=currency)


# --- Region ---------------------------------------------------------------------------------

_REGIONS: list[tuple[str, tuple[str, ...]]] = [
    ("online", ("온라인", "비대면", "화상", "zoom", "online", "remote", "self tape", "self-tape")),
    ("nationwide", ("전국", "지역무관", "지역 무관", "nationwide")),
    ("seoul", ("서울", "강남", "홍대", "대학로", "충무로", "성수", "여의도", "상암", "seoul")),
    ("busan", ("부산", "해운대", "busan")),
    ("daegu", ("대구", "daegu")),
    ("incheon", ("인천", "송도", "incheon")),
    ("gwangju", ("광주광역시", "광주", "gwangju")),
    ("daejeon", ("대전", "daejeon")),
    ("ulsan", ("울산", "ulsan")),
    ("sejong", ("세종", "sejong")),
    (
        "gyeonggi",
        ("경기", "수원", "성남", "분당", "고양", "일산", "파주", "용인", "부천", "안양", "남양주",
         "화성", "평택", "김포", "의정부", "하남", "gyeonggi"),
    ),
    ("gangwon", ("강원", "춘천", "강릉", "원주", "속초", "gangwon")),
    ("chungbuk", ("충북", "충청북도", "청주", "충주")),
    ("chungnam", ("충남", "충청남도", "천안", "아산", "공주")),
    ("jeonbuk", ("전북", "전라북도", "전주", "군산", "익산")),
    ("jeonnam", ("전남", "전라남도", "목포", "여수", "순천")),
    ("gyeongbuk", ("경북", "경상북도", "포항", "경주", "안동", "구미")),
    ("gyeongnam", ("경남", "경상남도", "창원", "김해", "진주", "통영", "거제")),
    ("jeju", ("제주", "서귀포", "jeju")),
    (
        "overseas",
        ("해외", "미국", "일본", "중국", "overseas", "los angeles", "new york", "london", "usa",
         "united states", "united kingdom", " uk", "canada", "atlanta", "toronto", "tokyo"),
    ),
]


def parse_region(text: str | None) -> str | None:
    """The region code of the place named first: `서울 마포구` → seoul, `경기 파주` →
    gyeonggi, `온라인` → online. None when no place is recognised."""
    text = one_line(text).lower()
    if not text:
        return None
    best: tuple[int, str] | None = None
    for code, names in _REGIONS:
        for name in names:
            position = text.find(name)
            if position >= 0 and (best is None or position < best[0]):
                best = (position, code)
    return best[1] if best else None


# --- Category -------------------------------------------------------------------------------

# Order matters: the more specific word first (웹드라마 before 드라마, 보조출연 before 출연).
_CATEGORIES: list[tuple[str, tuple[str, ...]]] = [
    ("extra", ("보조출연", "보조 출연", "엑스트라", "extra", "background actor",
               "background talent")),
    ("web_drama", ("웹드라마", "웹 드라마", "웹시리즈", "웹 시리즈", "web drama", "web series")),
    ("music_video", ("뮤직비디오", "뮤비", "m/v", "music video")),
    ("musical", ("뮤지컬", "musical")),
    ("short_form", ("숏폼", "숏츠", "쇼츠", "릴스", "틱톡", "short-form", "shorts", "tiktok")),
    ("commercial", ("광고", "cf", "바이럴", "홍보영상", "commercial", "advert")),
    ("voice", ("성우", "더빙", "내레이션", "나레이션", "voice over", "voiceover", "voice actor")),
    ("idol", ("아이돌", "연습생", "걸그룹", "보이그룹", "idol", "k-pop trainee")),
    ("model", ("모델", "피팅", "화보", "model")),
    ("theater", ("연극", "극단", "공연", "theater", "theatre", "stage play")),
    ("drama", ("드라마", "시트콤", "ott 시리즈", "tv series", "television", "tv drama")),
    ("film", ("단편영화", "장편영화", "독립영화", "졸업작품", "영화", "short film", "feature film",
              "student film", "film")),
]
_MV_WORD = re.compile(r"\bmv\b", re.I)
_CF_WORD = re.compile(r"\bcf\b|\bad\b", re.I)


def parse_category(*texts: str | None) -> str:
    """The catalogue category named by the keywords of the texts (title first), else `other`."""
    for text in texts:
        lowered = one_line(text).lower()
        if not lowered:
            continue
        for code, keywords in _CATEGORIES:
            for keyword in keywords:
                if code in ("commercial", "model", "film", "extra") and keyword.isascii():
                    # Short English words only as whole words: `cf`, `model`, `film`.
                    if re.search(rf"(?<![a-z]){re.escape(keyword)}(?![a-z])", lowered):
                        return code
                elif keyword in lowered:
                    return code
        if _MV_WORD.search(lowered):
            return "music_video"
        if _CF_WORD.search(lowered):
            return "commercial"
    return "other"


# --- Small numbers, contacts ----------------------------------------------------------------


def parse_headcount(text: str | None) -> int | None:
    """`2명`, `남1 여1` (summed), `0명`→None, `00명`/`약간명` → None."""
    text = one_line(text)
    counts = [int(n) for n in re.findall(r"(\d{1,3})\s*(?:명|인|people|persons?)", text, re.I)]
    if not counts:
        counts = [int(n) for n in re.findall(r"[남여]\s*(\d{1,3})", text)]
    total = sum(counts)
    return total or None


def parse_height(text: str | None) -> tuple[int | None, int | None]:
    text = one_line(text)
    values = [int(v) for v in re.findall(r"(1\d{2})\s*(?:cm|센치|센티)", text, re.I)]
    if not values:
        return None, None
    if len(values) == 1:
        if "이하" in text:
            return None, values[0]
        return values[0], (None if "이상" in text else values[0])
    return min(values), max(values)


_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?<!\d)(0\d{1,2})[-.\s)]?(\d{3,4})[-.\s]?(\d{4})(?!\d)")
_URL = re.compile(r"https?://[^\s<>\"')\]]+")
_MESSENGER = re.compile(
    r"카카오톡|카톡|오픈\s*채팅|open\.kakao\.com|텔레그램|telegram|라인\s*id|dm\s*주세요|인스타\s*dm",
    re.I,
)


@dataclass(frozen=True)
class Contact:
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    messenger: bool = False


def parse_contact(text: str | None) -> Contact:
    text = clean_text(text)
    phones = tuple(dict.fromkeys("-".join(m) for m in _PHONE.findall(text)))
    return Contact(
        emails=tuple(dict.fromkeys(e.lower() for e in _EMAIL.findall(text))),
        phones=phones,
        urls=tuple(dict.fromkeys(_URL.findall(text))),
        messenger=bool(_MESSENGER.search(text)),
    )


_MEDIA = (
    ("profile", re.compile(r"프로필|이력서|resume|headshot|프로필\s*사진", re.I)),
    ("video", re.compile(r"영상|동영상|연기\s*영상|셀프\s*테이프|self[- ]?tape|reel|video", re.I)),
    ("photo", re.compile(r"사진|전신|photo", re.I)),
    ("audio", re.compile(r"녹음|음성\s*파일|보이스\s*샘플|voice sample|audio", re.I)),
)


def parse_required_media(text: str | None) -> list[str]:
    """What an applicant must send, from the application instructions."""
    text = one_line(text)
    return [name for name, pattern in _MEDIA if pattern.search(text)]
