"""A post split into the sections a reader sees: a heading and what runs under it.

Posters mark a section in many ways: a label alone on its line (`모집배역`), a bracketed
label (`[페이]`, `【모집배역】`, `<작품설명>`), a bulleted or numbered label (`ㆍ접수마감 : …`,
`3. 캐릭터`), a label with a (full-width) colon and its value on the same line. Each field is
then read from its own section first (`pay` from the 페이 block, roles from the 모집배역 block),
and only then from the prose. Story sections (시놉시스, 로그라인, 기획의도) are kept apart so that
a city or a kinship word inside a story is not read as the call's region or a role's gender.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crawlers.scraper.normalize import clean_text

# Section heading → field. Longer headings are tried first; spaces inside are optional.
SECTION_LABELS: dict[str, tuple[str, ...]] = {
    "roles": (
        "모집배역", "모집 배역", "극중배역", "극중 배역", "배역", "배역 소개", "모집 역할",
        "역할", "인물소개", "인물 소개", "등장인물", "캐릭터", "캐릭터 소개", "인물", "출연진",
        "모집 캐릭터",
    ),
    "pay": ("출연료", "페이", "보수", "급여", "개런티", "사례비", "출연료 및 처우", "처우"),
    "deadline": (
        "모집마감", "모집 마감", "모집 마감일", "마감", "마감일", "마감 일자", "접수마감",
        "접수 마감", "접수 마감일", "모집기간", "모집 기간", "모집일자", "모집 일자", "접수기간",
        "접수 기간",
        "지원기간", "지원 기간", "지원 마감", "신청기간", "신청 기간", "접수 일정", "오디션 지원일",
        "프로필 접수", "서류 접수", "원서 접수",
    ),
    "location": (
        "촬영장소", "촬영 장소", "촬영지", "촬영지역", "촬영 지역", "장소", "오디션 장소", "공연장",
        "공연 장소", "지역",
    ),
    "apply_how": (
        "지원방법", "지원 방법", "지원방식", "지원 방식", "접수방법", "접수 방법", "제출서류",
        "제출 서류", "지원서류", "보내실 곳", "접수처", "지원 안내", "접수 메일", "문의",
    ),
    "shoot_period": (
        "촬영일정", "촬영 일정", "촬영기간", "촬영 기간", "촬영일자", "촬영 일자", "촬영일",
        "공연기간", "공연 기간",
    ),
    "age": ("모집연령", "모집 연령", "연령", "나이"),
    "gender": ("모집성별", "모집 성별", "성별"),
    "headcount": ("모집인원", "모집 인원", "인원"),
    "genre": ("장르",),
    "story": (
        "시놉시스", "줄거리", "로그라인", "기획의도", "기획 의도", "연출의도", "연출 의도",
        "작품설명", "작품 설명", "작품개요", "작품 개요", "작품정보", "작품 정보", "작품소개",
        "작품 소개",
        "러닝타임", "러닝 타임", "배경",
    ),
}  # fmt: skip
_FIELD_BY_KEY = {
    re.sub(r"\s+", "", name): field_ for field_, names in SECTION_LABELS.items() for name in names
}
_HEADINGS = "|".join(
    r"\s*".join(map(re.escape, name.split()))
    for name in sorted({n for names in SECTION_LABELS.values() for n in names}, key=len,
                       reverse=True)
)  # fmt: skip
BULLET = r"(?:[ㆍ\u119e·•\-*※▶►▷■□◆◇○●☞✔✓>]+|\d{1,2}\s*[.)]|[①-⑳]|\(\d{1,2}\))"
_BULLET_PREFIX = re.compile(rf"^\s*{BULLET}\s*")
_BRACKETED = re.compile(
    r"^[\[\u3010<\u3008\u300a\u3014]\s*(?P<label>" + _HEADINGS + r")\s*"
    r"[\]\u3011>\u3009\u300b\u3015]\s*(?:[-:]\s*)?(?P<value>.*)$"
)
_LABELLED = re.compile(rf"^(?P<label>{_HEADINGS})\s*(?:[:]\s*(?P<value>.*)|\s*)$")


@dataclass
class Section:
    field: str | None  # None: the text before the first heading, or an unknown heading
    heading: str = ""
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line for line in self.lines if line)


def strip_bullet(line: str) -> str:
    return _BULLET_PREFIX.sub("", line, count=1).strip()


def heading_of(line: str) -> tuple[str, str, str] | None:
    """(field, heading, inline value) when the line opens a section, else None."""
    stripped = line.strip()
    if not stripped:
        return None
    match = _BRACKETED.match(stripped) or _LABELLED.match(strip_bullet(stripped))
    if match is None:
        return None
    label = re.sub(r"\s+", "", match.group("label"))
    return _FIELD_BY_KEY[label], match.group("label"), (match.group("value") or "").strip()


def split_sections(text: str | None) -> list[Section]:
    """The post's sections in order; the first (field None) holds what precedes any heading."""
    sections = [Section(None)]
    for line in clean_text(text).splitlines():
        opened = heading_of(line)
        if opened is not None:
            field_, heading, value = opened
            sections.append(Section(field_, heading, [value] if value else []))
            if value:
                # `시놉시스: …` on one line is that line's section; what follows is the post's.
                sections.append(Section(None))
        else:
            sections[-1].lines.append(line)
    return [sections[0]] + [s for s in sections[1:] if s.field or s.text]


def section_values(sections: list[Section]) -> dict[str, str]:
    """The first non-empty section of each field, as text."""
    values: dict[str, str] = {}
    for section in sections:
        if section.field and section.field not in values and section.text.strip():
            values[section.field] = section.text
    return values


def prose_of(sections: list[Section]) -> str:
    """Every section but the stories and the role blocks: where the call's own facts are."""
    return "\n".join(
        section.text for section in sections if section.field not in ("story", "roles", "genre")
    )
