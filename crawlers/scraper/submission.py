"""What an e-mail application needs to know from the post besides the address: whether the
post refuses third-party submissions (`대리 접수 불가`, `본인이 직접 지원`, `no agencies`), and
the subject line it asks for (`메일 제목: [배역/이름/나이]`, `Subject: Role - Name - Age`).

Both read the call's own facts (its prose and apply sections, never its story). A refusal must
be said, never inferred: permissions (`소속사 통한 지원 가능`, `에이전시 지원 환영`, `No agent
required`) and `직접` about something else (`홈페이지에서 직접 신청`, `직접 촬영한 영상`,
`제작사가 직접 나서`) are not refusals. A subject format is only taken after a cue that is about
the e-mail's subject, so a work's `제목: …` or `'…'라는 제목으로` is never one.
"""

from __future__ import annotations

import re

from crawlers.scraper import normalize as n
from crawlers.scraper.prose import sentences

# The stored format's bound (Audition.apply_subject_format holds 200).
SUBJECT_FORMAT_MAX = 120

# --- Third-party submissions ----------------------------------------------------------------

# Who applies for someone else, and the act of applying.
_PARTY = r"(?:대리인?|대행(?:업체|사)?|소속사|에이전시|매니지먼트|기획사|매니저|제\s*3\s*자|타인)"
_ACT = r"(?:지원|접수|신청|제출|응모|프로필)"
# A refusal word shortly after (no `가능` between: `대리 접수도 가능`); 불가피 is not 불가.
_REFUSED = (
    r"(?:(?!가능)[^.\n,]){0,10}?"
    r"(?:불가(?!피)|금지|사절|삼가|거절|사양|받지\s*않|안\s*받|안\s*됩|안\s*돼|안됩|안돼"
    r"|할\s*수\s*없|불허|[xX✕❌](?![A-Za-z]))"
)
# Follows `본인이 직접 지원…`: permission, not a demand (`본인이 직접 지원해도 됩니다`).
_PERMISSIVE = r"(?:해도|하셔도|도\s*가능|도\s*괜찮|하실\s*수도)"
_REFUSALS_KO = (
    # 대리 접수 불가 · 대리지원은 받지 않습니다 · 소속사 통한 지원 불가 · 에이전시 프로필 사절
    re.compile(
        rf"{_PARTY}\s*(?:을|를|이|가|의|로|으로)?\s*(?:통한|통해서?|거친)?\s*{_ACT}\S*\s*{_REFUSED}"
    ),
    # 본인이 직접 지원해 주세요 · 지원은 반드시 배우 본인이 직접
    re.compile(
        r"본인(?:이|께서|만)?\s*직접\s*(?:지원|접수|신청|제출|보내|메일|연락|해\s*주|하셔야|하시기)"
        rf"(?!\S*\s*{_PERMISSIVE})"
    ),
    # 직접 지원만 받습니다 · 반드시 직접 접수 · 본인 지원만 가능 · 본인만 지원 가능
    re.compile(
        r"직접\s*(?:지원|접수|신청|제출)\s*만|(?:반드시|꼭)\s*직접\s*(?:지원|접수|신청|제출)"
    ),
    re.compile(r"본인\s*(?:만\s*(?:지원|접수|신청)|(?:지원|접수|신청)\s*만)\s*(?:가능|받)"),
)
_REFUSALS_EN = (
    # no agencies · no third-party submissions (not `no agent required`, `no agency fees`)
    re.compile(
        r"\bno\s+(?:agenc(?:y|ies)|agents?|managers?|third[- ]part(?:y|ies)|representatives?)\b"
        r"(?![?])(?!\s+(?:fees?|commissions?|representation|(?:is\s+|are\s+)?(?:required|needed"
        r"|necessary)))",
        re.I,
    ),
    re.compile(
        r"\b(?:agency|agent|third[- ]party|representative)\s+submissions?\s+(?:are\s+|will\s+)?"
        r"(?:not\s+(?:be\s+)?(?:accepted|considered)|won'?t\s+be)",
        re.I,
    ),
    re.compile(
        r"\b(?:do|will)\s+not\s+accept\s+(?:agency|agent|third[- ]party)\s+submissions?", re.I
    ),
    re.compile(
        r"\b(?:applicants|actors|talent|performers|you)\s+must\s+(?:apply|submit)\s+"
        r"(?:themselves|yourself|directly|personally|in\s+person)",
        re.I,
    ),
    re.compile(r"\bself[- ]submissions?\s+only\b", re.I),
)


def direct_only(text: str | None) -> bool:
    """Whether the post refuses applications made for the performer by someone else (an agent,
    a profile-tour service, a platform): `대리 접수 불가`, `본인이 직접 지원`, `직접 지원만`,
    `소속사 지원 불가`, `no agencies`, `applicants must apply themselves`."""
    for sentence in sentences(text or ""):
        if any(p.search(sentence) for p in (*_REFUSALS_KO, *_REFUSALS_EN)):
            return True
    return False


# --- The subject line -----------------------------------------------------------------------

# The words a subject format is made of (what the sender fills in).
_FIELD_WORD = re.compile(
    r"이름|성명|나이|연령|(?:지원\s*)?배역|역할|캐릭터|연락처|전화번호|(?<![가-힣])키(?![가-힣])"
    r"|신장|몸무게|체중|생년월일|출생\s*연?도|성별|지원\s*분야|소속|"
    r"\b(?:name|age|role|character|height|phone|gender)\b",
    re.I,
)
# Quote marks (ASCII, curly, corner brackets). Text is NFKC-folded first (full-width colons
# are ASCII by then).
_QUOTE_CHARS = "\"'\u2018\u2019\u201c\u201d\u300c\u300d\u300e\u300f"
_QUOTED = f"[{_QUOTE_CHARS}]"
_UNQUOTED = f"[^{_QUOTE_CHARS}\\n]"
# A cue about the mail's subject, then (after a colon or particle) the format.
_CUE_MAIL = re.compile(
    r"(?:이?메일|e-?mail|mail)\s*(?:의\s*)?제목\s*(?:은|는|에|을|란에|란|으로|:|=|-)?\s*", re.I
)
# `제목에 … 기재`, `제목은 …`: the mail is implied, so the format must name what to fill in;
# a work's title (`작품 제목은 …`, `영화 제목에`) is not a subject.
_CUE_SUBJECT = re.compile(
    r"(?<![가-힣])(?<!작품\s)(?<!영화\s)(?<!공연\s)제목\s*(?:란에|란|에는|에|은|는)\s*"
)
_CUE_BARE = re.compile(r"(?:^|\n)\s*[-*•·]?\s*제목\s*:\s*")
_CUE_EN = re.compile(
    r"\bsubject(?:\s+line)?\s*(?::|should\s+(?:be|read)|must\s+(?:be|read)|as)\s*", re.I
)
# The format written before its cue: `"CASTING: (Your name)" in the subject line`,
# `[배역_이름] 형식으로 메일 제목을`.
_BEFORE_CUE = re.compile(
    rf"{_QUOTED}(?P<q>{_UNQUOTED}{{2,100}}){_QUOTED}\s*(?:in|as)\s+(?:the\s+|your\s+)?"
    r"(?:e-?mail\s+)?subject(?:\s+line)?"
    r"|(?P<b>\[[^\]\n]{2,100}\])\s*(?:의\s*)?(?:형식|양식)?\s*(?:으로|로)\s*(?:이?메일\s*)?제목",
    re.I,
)
_BRACKETED = re.compile(r"\[[^\]\n]{1,100}\]|【[^】\n]{1,100}】|<[^>\n]{1,100}>|\([^)\n]{1,100}\)")
# Where the format ends: an instruction after it (`… 로 보내주세요`, `… 기재 부탁드립니다`).
_FORMAT_END = re.compile(
    r"\s*(?:(?:으로|로|이라고|라고)(?=\s|$)\s*(?:\S+\s*)?(?:보내|해|작성|기재|표기|통일|부탁|적어|써|맞춰|달아|$)"
    r"|(?:을|를)?\s*(?:꼭\s*|반드시\s*)?(?:기재|작성|표기|적어|써|명시|입력)"
    r"|\s+(?:형식|양식)|[.。](?:\s|$)|\n|$)"
)


def _looks_like_format(value: str, *, fields: int) -> bool:
    return len(_FIELD_WORD.findall(value)) >= fields or bool(
        fields == 1 and re.search(r"OO|○○|00|\*\*|xx", value, re.I)
    )


def _format_after(text: str) -> str:
    """The format at the start of `text` (what follows a cue): a quoted chunk, or a run of
    brackets and words up to the instruction that ends it."""
    text = text.lstrip(" :=-")
    if quoted := re.match(rf"{_QUOTED}({_UNQUOTED}{{2,100}}){_QUOTED}", text):
        return quoted.group(1).strip()
    line = text.split("\n", 1)[0]
    end = _FORMAT_END.search(line)
    value = line[: end.start()] if end else line
    return value.strip(" ,;:·").strip()


def subject_format(text: str | None) -> str:
    """The e-mail subject the post asks for, as written (trimmed, at most SUBJECT_FORMAT_MAX
    characters), or "" when it asks for none: `메일 제목: [배역/이름/나이/연락처]` →
    `[배역/이름/나이/연락처]`, `제목에 "지원배역_이름_나이" 기재` → `지원배역_이름_나이`,
    `Subject: Role - Name - Age` → `Role - Name - Age`."""
    text = n.clean_text(text)
    if not text:
        return ""
    found: list[tuple[int, str]] = []
    for match in _BEFORE_CUE.finditer(text):
        value = (match.group("q") or match.group("b") or "").strip()
        if _looks_like_format(value, fields=1) or match.group("q"):
            found.append((match.start(), value))
    for cue, fields, framed_ok in (
        (_CUE_MAIL, 1, True),
        (_CUE_EN, 1, True),
        (_CUE_SUBJECT, 1, False),
        (_CUE_BARE, 2, False),
    ):
        for match in cue.finditer(text):
            value = _format_after(text[match.end() :])
            # After an explicit mail cue a bracketed subject is a format without field words
            # (`메일 제목: [마음 오디션 지원]`).
            framed = framed_ok and bool(_BRACKETED.fullmatch(value))
            if value and (framed or _looks_like_format(value, fields=fields)):
                found.append((match.start(), value))
    if not found:
        return ""
    return min(found)[1][:SUBJECT_FORMAT_MAX].strip()
