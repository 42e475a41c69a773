"""The reasons behind a recommended audition (`reasons` in `GET auditions/recommended`): the
score's parts of one page row turned into stable codes and text in the member's language.

The ranking itself (who is eligible, the score, the page) is auditions.recommendations; this
module only words what it found, for the page's rows.
"""

import functools
from datetime import date, tzinfo
from typing import Any

from django.utils import timezone, translation

from auditions.feed_points import POINTS_PAY_AMOUNT
from auditions.models import Audition, Category, Gender, Region
from auditions.recommendations import (
    NEAR_AGE_YEARS,
    NEAR_HEIGHT_CM,
    POINTS_REGION,
    Performer,
    in_range,
    role_fits,
)

TRUSTED_SCORE = 80
LOW_TRUST_SCORE = 50
DASH = "\u2013"  # ranges read "25\u201330", as in print


TEXTS: dict[str, dict[str, str]] = {
    "category_match": {
        "en": "{category}: one of your interests",
        "ko": "관심 분야({category})의 오디션입니다",
    },
    "region_match": {"en": "In {region}, where you work", "ko": "활동 지역({region})입니다"},
    "region_anywhere": {"en": "{region}: no travel needed", "ko": "{region} 진행이라 지역 무관"},
    "gender_fits_role": {
        "en": "Role “{role}” is for {gender}",
        "ko": "“{role}” 역은 {gender} 배역입니다",
    },
    "gender_any": {
        "en": "Role “{role}” is open to any gender",
        "ko": "“{role}” 역은 성별 무관입니다",
    },
    "age_fits_role": {
        "en": "Role “{role}” asks for {range}; you are {age}",
        "ko": "“{role}” 역 {range}세 모집, 회원님은 {age}세",
    },
    "height_fits_role": {
        "en": "Role “{role}” asks for {range} cm; you are {height} cm",
        "ko": "“{role}” 역 키 {range}cm, 회원님은 {height}cm",
    },
    "height_unknown": {
        "en": "Role “{role}” asks for {range} cm: add your height to your profile",
        "ko": "“{role}” 역은 키 {range}cm를 찾습니다. 프로필에 키를 입력하세요",
    },
    "age_near_miss": {
        "en": "Near miss: role “{role}” asks for {range}; you are {age}",
        "ko": "아깝게 벗어남: “{role}” 역 {range}세 모집, 회원님은 {age}세",
    },
    "height_near_miss": {
        "en": "Near miss: role “{role}” asks for {range} cm; you are {height} cm",
        "ko": "아깝게 벗어남: “{role}” 역 키 {range}cm, 회원님은 {height}cm",
    },
    "pay_stated": {"en": "Pay stated: {pay}", "ko": "출연료 명시: {pay}"},
    "pay_terms": {"en": "Paid ({pay_type}), amount not stated", "ko": "유급(금액 미기재)"},
    "deadline_soon": {
        "en": "Closes soon: {deadline} ({days} days left)",
        "ko": "마감 임박: {deadline} ({days}일 남음)",
    },
    "deadline_today": {"en": "Closes today", "ko": "오늘 마감"},
    "fresh": {"en": "Posted {days} days ago", "ko": "{days}일 전 등록"},
    "fresh_today": {"en": "Posted today", "ko": "오늘 등록"},
    "trusted": {"en": "Trust score {score}", "ko": "신뢰도 {score}점"},
    "low_trust": {
        "en": "Low trust score {score}: check the posting before applying",
        "ko": "신뢰도 {score}점: 지원 전에 공고를 확인하세요",
    },
}
GENDER_WORDS = {
    "female": {"en": "women", "ko": "여성"},
    "male": {"en": "men", "ko": "남성"},
}


def _text(code: str, language: str, **values: Any) -> dict[str, str]:
    templates = TEXTS[code]
    return {"code": code, "text": templates.get(language, templates["en"]).format(**values)}


def _span(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"{low}{DASH}{high}"
    return f"{low}+" if low is not None else f"≤{high}"


def _specificity(role: dict, performer: Performer) -> int:
    """Prefer explaining the role that was written for someone like the member."""
    stated = (
        (role["gender"] == performer.gender)
        + (role["age_min"] is not None or role["age_max"] is not None)
        + (role["height_min_cm"] is not None or role["height_max_cm"] is not None)
    )
    return stated


def _role_reasons(roles: list[dict], performer: Performer, fits: bool) -> list[dict[str, str]]:
    lang = performer.language
    if fits:
        candidates = [r for r in roles if role_fits(r, performer)]
        if not candidates:
            return []
        role = max(candidates, key=lambda r: _specificity(r, performer))
        reasons = []
        if role["gender"] == Gender.ANY:
            reasons.append(_text("gender_any", lang, role=role["name"]))
        elif role["gender"] == performer.gender:
            reasons.append(
                _text(
                    "gender_fits_role",
                    lang,
                    role=role["name"],
                    gender=GENDER_WORDS[role["gender"]][lang if lang in ("en", "ko") else "en"],
                )
            )
        age_stated = role["age_min"] is not None or role["age_max"] is not None
        if performer.age is not None and age_stated:
            reasons.append(
                _text(
                    "age_fits_role",
                    lang,
                    role=role["name"],
                    range=_span(role["age_min"], role["age_max"]),
                    age=performer.age,
                )
            )
        height_stated = role["height_min_cm"] is not None or role["height_max_cm"] is not None
        if height_stated:
            span = _span(role["height_min_cm"], role["height_max_cm"])
            if performer.height_cm is None:
                reasons.append(_text("height_unknown", lang, role=role["name"], range=span))
            else:
                reasons.append(
                    _text(
                        "height_fits_role",
                        lang,
                        role=role["name"],
                        range=span,
                        height=performer.height_cm,
                    )
                )
        return reasons
    # A near miss: say by how much, for the closest role.
    slack = (NEAR_AGE_YEARS, NEAR_HEIGHT_CM)
    for role in roles:
        if not role_fits(role, performer, slack):
            continue
        reasons = []
        if performer.age is not None and not in_range(
            role["age_min"], role["age_max"], performer.age
        ):
            reasons.append(
                _text(
                    "age_near_miss",
                    lang,
                    role=role["name"],
                    range=_span(role["age_min"], role["age_max"]),
                    age=performer.age,
                )
            )
        if performer.height_cm is not None and not in_range(
            role["height_min_cm"], role["height_max_cm"], performer.height_cm
        ):
            reasons.append(
                _text(
                    "height_near_miss",
                    lang,
                    role=role["name"],
                    range=_span(role["height_min_cm"], role["height_max_cm"]),
                    height=performer.height_cm,
                )
            )
        return reasons
    return []


def _pay_text(audition: Audition) -> str:
    low, high = audition.pay_amount_min, audition.pay_amount_max
    amount = f"{low:,}{DASH}{high:,}" if low and high and low != high else f"{(high or low):,}"
    unit = f"/{audition.pay_unit}" if audition.pay_unit else ""
    return f"{amount} {audition.pay_currency}{unit}"


def _label(choices: type, value: str) -> str:
    """A choice's label in the active language: what get_FOO_display gives, without
    rebuilding the field's choices dict or translating again on every call (profiled, a
    third and then a quarter of the page's explaining time)."""
    return _translated_label(choices, value, translation.get_language())


@functools.lru_cache(maxsize=1024)  # choices x values x languages: a few hundred at most
def _translated_label(choices: type, value: str, language: str | None) -> str:
    try:
        return str(choices(value).label)  # translated into `language`, the active one
    except ValueError:
        return value


def explain(
    audition: Audition,
    performer: Performer,
    today: date,
    *,
    zone: tzinfo | None = None,
    local_today: date | None = None,
) -> list[dict[str, str]]:
    """The reasons behind one scored row (its `pts_*` annotations and its `role_rows`), most
    weighty first. Codes are stable for the app; texts follow the member's language. `zone`
    and `local_today`: the current time zone and its date, when the caller has them for a
    whole page (looked up per row otherwise)."""
    lang = performer.language
    reasons = _role_reasons(audition.role_rows, performer, bool(audition.fits))
    if audition.pts_category:
        reasons.append(_text("category_match", lang, category=_label(Category, audition.category)))
    if audition.pts_region == POINTS_REGION:
        reasons.append(_text("region_match", lang, region=_label(Region, audition.region)))
    elif audition.pts_region:
        reasons.append(_text("region_anywhere", lang, region=_label(Region, audition.region)))
    if audition.pts_deadline and audition.deadline:
        days = (audition.deadline - today).days
        if days == 0:
            reasons.append(_text("deadline_today", lang))
        else:
            reasons.append(
                _text("deadline_soon", lang, deadline=audition.deadline.isoformat(), days=days)
            )
    if audition.pts_pay == POINTS_PAY_AMOUNT:
        reasons.append(_text("pay_stated", lang, pay=_pay_text(audition)))
    elif audition.pts_pay:
        reasons.append(_text("pay_terms", lang, pay_type=audition.pay_type))
    if audition.pts_fresh:
        zone = timezone.get_current_timezone() if zone is None else zone
        local_today = timezone.localdate(timezone=zone) if local_today is None else local_today
        days = (local_today - audition.posted_at.astimezone(zone).date()).days
        reasons.append(_text("fresh", lang, days=days) if days > 0 else _text("fresh_today", lang))
    if audition.trust_score >= TRUSTED_SCORE:
        reasons.append(_text("trusted", lang, score=audition.trust_score))
    elif audition.trust_score < LOW_TRUST_SCORE:
        reasons.append(_text("low_trust", lang, score=audition.trust_score))
    return reasons
