"""Label-based extraction: `모집 마감일: 2026-12-01`, `출연료 : 회차당 30만원`.

Boards change their markup often and their labels rarely, so detail pages are read by the
labels posters fill in rather than by CSS positions. Two shapes are understood:
- text with `label: value` (one per line, or several on one line as filmmakers.co.kr's print
  view writes its header), and
- label/value cells: `<th>label</th><td>value</td>` and `<dt>label</dt><dd>value</dd>`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import html_text
from parsel import Selector

from crawlers.scraper.normalize import clean_text, one_line

# Field → the labels Korean boards use for it. Longer labels win over their prefixes.
DEFAULT_LABELS: dict[str, tuple[str, ...]] = {
    "company": ("제작사", "제작", "제작사명", "회사명", "주최", "주관", "Production company"),
    "work_title": ("작품 제목", "작품제목", "작품명", "프로젝트명", "Project"),
    "production_type": (
        "작품 유형", "작품유형", "작품 형태", "작품형태", "장르", "분야", "Production type",
    ),
    "director": ("감독", "연출", "Director"),
    "casting_director": ("캐스팅 디렉터", "캐스팅디렉터", "캐스팅 담당", "Casting director"),
    "roles": (
        "극중배역", "극중 배역", "모집 배역", "모집배역", "배역", "Roles", "Role", "Characters",
    ),
    "shoot_period": (
        "촬영기간", "촬영 기간", "촬영일정", "촬영 일정", "촬영일", "공연기간", "공연 기간",
        "Shoot dates", "Dates",
    ),
    "pay": ("출연료", "페이", "보수", "급여", "개런티", "Pay", "Compensation", "Rate"),
    "headcount": ("모집인원", "모집 인원", "인원"),
    "gender": ("모집성별", "모집 성별", "성별", "Gender"),
    "age": ("모집연령", "모집 연령", "모집나이", "모집 나이", "연령", "나이", "Age", "Playing age"),
    "height": ("신장", "키"),
    "contact_person": ("담당자", "Contact"),
    "phone": ("전화번호", "연락처", "휴대폰", "Phone"),
    "email": ("이메일", "E-mail", "Email", "메일"),
    "deadline": (
        "모집 마감일", "모집마감일", "접수 마감일", "접수마감일", "지원 마감일", "마감일",
        "접수 마감", "접수마감", "모집기한", "모집 기한", "모집 일자", "모집일자", "접수 기간",
        "접수기간", "모집 기간", "모집기간", "지원 기간", "지원기간", "마감", "Deadline",
        "Apply by", "Application deadline", "Submission deadline",
    ),
    "region": ("촬영 지역", "촬영지역", "활동 지역", "지역", "Region"),
    "location": (
        "촬영 장소", "촬영장소", "오디션 장소", "공연장", "장소", "Location", "Shoot location",
        "Filming location",
    ),
    "apply_how": (
        "지원 방법", "지원방법", "접수 방법", "접수방법", "제출 서류", "제출서류", "How to apply",
        "To apply", "Apply", "Submission", "Submissions", "How to submit",
    ),
}


def _label_pattern(label: str) -> str:
    # `모집 마감일` also matches `모집마감일`: posters space labels as they please.
    return r"\s*".join(re.escape(part) for part in label.split())


def _compile(labels: Mapping[str, Iterable[str]]) -> tuple[re.Pattern[str], dict[str, str]]:
    by_key: dict[str, str] = {}
    for field, names in labels.items():
        for name in names:
            by_key[re.sub(r"\s+", "", name).lower()] = field
    alternation = "|".join(
        _label_pattern(name)
        for name in sorted({n for names in labels.values() for n in names}, key=len, reverse=True)
    )
    # A label starts a line or follows a space, a separator or a bullet (`ㆍ접수마감 :`), and is
    # followed by a colon. (NFKC folds the bullet ㆍ into U+119E.)
    pattern = re.compile(
        rf"(?:^|(?<=[\s|/·,\]\)ㆍ\u119e•*※▶►■□◆○●-]))(?P<label>{alternation})\s*:\s*",
        re.IGNORECASE | re.MULTILINE,
    )
    return pattern, by_key


# Fields whose value is a name: a line of speech after such a label is a script excerpt
# (`감독 : 네, 다음~ 들어오세요~.`), not the name.
_NAME_FIELDS = {"company", "director", "casting_director", "contact_person", "work_title"}
_SPEECH = re.compile(
    r"[~!?…]|(?:니다|세요|어요|아요|해요|까요|네요|지요|죠)\s*[.,]?\s*$|[요다]\.\s*$"
    r"|^(?:네|아|어|음|자|예)\s*,"
)


def looks_like_speech(value: str) -> bool:
    return bool(_SPEECH.search(value))


def merged_labels(extra: Mapping[str, Iterable[str]] | None = None) -> dict[str, tuple[str, ...]]:
    labels = dict(DEFAULT_LABELS)
    for field, names in (extra or {}).items():
        labels[field] = tuple(names) + labels.get(field, ())
    return labels


class LabelExtractor:
    """Reads labelled values out of a detail page's text or cells."""

    def __init__(self, labels: Mapping[str, Iterable[str]] | None = None) -> None:
        self.labels = merged_labels(labels)
        self.pattern, self._field_by_key = _compile(self.labels)

    def field_for(self, label: str) -> str | None:
        return self._field_by_key.get(re.sub(r"\s+", "", clean_text(label)).lower().rstrip(":"))

    def from_text(self, text: str) -> tuple[dict[str, str], str]:
        """(labelled values, the free text left over). A value runs to the next label on the
        same line or to the end of its line; the first occurrence of a label wins."""
        text = clean_text(text)
        values: dict[str, str] = {}
        matches = list(self.pattern.finditer(text))
        consumed: list[tuple[int, int]] = []
        for index, match in enumerate(matches):
            field = self.field_for(match.group("label"))
            stop = matches[index + 1].start() if index + 1 < len(matches) else len(text)
            newline = text.find("\n", match.end())
            if 0 <= newline < stop:
                stop = newline
            value = one_line(text[match.end() : stop])
            if field in _NAME_FIELDS and looks_like_speech(value):
                continue  # left in the free text, where a reader sees a line of dialogue
            consumed.append((match.start(), stop))
            if field and value and field not in values:
                values[field] = value
        free = []
        position = 0
        for start, stop in consumed:
            free.append(text[position:start])
            position = stop
        free.append(text[position:])
        return values, clean_text("".join(free))

    def _cells(self, selector: Selector) -> list[tuple[list[Selector], str, str]]:
        """(the label and value elements, label, value) of each `th`/`td` and `dt`/`dd` pair."""
        pairs = []
        for row in selector.css("tr"):
            label, value = row.css("th")[:1], row.css("td")[:1]
            if label and value:
                pairs.append(([label[0], value[0]], label.xpath("string()").get(""),
                              value.xpath("string()").get("")))  # fmt: skip
        for term in selector.css("dt"):
            value = term.xpath("following-sibling::dd[1]")
            pairs.append(([term, *value[:1]], term.xpath("string()").get(""),
                          value.xpath("string()").get("")))  # fmt: skip
        return pairs

    def _read_cells(self, selector: Selector) -> tuple[dict[str, str], list[Selector]]:
        values: dict[str, str] = {}
        read: list[Selector] = []
        for elements, label, value in self._cells(selector):
            field = self.field_for(label)
            value = one_line(value)
            if field and value and field not in values:
                values[field] = value
                read += elements
        return values, read

    def from_cells(self, selector: Selector) -> dict[str, str]:
        """Values from `th`/`td` and `dt`/`dd` pairs."""
        return self._read_cells(selector)[0]

    def extract(self, selector: Selector) -> tuple[dict[str, str], str]:
        """Cells first, then `label: value` text; the free text is the page's prose, without
        the cells read as labels (a label table is not repeated in the description)."""
        page = Selector(text=selector.get())  # a copy: the cells read are dropped from it
        cells, read = self._read_cells(page)
        for element in read:
            element.drop()
        text = html_text.extract_text(page.get(), guess_layout=True)
        text_values, free = self.from_text(text)
        for field, value in text_values.items():
            cells.setdefault(field, value)
        return cells, free
