"""Roles as a reader finds them: a list, one per role the post names.

Three places, tried in order: the header's 극중배역 label (`민지(20대 여자), 편의점 사장(50대
남자)`); role lines in the body (`한선화 (18세) - 주인공:`, `한미진 / 40대 후반`,
`1. 상업연극 감독 (40대 초반, 지적이다, 남)`, a name alone on its line followed by its
description); and the sentences that say whom the call seeks (`60대 초반의 남성, 20대 후반의
남성 … 모집`, `남자 6명·여자 5명`, `만 19세 이상 성인 남녀`). `남녀` is two roles, male and
female. A post-wide gender or age (모집성별, `응모는 17세부터 22세까지`) fills only what a role
leaves unsaid.
"""

from __future__ import annotations

import itertools
import re
from datetime import date

from auditions.ingest import RoleData
from crawlers.scraper import normalize as n
from crawlers.scraper.prose import sentences
from crawlers.scraper.sections import Section, strip_bullet

MAX_ROLES = 20
Age = tuple[int | None, int | None]

# --- Gender of a phrase ---------------------------------------------------------------------

_BOTH = re.compile(r"남녀|남/여|여/남|남\s*[,·]\s*여|남자\s*[,·와]\s*여자|남성\s*[,·과]\s*여성")
_ANY = re.compile(r"(?:성별|남녀)\s*(?:무관|상관\s*없|관계\s*없|제한\s*없|불문)|남녀\s*노소")
_FEMALE_WORDS = re.compile(
    r"여자|여성|여배우|여주인공|여주(?![가-힣])|(?<![가-힣])여(?![가-힣])|소녀|여고생|여학생|여대생"
    r"|엄마|어머니|할머니|딸|아내|누나|언니|여동생|(?<![가-힣])(?:이모|고모)|여사(?!원)|아가씨|며느리|female|woman|girl",
    re.I,
)
_MALE_WORDS = re.compile(
    r"남자|남성|남배우|남주인공|남주(?![가-힣])|(?<![가-힣])남(?![가-힣])|소년|남고생|남학생"
    r"|아빠|아버지|할아버지|아들|남편|오빠|남동생|삼촌|아저씨|청년(?=\s*남)|(?<!fe)male|\bman\b|boy",
    re.I,
)


def gender_of(text: str) -> str | None:
    """`female`, `male` or `any` from a role's own words; None when they say nothing."""
    if _ANY.search(text):
        return "any"
    female, male = _FEMALE_WORDS.search(text), _MALE_WORDS.search(text)
    if female and male:
        return (female.start() < male.start() and "female") or "male"
    return "female" if female else "male" if male else None


def _first_gender(text: str) -> str | None:
    """The gender a role's description points to by its first gendered word (`… 여고생.`)."""
    female, male = _FEMALE_WORDS.search(text), _MALE_WORDS.search(text)
    if female and male:
        return "female" if female.start() < male.start() else "male"
    return "female" if female else "male" if male else None


# --- Role lines -----------------------------------------------------------------------------

_NAME = r"(?P<name>[^\s()\[\]/:~\-\u2013][^()\[\]/:~\-\u2013]{0,18}?)"
# `한선화 (18세) - 주인공:`, `상업연극 감독 (40대 초반, 지적이다, 남)`, `박성준(20) :`
_PAREN_LINE = re.compile(rf"^{_NAME}\s*\((?P<info>[^)]{{1,40}})\)\s*(?:역)?\s*(?P<rest>.*)$")
# `한미진 / 40대 후반`, `이름 - 20대 중반 여성`, `고은(여)_20대 중반`
_SEP_LINE = re.compile(rf"^{_NAME}\s*(?:/|-|\u2013|_|:)\s*(?P<info>[^/]{{1,30}})$")
_AGE_OR_GENDER = re.compile(
    r"\d{1,2}\s*(?:세|살|대)|\d{2}\s*[~-]\s*\d{2}|^\s*\d{1,2}\s*$|(?<![가-힣])[남여](?![가-힣])"
    r"|남자|여자|남성|여성"
)
# `태수 : 평생 연기 인생을 …` inside a role block (a name, then its description).
_COLON_LINE = re.compile(rf"^{_NAME}\s*:\s*(?P<rest>.+)$")
_NOT_A_NAME = re.compile(r"촬영|일정|페이|출연료|마감|지원|접수|장소|기간|시놉시스|설명|참고|문의")
# A deadline marker (`D-3`, `D - 7`, `D-day`) is never a role, nor its number an age.
_DEADLINE_MARK = re.compile(r"(?<![A-Za-z])D\s*[-\u2013]\s*(?:\d{1,3}|day)(?![A-Za-z0-9])", re.I)


def _is_deadline_mark(text: str) -> bool:
    return bool(_DEADLINE_MARK.fullmatch(text.strip(" ()[]<>:~")))


def _age_of(info: str, today: date) -> Age:
    if re.fullmatch(r"\s*(\d{1,2})\s*", info):
        age = int(info)
        return age, age
    return n.parse_age(info, today=today)


def _role(name: str, info: str, description: str, today: date) -> RoleData:
    name = re.sub(r"\s*역$", "", n.one_line(name).strip(" -:'\"")) or name
    age = _age_of(info, today)
    gender = gender_of(info) or _first_gender(name) or _first_gender(description)
    return RoleData(
        name=name[:200], gender=gender or "", age_min=age[0], age_max=age[1],
        description=n.one_line(f"{info} {description}".strip())[:2000],
    )  # fmt: skip


def roles_from_lines(text: str, *, today: date, in_role_block: bool) -> list[RoleData]:
    """Roles written one per line. Outside a role block only lines that carry an age or a
    gender count (`이름 (17세 남)`); inside one a `name : description` or a name alone on its
    line does too, and the lines under a role describe it."""
    lines = [strip_bullet(line) for line in n.clean_text(text).splitlines()]
    heads: list[tuple[int, str, str]] = []  # (line index, name, info)
    for index, line in enumerate(lines):
        if not line or len(_INLINE_ROLE.findall(line)) >= 2 or _is_deadline_mark(line):
            continue  # a sentence listing groups inline: read with the prose
        match = _PAREN_LINE.match(line) or _SEP_LINE.match(line)
        if (
            match
            and _AGE_OR_GENDER.search(match.group("info"))
            and not _NOT_A_NAME.search(match.group("name"))
        ):
            heads.append((index, match.group("name"), match.group("info")))
    if not heads and in_role_block:
        for index, line in enumerate(lines):
            match = _COLON_LINE.match(line)
            alone = len(line) <= 12 and len(line.split()) <= 3 and not re.search(r"[.,!?]", line)
            if _is_deadline_mark(line) or (match and _is_deadline_mark(match.group("rest"))):
                continue
            if match and len(match.group("name").split()) <= 3:
                if not _NOT_A_NAME.search(match.group("name")):
                    heads.append((index, match.group("name"), ""))
            elif alone and line and index + 1 < len(lines) and not _NOT_A_NAME.search(line):
                heads.append((index, line, ""))
    roles = []
    for position, (index, name, info) in enumerate(heads[:MAX_ROLES]):
        stop = heads[position + 1][0] if position + 1 < len(heads) else len(lines)
        own = lines[index]
        rest = own.split(")", 1)[1] if ")" in own and info else own.split(":", 1)[-1]
        body = " ".join([rest, *lines[index + 1 : stop]]) if in_role_block or not info else rest
        roles.append(_role(name, info, body, today))
    return roles


def roles_introduced(text: str, *, today: date) -> list[RoleData]:
    """A name alone on a line whose next paragraph is about it (`경비원 장씨` / `장씨는 …`)."""
    lines = [line.strip() for line in n.clean_text(text).splitlines() if line.strip()]
    roles = []
    for line, following in itertools.pairwise(lines):
        words = line.split()
        if not (1 <= len(words) <= 3 and len(line) <= 12) or re.search(r"[.,:!?<>\[\]]", line):
            continue
        if following.startswith(words[-1]) and len(following) > 40:
            roles.append(_role(line, "", following, today))
    return roles[:MAX_ROLES]


# --- Whom the sentences seek ----------------------------------------------------------------

_SEEK = re.compile(
    r"모집|모십|찾|뽑|선발|공고|지원|신청|응모|참여|참가|대상|캐스팅|구합|구함|오디션|누구나|도전"
    r"|\d+\s*여?\s*명"
)
# `남·녀`, `남/여`, `남자, 여자` are one word for both before a sentence is cut at `·` and `,`.
_BOTH_SPELLED = re.compile(
    r"남\s*[·/,]\s*(?:녀|여)(?![가-힣])|남자\s*[·/,]\s*여자|남성\s*[·/,]\s*여성"
)
_ROLE_NOUN = re.compile(
    r"주연|조연|단역|주인공|여주인공|남주인공|아역배우|아역|배우|연기자|신인|성인|엑스트라|보조출연자"
    r"|소년|소녀|여자아이|남자아이|어린이|여고생|남고생|딸|아들|엄마|아빠|청년|중년|노인"
)
_GENERIC = {"배우", "연기자", "신인", "어린이", "아역배우"}
_SPLIT = re.compile(r"\s*(?:/|,|·|ㆍ|;|\s그리고\s)\s*|(?<=[가-힣])(?:과|와)\s+(?=\S)")
_AGE_WORDS = re.compile(r"\d{1,2}\s*(?:세|살|대)|\d{2,4}\s*년생")
_OPEN_Q, _CLOSE_Q = "'\"<\u2018\u201c", "'\">\u2019\u201d"
_QUOTED_ROLE = re.compile(
    rf"(?:주인공|주연|배역|역할?)\s*[{_OPEN_Q}]([^{_CLOSE_Q}]{{1,12}})[{_CLOSE_Q}]"
    rf"|[{_OPEN_Q}]([^{_CLOSE_Q}]{{1,12}})[{_CLOSE_Q}]\s*역"
)
_KINSHIP_ROLE = re.compile(
    r"(\S{1,12}의\s*(?:딸|아들|엄마|아빠|어머니|아버지|남편|아내))\s*(?:역)?"
)


def _segment_role(segment: str, today: date) -> tuple[list[RoleData], Age | None]:
    """The roles a segment names, or the post-wide age it states when it names no role."""
    age = n.parse_age(segment, today=today) if _AGE_WORDS.search(segment) else (None, None)
    noun = _ROLE_NOUN.search(segment)
    kin = _KINSHIP_ROLE.search(segment)
    if _ANY.search(segment):
        return [], age if any(age) else None  # everyone: said once for the post
    if _BOTH.search(segment):
        base = noun.group(0) if noun and noun.group(0) not in _GENERIC else ""
        return [
            RoleData(name=f"{base} {word}".strip(), gender=gender, age_min=age[0], age_max=age[1])
            for word, gender in (("남", "male"), ("여", "female"))
        ], None
    gender = None if _ANY.search(segment) else _first_gender(segment)
    if _ANY.search(segment):
        gender = "any"
    if kin:
        return [RoleData(name=kin.group(1), gender=_first_gender(kin.group(1)) or "",
                         age_min=age[0], age_max=age[1])], None  # fmt: skip
    if gender and gender != "any" and (noun or any(age) or re.search(r"\d+\s*(?:명|분)", segment)):
        name = noun.group(0) if noun else ("남" if gender == "male" else "여")
        return [RoleData(name=name, gender=gender, age_min=age[0], age_max=age[1])], None
    if any(age):
        if noun and noun.group(0) not in _GENERIC:
            return [RoleData(name=noun.group(0), gender=gender or "", age_min=age[0],
                             age_max=age[1])], None  # fmt: skip
        return [], age
    return [], None


# `150명의 엑스트라를 … 뽑을`, `배우 6명은 오디션으로 선발`: a call for people, no role named.
_COUNTED = re.compile(
    r"\d+\s*(?:명|인)\s*(?:의|가량의|여명의)?\s*(?:엑스트라|배우|보조출연자|연기자|아역배우|출연자)"
    r"|(?:엑스트라|배우|보조출연자|연기자|아역배우|출연자)\s*\d+\s*(?:명|인)"
)
# `아동(유아~12세) 주니어(13~18세) 일반(19~29세)`, `△어린이(5~7세) △학생(8~19세)`: groups
# listed inline, each with its ages.
_INLINE_ROLE = re.compile(
    r"(?:^|(?<=[\s\u25b3\u25b2·,/]))(?P<name>(?:[가-힣]{1,5}[가-힣](?<![며고서면다를을에로가이는])\s)?[가-힣]{1,6})\s*"
    r"\((?P<info>[^()]{0,12}\d{1,2}\s*(?:세|살|대)[^()]{0,12})\)"
)
# Roles named in a sentence without ages: `대신, 상궁, 나인, 양반 등의 역할을 맡아`,
# `마사지사 역할을 맡을 8명`, `주·조연 및 앙상블, 아역, 댄서를 선발하며`, `새로운 VJ를 공개 모집`.
_ITEM = r"[가-힣A-Za-z][가-힣A-Za-z·\u2219]{0,7}"
_NAMED_LIST = re.compile(
    rf"(?P<list>{_ITEM}(?:\s*(?:,|및|와|과)\s*{_ITEM}){{0,7}})\s*"
    r"(?:(?:등의\s*)?역할?(?:을|를)\s*맡|(?:을|를)\s*(?:공개\s*)?(?:모집|선발|뽑|캐스팅))"
)
_LIST_SEP = re.compile(r"\s*(?:,|및|(?<=[가-힣])(?:와|과)(?=\s))\s*")
_NOT_A_ROLE = re.compile(
    r"^(?:이들|사람|분|인원|참가자|지원자|출연진|출연자|신인|인재|스타|주인공)$"
)


def _named_roles(sentence: str) -> list[RoleData]:
    match = _NAMED_LIST.search(sentence)
    if match is None:
        return []
    items = [i.strip() for i in _LIST_SEP.split(match.group("list")) if i.strip()]
    # The list starts after the sentence's topic (`시민배우들은 대신, …`): the last word only.
    items[0] = items[0].split()[-1]
    return [
        RoleData(name=item, gender=_first_gender(item) or "")
        for item in items
        if not _NOT_A_ROLE.match(item)
    ]


_AGE_SENTENCE = re.compile(r"(?:나이|연령)\S{0,2}\s*(?:은|는|:|제한)")


def roles_from_prose(text: str, *, today: date) -> tuple[list[RoleData], Age, str | None]:
    """(roles, post-wide age, post-wide gender) from the sentences about whom the call seeks.
    A call for a number of people names one generic role when nothing else does."""
    roles: list[RoleData] = []
    wide_age: Age = (None, None)
    wide_gender: str | None = None
    counted = False
    for sentence in sentences(text):
        if _AGE_SENTENCE.search(sentence) and not any(wide_age) and _AGE_WORDS.search(sentence):
            wide_age = n.parse_age(sentence, today=today)
        if not _SEEK.search(sentence):
            continue
        counted = counted or bool(_COUNTED.search(sentence))
        inline = list(_INLINE_ROLE.finditer(sentence))
        if len(inline) >= 2:
            for match in inline:
                age = n.parse_age(match.group("info"), today=today)
                name = re.sub(r"^(?:및|등|그리고)\s", "", match.group("name"))
                roles.append(RoleData(name=name, gender=gender_of(match.group("info")) or "",
                                      age_min=age[0], age_max=age[1]))  # fmt: skip
            continue
        for name in (m.group(1) or m.group(2) for m in _QUOTED_ROLE.finditer(sentence)):
            roles.append(RoleData(name=name.strip(), gender=""))
        if _ANY.search(sentence):
            wide_gender = wide_gender or "any"
        for segment in _SPLIT.split(_BOTH_SPELLED.sub("남녀", sentence)):
            found, age = _segment_role(segment, today)
            roles.extend(found)
            if age and not any(wide_age):
                wide_age = age
    if not roles:
        for sentence in sentences(text):
            if _SEEK.search(sentence) or "역할" in sentence:
                roles.extend(_named_roles(sentence))
    unique: dict[tuple, RoleData] = {}
    for role in roles:
        unique.setdefault((role.name, role.gender, role.age_min, role.age_max), role)
    if not unique and counted:
        unique[()] = RoleData(name="배우", gender="")
    return list(unique.values())[:MAX_ROLES], wide_age, wide_gender


# --- The post's roles -----------------------------------------------------------------------

_ROLE_SPLIT = re.compile(r"\s*(?:\n|,|/|·|;|\s(?=\d+\)\s))\s*(?![^()]*\))")


# What is left of a 극중배역 part once its ages, genders and counts are gone: its name.
_NOT_NAME_WORDS = re.compile(
    r"\d{1,2}\s*(?:세|살)?\s*[~\-]\s*\d{1,2}\s*(?:대|세|살)\s*(?:초반|중반|후반|초|중|후)?"
    r"|\d{1,2}\s*(?:대|세|살)\s*(?:초반|중반|후반|초|중|후|이상|이하)?"
    r"|남녀|남자|여자|남성|여성|(?<![가-힣])[남여](?![가-힣])|각|\d+\s*(?:명|분)|배우|모집|무관"
    r"|(?i:\b(?:early|mid|late)?[\s-]*[1-9]0'?s\b|\b(?:fe)?males?\b|\b(?:wo)?men\b|\d{1,2}\s*-\s*\d{1,2})"
)


def roles_from_label(text: str, *, today: date) -> list[RoleData]:
    """The header's 극중배역 value: `민지(20대 여자), 편의점 사장(50대 남자)`. A part that
    names no one (`10~50대 남녀`, `남녀 각 1명`) comes back with an empty name; `남녀` in it
    is two roles, male and female."""
    parts = [
        p for p in _ROLE_SPLIT.split(n.clean_text(text or ""))
        if p.strip(" -") and not _is_deadline_mark(p)
    ]  # fmt: skip
    roles = []
    for part in parts[:MAX_ROLES]:
        name = n.one_line(re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", part)).strip(" -:") or part
        name = re.sub(r"\s*역$", "", name) or name
        own_age = n.parse_age(part, today=today)
        if not _NOT_NAME_WORDS.sub("", name).strip(" -:,.()"):
            genders = ("male", "female") if _BOTH.search(part) else (n.parse_gender(part) or "",)
            roles += [
                RoleData(name="", gender=g, age_min=own_age[0], age_max=own_age[1],
                         description=part)
                for g in genders
            ]  # fmt: skip
            continue
        roles.append(
            RoleData(
                name=name[:200], gender=n.parse_gender(part) or "", age_min=own_age[0],
                age_max=own_age[1], description=part if part != name else "",
            )
        )  # fmt: skip
    return _merge_lone_parts(roles)


def _merge_lone_parts(roles: list[RoleData]) -> list[RoleData]:
    """`Male, 30s`, `Female lead, 20-25`: a nameless part that says only an age, or only a
    gender, describes the role before it when that role left it unsaid."""
    merged: list[RoleData] = []
    for role in roles:
        has_age = role.age_min is not None or role.age_max is not None
        previous = merged[-1] if merged else None
        if previous is not None and not role.name and bool(has_age) != bool(role.gender):
            before_age = previous.age_min is not None or previous.age_max is not None
            if has_age and not before_age:
                previous.age_min, previous.age_max = role.age_min, role.age_max
            elif role.gender and not previous.gender:
                previous.gender = role.gender
            else:
                merged.append(role)
                continue
            previous.description = ", ".join(filter(None, (previous.description or previous.name,
                                                            role.description)))  # fmt: skip
            continue
        merged.append(role)
    return merged


def _body_roles(sections: list[Section], today: date) -> list[RoleData]:
    roles: list[RoleData] = []
    for section in sections:
        if section.field == "roles":
            roles += roles_from_lines(section.text, today=today, in_role_block=True)
    if not roles:
        body = "\n".join(s.text for s in sections if s.field not in ("story",))
        roles = roles_from_lines(body, today=today, in_role_block=False)
    if not roles:
        roles = roles_introduced("\n".join(s.text for s in sections), today=today)
    return roles


_GENDER_NAME = {"male": "남", "female": "여"}


def parse_roles(
    text: str, *, gender: str | None, age: Age, height: Age, headcount: int | None,
    today: date, sections: list[Section] | None = None, prose: str = "",
) -> list[RoleData]:  # fmt: skip
    """One RoleData per role the post names; each role's own gender and age beat the call's
    (모집성별 / 나이, or what the prose says of everyone). A 극중배역 that names no one
    (`10~50대 남녀`) gives way to the roles the body lists, and then says only what they leave
    unsaid. Without role names, a call that states whom it wants is one role."""
    roles = roles_from_label(text, today=today)
    if not any(role.name for role in roles) and sections:
        body = _body_roles(sections, today)
        if body:
            # The nameless label is post-wide: its age and gender fill the body's gaps.
            ages = [(r.age_min, r.age_max) for r in roles if r.age_min or r.age_max]
            age = age if any(age) else (ages[0] if ages else age)
            if not gender and {r.gender for r in roles} == {"male", "female"}:
                gender = "any"
            roles = body
    roles = [
        RoleData(
            name=role.name or _GENDER_NAME.get(role.gender, "배우"), gender=role.gender,
            age_min=role.age_min, age_max=role.age_max, description=role.description,
        )
        for role in roles
    ]  # fmt: skip
    wide_age, wide_gender = age, gender
    if prose:
        found, prose_age, prose_gender = roles_from_prose(prose, today=today)
        roles = roles or found
        wide_age = age if any(age) else prose_age
        wide_gender = gender or prose_gender
    one = len(roles) == 1
    roles = [
        RoleData(
            name=role.name, gender=role.gender or wide_gender or "any",
            age_min=role.age_min if role.age_min is not None or role.age_max is not None
            else wide_age[0],
            age_max=role.age_max if role.age_min is not None or role.age_max is not None
            else wide_age[1],
            height_min_cm=height[0], height_max_cm=height[1],
            headcount=headcount if one else None, description=role.description,
        )
        for role in roles[:MAX_ROLES]
    ]  # fmt: skip
    if not roles and (wide_gender or any(wide_age) or headcount):
        roles.append(
            RoleData(
                name="배우", gender=wide_gender or "any", age_min=wide_age[0],
                age_max=wide_age[1], height_min_cm=height[0], height_max_cm=height[1],
                headcount=headcount,
            )
        )  # fmt: skip
    return roles
