"""The subject line of an e-mail application.

Posters sort their mailbox by subject, and most Korean calls say what it must hold. Without a
requested format it is `[지원] <작품 제목> / <배역> / <이름> / <나이> / <키>` (parts the member or
the post lack are left out). A post's own format (`apply.subject_format`, read by
crawlers/scraper/submission.py: `[배역/이름/나이/연락처]`, `지원배역_이름_나이`, `Role - Name -
Age`) is filled in field by field; what we do not know becomes `-`, so the shape the poster
asked for is kept. A fixed subject with nothing to fill is used as written, with the name.
"""

import re
from dataclasses import dataclass

SUBJECT_MAX = 200


@dataclass(frozen=True)
class SubjectFacts:
    title: str
    role: str
    name: str
    age: int | None
    birth_year: int | None
    height_cm: int | None
    weight_kg: int | None
    gender: str  # female / male / nonbinary / ""
    phone: str  # only when the member lets casting see it
    agency: str


# Field words, longest first within each field so `지원배역` is taken whole, not as `배역`.
_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "role",
        ("지원\\s*배역", "배역\\s*명", "지원\\s*역할", "배역", "역할", "your\\s+role", "role"),
    ),
    ("birth_year", ("출생\\s*년도", "출생\\s*연도", "생년", "년생", "birth\\s*year")),
    ("age", ("만\\s*나이", "나이", "age")),
    ("name", ("본명", "성명", "이름", "활동명", "your\\s+name", "full\\s+name", "name")),
    ("height", ("신장", "키", "height")),
    ("weight", ("몸무게", "체중", "weight")),
    ("phone", ("연락처", "전화\\s*번호", "휴대폰\\s*번호", "휴대폰", "핸드폰", "phone", "contact")),
    ("gender", ("성별", "gender", "sex")),
    ("title", ("작품\\s*명", "작품\\s*제목", "작품", "project", "title")),
    ("agency", ("소속사", "소속", "agency")),
)
_WORD_TO_FIELD = [(word, field) for field, words in _FIELDS for word in words]
_PATTERN = re.compile(
    "|".join(
        f"(?P<f{index}>{'(?<![A-Za-z])' + word + '(?![A-Za-z])' if word[0].isascii() else word})"
        for index, (word, _) in enumerate(_WORD_TO_FIELD)
    ),
    re.IGNORECASE,
)
_GENDER_KO = {"female": "여", "male": "남", "nonbinary": "논바이너리"}


def _value(field: str, facts: SubjectFacts, *, korean: bool) -> str:
    match field:
        case "role":
            return facts.role
        case "name":
            return facts.name
        case "title":
            return facts.title
        case "age":
            return "" if facts.age is None else f"{facts.age}세" if korean else str(facts.age)
        case "birth_year":
            return "" if facts.birth_year is None else str(facts.birth_year)
        case "height":
            return "" if facts.height_cm is None else f"{facts.height_cm}cm"
        case "weight":
            return "" if facts.weight_kg is None else f"{facts.weight_kg}kg"
        case "phone":
            return facts.phone
        case "gender":
            return _GENDER_KO.get(facts.gender, "") if korean else facts.gender
        case "agency":
            return facts.agency or ("무소속" if korean else "freelance")
    return ""


def _one_line(text: str) -> str:
    return " ".join(text.split())[:SUBJECT_MAX]


def subject_line(facts: SubjectFacts, *, requested_format: str = "") -> str:
    """The subject: the post's format filled in, else the usual Korean one."""
    if requested_format:

        def fill(match: re.Match[str]) -> str:
            word = match.group(0)
            field = _WORD_TO_FIELD[int(match.lastgroup[1:])][1]
            return _value(field, facts, korean=not word[0].isascii()) or "-"

        filled = _PATTERN.sub(fill, requested_format)
        if filled != requested_format:
            return _one_line(filled)
        # A fixed subject (`메일 제목: [마음 오디션 지원]`): as written, then who is applying.
        return _one_line(f"{requested_format} {facts.name}")
    parts = [
        facts.title,
        facts.role,
        facts.name,
        _value("age", facts, korean=True),
        _value("height", facts, korean=True),
    ]
    return _one_line("[지원] " + " / ".join(part for part in parts if part))
