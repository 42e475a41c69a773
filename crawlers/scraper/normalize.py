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
_D_DAY = re.compile(r"(?<![A-Za-z])D\s*-\s*(\d{1,3}|day)(?![A-Za-z0-9])", re.IGNORECASE)
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
        days = 0 if match.group(1).lower() == "day" else int(match.group(1))
        candidates.append((match.start(), today + timedelta(days=days)))
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


# gnuboard writes a post's time `26-11-18 14:33` (`y-m-d H:i`) on its page, and its list
# `11-18` for an older post or `14:33` alone for one of today.
_YY_MD_DASH = re.compile(r"(?<![\d\-.])(\d{2})-(\d{1,2})-(\d{1,2})(?![\d\-.])")
_MD_DASH_ALONE = re.compile(r"^(\d{1,2})-(\d{1,2})(?:\s|$)")
_CLOCK = re.compile(r"(?<!\d)(\d{1,2}):(\d{2})(?::(\d{2}))?")
_CLOCK_ALONE = re.compile(r"^(?:오전|오후|am|pm)?\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm)?$", re.I)
# `14시 05분 31초`, `오후 2시 5분`; not a duration (`3시간`).
_CLOCK_KO = re.compile(
    r"(?<!\d)(\d{1,2})\s*시(?!간)(?:\s*(\d{1,2})\s*분)?(?:\s*(\d{1,2})\s*초)?"
)


def _post_day(text: str, *, today: date) -> date | None:
    if match := _YY_MD_DASH.search(text):
        year, month, day = map(int, match.groups())
        return _safe_date(2000 + year, month, day)
    if match := _MD_DASH_ALONE.match(text):
        month, day = map(int, match.groups())
        return _with_year(month, day, today, "past") if 1 <= month <= 12 else None
    if _CLOCK_ALONE.match(text):
        return today
    return _first_date(text, today=today, prefer="past")


def parse_datetime(text: str | None, *, today: date) -> datetime | None:
    """A post time: ISO 8601 (JSON-LD, Atom), RFC 822 (RSS), a board's `2026.11.20 14:33`,
    gnuboard's `26-11-18 14:33` (its list: `11-18`, or `14:33` for today) or
    `2026년 11월 19일 14시 05분 31초`. Naive results are local (Asia/Seoul) times; the
    service makes them aware."""
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
    day = _post_day(text, today=today)
    if day is None:
        return None
    clock = _CLOCK.search(text) or _CLOCK_KO.search(text)
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
_AGE_RANGE = re.compile(
    r"(\d{1,2})\s*(?:세|살)?\s*(?:[~\-\u2013\u223c]|(?:세|살)\s*(?:부터|에서|이상))\s*(?:만\s*)?"
    r"(\d{1,2})\s*(?:세|살)"
)  # `8~9세`, `만 9세부터 13세까지`, `9세에서 12세 사이`, `만 17세 이상 26세 이하`
_AGE_SINGLE = re.compile(r"(?:만\s*)?(\d{1,2})\s*(?:세|살)\s*(이상|이하|미만|초과)?")
_EN_AGE_RANGE = re.compile(r"(?:ages?|aged)?\s*(\d{1,2})\s*(?:-|\u2013|to)\s*(\d{1,2})", re.I)
_EN_AGE_PLUS = re.compile(r"(\d{1,2})\s*\+")
# `30s`, `early 20s`, `mid-30s`, `late 40's`.
_EN_DECADE = re.compile(r"(?:\b(early|mid|late)[\s-]*)?(?<![\d])([1-9]0)'?s\b", re.I)
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
    if match := _EN_DECADE.search(text):
        low = int(match.group(2))
        part = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}.get((match.group(1) or "").lower())
        return (low + part[0], low + part[1]) if part else (low, low + 9)
    if match := _AGE_RANGE.search(text):
        low, high = sorted(map(int, match.groups()))
        return low, high
    if match := re.search(r"[~\u223c]\s*(?:만\s*)?(\d{1,2})\s*(?:세|살)", text):
        return None, int(match.group(1))  # `유아~12세`, `~12세`: only the upper bound
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
    # Set when the text states an amount no one pays for its unit (`회차당 200,000만원`): the
    # amount is dropped (the raw text keeps it) rather than stored a thousand times too big.
    implausible: bool = False


_UNPAID = re.compile(
    r"무\s*페이|무페|무보수|무급|노\s*페이|노\s*개런티|페이\s*없음|출연료\s*없음|재능\s*기부"
    r"|unpaid|no pay",
    re.I,
)
# A pay word, then a refusal: `배우페이는 지급하지 않습니다`, `보수는 한 푼도 없다`,
# `출연료 대신 티셔츠`. These beat any amount the same text names (often a usual rate it is
# contrasting with).
# Not inside other words: 홈페이지, 페이스북, 보수적.
_PAY_WORD = (
    r"(?:(?<!홈)페이(?!지|스북)|출연료|출연비|활동비|보수(?!적)|수고비|사례비|사례금|개런티|급여"
    r"|거마비)"
)
_NEGATED = re.compile(
    _PAY_WORD + r"\S{0,3}\s*(?:는|은|가|이)?\s*(?:\S+\s+)?"
    r"(?:(?:지급|제공)(?:하지|되지|은|는)?\s*(?:않|없|안\s*됩|불가)|없(?:음|습니다|다|고|으며|어(?!도))"
    r"|한\s*푼(?:도)?\s*없|대신)"
    r"|(?:지급|제공)(?:하지|되지)\s*않(?:습니다|음|는다)?\s*$"
)
# A fee itself given (`출연료도 지급된다`, `소정의 출연료 지급`): paid, whatever expenses the
# same sentence also covers (`식사 제공, 출연료도 지급된다`).
_FEE_GIVEN = re.compile(
    _PAY_WORD
    + r"(?:도|는|은|가|이|를|을)?\s*(?:지급|드립니다|드려요|드림|준다|줍니다|있음|있습니다)"
)
# Expenses alone are not a fee: `교통비 지급` is an unpaid call with its costs covered.
_EXPENSES_ONLY = re.compile(r"^(?:[^\d]*?)(교통비|식비|차비|식사\s*제공|간식)[^\d만원]*$")
_NEGOTIABLE = re.compile(
    r"협의|추후\s*(?:공지|안내|결정)|미정|면접\s*후|negotiable|tbd|doe\b", re.I
)
# Posters space units as they please: `회차 당`, `1회차`, `회 당`, `일 10만`.
_UNITS = (
    ("per_session", re.compile(
        r"회차\s*당|회\s*당|1\s*회차?\s*(?:에|기준)?\s*\d|회차\s*별|/\s*회|per session|per episode",
        re.I)),
    ("day", re.compile(
        r"일\s*당|일비|하루|1\s*일|일\s*기준|/\s*일|(?:^|\s)일\s*\d|per day|/\s*day|daily|day rate",
        re.I)),
    ("month", re.compile(r"월급|월\s*\d|/\s*월|월\s*기준|per month|/\s*month|monthly", re.I)),
    ("project", re.compile(r"작품당|편당|건당|총\s*\d|전체|per project|flat|total", re.I)),
)  # fmt: skip
# The most a Korean production plausibly pays per unit (KRW); beyond it the figure is a typo.
_PLAUSIBLE_MAX = {"per_session": 10_000_000, "day": 10_000_000, "month": 50_000_000,
                  "project": 500_000_000, "": 500_000_000}  # fmt: skip
_PLAUSIBLE_MIN = 1_000
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


# `2만5천원`, `3만5000원`, `1억2천만원`: one amount written in two parts.
_COMPOUND = re.compile(r"(\d+)\s*만\s*(\d{1,4})\s*(천)?(?=\s*원)")
_COMPOUND_EOK = re.compile(r"(\d+)\s*억\s*(\d+)\s*(천만|백만|만)")


def _fold_compound(text: str) -> str:
    text = _COMPOUND_EOK.sub(
        lambda m: str(int(m[1]) * 100_000_000 + int(m[2]) * _KO_MULTIPLIER[m[3]]), text
    )
    return _COMPOUND.sub(
        lambda m: str(int(m[1]) * 10_000 + int(m[2]) * (1_000 if m[3] else 1)), text
    )


def parse_pay(text: str | None) -> PayValue:
    """`회차당 30만원` → paid 300,000 per session; `페이 협의` → negotiable; `무페이` → unpaid;
    `10~20만원` → a range; `$500/day` → USD; `배우페이는 지급하지 않습니다` → unpaid."""
    text = _fold_compound(one_line(text))
    if not text:
        return PayValue()
    currency = next((code for code, pattern in _CURRENCIES if pattern.search(text)), "KRW")
    unit = next((code for code, pattern in _UNITS if pattern.search(text)), "")
    if _NEGATED.search(text):
        return PayValue("unpaid", currency=currency)
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
        if currency == "KRW" and not all(
            _PLAUSIBLE_MIN <= a <= _PLAUSIBLE_MAX[unit] for a in amounts
        ):
            return PayValue("paid", unit=unit, currency=currency, implausible=True)
        return PayValue("paid", min(amounts), max(amounts), unit, currency)
    if _NEGOTIABLE.search(text):
        return PayValue("negotiable", unit=unit, currency=currency)
    # `회차 당 드리는 금액은 교통비를 포함한 …`: a fee per unit is paid even without its figure.
    if unit:
        return PayValue("paid", unit=unit, currency=currency)
    if _FEE_GIVEN.search(text):
        return PayValue("paid", unit=unit, currency=currency)
    if _EXPENSES_ONLY.search(text):
        return PayValue("unpaid", currency=currency)
    # `소정의 활동비가 지원된다`, `출연료를 준다`: a fee is given, its figure unsaid.
    if re.search(r"지급|있음|유료|paid|드립니다|드려요|드리는|지원된다|지원됩니다|준다|주어진다",
                 text, re.I):  # fmt: skip
        return PayValue("paid", unit=unit, currency=currency)
    return PayValue(currency=currency)


# --- Region ---------------------------------------------------------------------------------

_SEOUL_DISTRICTS = (
    "강남구", "강동구", "강북구", "관악구", "광진구", "구로구", "금천구", "노원구",
    "도봉구", "동대문구", "동작구", "마포구", "서대문구", "서초구", "성동구", "성북구", "송파구",
    "양천구", "영등포구", "용산구", "은평구", "종로구", "중랑구",
    # Bare district names no other city shares.
    "서초", "송파", "마포", "용산", "종로", "노원", "도봉", "은평", "성북", "동대문", "서대문",
    "영등포", "관악", "광진", "양천", "중랑", "명동", "신촌", "압구정", "청담", "이태원",
)  # fmt: skip
# Venues known by name alone; longer names beat the city inside them (세종문화회관 is in Seoul).
_SEOUL_VENUES = (
    "세종문화회관", "예술의전당", "예술의 전당", "코엑스", "올림픽공원", "국립극장", "블루스퀘어",
    "샤롯데씨어터", "충무아트센터", "디큐브아트센터", "광화문", "남산",
)  # fmt: skip
_REGIONS: list[tuple[str, tuple[str, ...]]] = [
    ("online", ("온라인", "비대면", "화상", "zoom", "online", "remote", "self tape", "self-tape")),
    ("nationwide", ("전국", "지역무관", "지역 무관", "nationwide")),
    ("seoul", ("서울", "강남", "홍대", "대학로", "충무로", "성수", "여의도", "상암", "seoul",
               *_SEOUL_DISTRICTS, *_SEOUL_VENUES)),
    ("busan", ("부산", "해운대", "busan")),
    ("daegu", ("대구", "daegu")),
    ("incheon", ("인천", "송도", "incheon")),
    ("gwangju", ("광주광역시", "광주", "gwangju")),
    ("daejeon", ("대전", "daejeon")),
    ("ulsan", ("울산", "ulsan")),
    ("sejong", ("세종시", "세종특별자치시", "세종", "sejong")),
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
        ("해외", "미국", "일본", "중국", "뉴욕", "런던", "파리", "도쿄", "로스앤젤레스", "할리우드",
         "overseas", "los angeles", "new york", "london", "usa",
         "united states", "united kingdom", " uk", "canada", "atlanta", "toronto", "tokyo"),
    ),
]
_REGION_NAMES = sorted(
    ((name, code) for code, names in _REGIONS for name in names), key=lambda p: -len(p[0])
)
_REGION_PATTERN = re.compile("|".join(re.escape(name) for name, _ in _REGION_NAMES))
_REGION_CODE = dict(_REGION_NAMES)
# City names that are also given names or common words (원주 the character, 공주 a princess,
# 화성 Mars, 진주 a pearl): a place only with a place's suffix after them.
_AMBIGUOUS_PLACES = {"원주", "공주", "화성", "진주", "구미", "안동", "아산", "여수", "하남",
                     "고양", "통영", "경주", "세종", "남산", "파리"}  # fmt: skip
_PLACE_SUFFIX = re.compile(
    r"(?:시|군|구|도|역|광역시|특별시|지역|소재|일대|일원|에서|현지|권|\s*(?:시내|근교))"
)
# A university, school or company named after a city says nothing about where the work is.
_INSTITUTION_AFTER = re.compile(
    r"\S*?(?:대학교|대학원|대학|대|예고|고등학교|고교|중학교|초등학교|문화사|출판사|신문|일보"
    r"|방송|웹페스트|학과|교대|여대|과학기술원)(?![가-힣])"
)


def region_mentions(text: str | None) -> list[tuple[int, str, str]]:
    """(position, code, what follows it) of every place the text names, in order; names that
    are part of an institution's name or a person's name are left out."""
    text = one_line(text).lower()
    found = []
    for match in _REGION_PATTERN.finditer(text):
        name, after = match.group(0), text[match.end() : match.end() + 30]
        before = text[match.start() - 1] if match.start() else " "
        if name.isascii() and name.strip().isalpha() and (before.isalpha() or after[:1].isalpha()):
            continue  # `uk` inside a word
        # A name glued to a preceding syllable is inside another word (e.g. 수원 in 보수원).
        if "\uac00" <= before <= "\ud7a3" and name not in _SEOUL_VENUES:
            continue
        token_rest = re.match(r"[^\s,.()\[\]]*", after).group(0)
        if _INSTITUTION_AFTER.fullmatch(token_rest) or re.match(
            r"\s(?:문화사|출판사|대학교)", after
        ):
            continue
        if name in _AMBIGUOUS_PLACES and not _PLACE_SUFFIX.match(after) and not re.match(
            r"[^\s]*(?:예술의전당|시립|문화재단|문화회관|극장|아트홀|센터)", after
        ):
            continue
        found.append((match.start(), _REGION_CODE[name], after))
    return found


def parse_region(text: str | None) -> str | None:
    """The region code of the place named first: `서울 마포구` → seoul, `경기 파주` →
    gyeonggi, `온라인` → online, `도봉구민회관` → seoul. None when no place is recognised; a
    university (`경북대`), a company (`서울 문화사`) or a name (`원주는`) is not a place."""
    mentions = region_mentions(text)
    return mentions[0][1] if mentions else None


# Where the work happens: `서울에서 진행`, `노원구 소재`, `대전예술의전당 앙상블홀에서`,
# `서울 마포구와 강원도 속초에서` (the first place of the phrase).
_WHERE_IT_HAPPENS = re.compile(r"^[^,.\n]{0,20}?(?:에서|소재|일대|일원)")


def region_from_prose(text: str | None) -> str | None:
    """The region of free text: the first place the text says something happens in, else the
    first place it names."""
    mentions = region_mentions(text)
    for _, code, after in mentions:
        if code not in ("online", "nationwide") and _WHERE_IT_HAPPENS.match(after):
            return code
    places = [code for _, code, _ in mentions if code not in ("online",)]
    return places[0] if places else None


# --- Category -------------------------------------------------------------------------------

# Order matters only between keywords at the same position (the longer wins, 웹드라마 over
# 드라마); otherwise the medium named first wins.
_CATEGORIES: list[tuple[str, tuple[str, ...]]] = [
    ("extra", ("보조출연", "보조 출연", "엑스트라", "extra", "background actor",
               "background talent")),
    ("web_drama", ("웹드라마", "웹 드라마", "웹시리즈", "웹 시리즈", "web drama", "web series")),
    ("music_video", ("뮤직비디오", "뮤비", "m/v", "music video")),
    ("musical", ("뮤지컬", "musical")),
    ("short_form", ("숏폼", "숏츠", "쇼츠", "릴스", "틱톡", "short-form", "shorts", "tiktok")),
    ("model", ("광고모델", "홍보모델", "모델", "피팅", "화보", "model")),
    ("commercial", ("광고", "cf", "바이럴", "홍보영상", "commercial", "advert")),
    ("voice", ("성우", "더빙", "내레이션", "나레이션", "voice over", "voiceover", "voice actor")),
    ("idol", ("아이돌", "연습생", "걸그룹", "보이그룹", "idol", "k-pop trainee")),
    ("theater", ("연극", "극단", "theater", "theatre", "stage play")),
    ("drama", ("드라마", "시트콤", "ott 시리즈", "tv series", "television", "tv drama")),
    ("film", ("단편영화", "장편영화", "독립영화", "졸업작품", "학생영화", "졸업영화", "영화",
              "short film", "feature film", "student film", "film")),
]
_CATEGORY_NAMES = sorted(
    ((k, code) for code, keywords in _CATEGORIES for k in keywords), key=lambda p: -len(p[0])
)
_CATEGORY_PATTERN = re.compile("|".join(re.escape(k) for k, _ in _CATEGORY_NAMES))
_CATEGORY_CODE = dict(_CATEGORY_NAMES)
_MV_WORD = re.compile(r"\bmv\b", re.I)
_CF_WORD = re.compile(r"\bcf\b|\bad\b", re.I)
# A medium word inside another word names no medium: a department (연극영화학과, 영화과),
# a festival (영화제), an adjective (드라마틱), a troupe's name is only a hint (극단 below).
_NOT_A_MEDIUM_AFTER = re.compile(
    r"^(?:영화)?(?:영상)?(?:학과|과(?![가-힣])|학부|전공|계열|제|관|틱|계|사적"
    r"|원(?:[은는이가의에]|(?![가-힣])))"
)
# Words that are not the medium but who is sought: they beat the medium when the post
# recruits them (`드라마 보조출연자 1000여명 모집`), not when it lists them (`엑스트라까지`).
_SOUGHT = {"extra", "voice", "idol"}
_RECRUIT = re.compile(
    r"^[가-힣]{0,4}\s*(?:\S+\s+){0,2}?(?:모집|공모|선발|구합|구함|찾|뽑|오디션|공채|선발대회|면접)"
)
# Weak hints, used only when nothing else names a medium: a troupe is usually theatre, a
# drama may be a genre (`장르: 드라마`) unless a broadcaster airs it.
_WEAK = {"극단": "theater", "드라마": "drama"}
_BROADCAST_BEFORE = re.compile(r"(?:kbs|mbc|sbs|jtbc|tvn|ocn|ena|tv|방송|일일|주말|미니시리즈)\s*$")


def _category_mentions(text: str) -> list[tuple[int, str, bool, bool]]:
    """(position, code, weak, sought) of every medium word in the text."""
    found = []
    for match in _CATEGORY_PATTERN.finditer(text):
        keyword = match.group(0)
        code = _CATEGORY_CODE[keyword]
        start, end = match.span()
        after = text[end : end + 30]
        if keyword.isascii():
            # Short English words only as whole words: `cf`, `model`, `film`.
            if (start and text[start - 1].isalpha()) or after[:1].isalpha():
                continue
        elif _NOT_A_MEDIUM_AFTER.match(after) or (keyword == "연극" and after.startswith("영화")):
            continue
        weak = keyword in _WEAK and not (
            keyword == "드라마" and _BROADCAST_BEFORE.search(text[max(0, start - 12) : start])
        )
        sought = code in _SOUGHT and bool(_RECRUIT.match(after))
        found.append((start, code, weak, sought))
    if _MV_WORD.search(text):
        found.append((_MV_WORD.search(text).start(), "music_video", False, False))
    if _CF_WORD.search(text):
        found.append((_CF_WORD.search(text).start(), "commercial", False, False))
    return sorted(found)


def parse_category(*texts: str | None) -> str:
    """The catalogue category of a call from its texts, the most telling first (title, then
    the body). Whoever is sought (`보조출연자 모집`, `연습생 선발`) beats the medium; then the
    first medium named in the first text that names one (`단편영화` beats a genre
    `장르: 드라마`, 학생영화 beats a 상업연극 감독 role); a troupe or a bare 드라마 only when
    nothing else is named; `other` when nothing is."""
    mentions = [_category_mentions(one_line(text).lower()) for text in texts]
    for found in mentions:
        for _, code, _, sought in found:
            if sought:
                return code
    for found in mentions:
        for _, code, weak, sought in found:
            if not weak and (code != "extra" or sought):
                return code
    for found in mentions:
        if found:
            return found[0][1]
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
