"""Scores the normaliser on the labelled corpus of real casting calls (crawlers/tests/corpus/).

Each post goes the way a board spider sends it: `LabelExtractor.from_text` reads the
`label: value` pairs, the rest is the description, then `pipelines.listing_from_item`
normalises it (dates read against the post's own date when it has one). Only labelled
fields are scored; see bench/quality/README.md for how the labels were made. Used by
`python -m bench.quality` (the table and the misses) and by test_corpus_quality.py (the floor).
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent / "corpus"
REPO = Path(__file__).resolve().parents[2]
READ_FIELDS = (
    "category", "region", "pay_type", "pay_amount_min", "pay_amount_max", "pay_unit",
    "deadline", "apply_method", "roles",
)  # fmt: skip
# What an e-mail application needs (issue 16): the address applications go to (e-mail posts;
# "" where the kept text gives none), whether the post refuses third-party submissions, the
# subject it asks for (null: none). Scored per field but kept out of the overall figure, which
# stays comparable with the readings before them (nearly every post says no to both).
APPLY_FIELDS = ("apply_target", "direct_only", "subject_format")
FIELDS = READ_FIELDS + APPLY_FIELDS
# The corpus masks e-mail local parts and phone digits; give them back an address's shape so
# the redaction is not scored against the normaliser (a crawl sees the real address).
_MASKED_EMAIL = re.compile(r"\*{3}@")
_MASKED_PHONE = re.compile(r"010-\*{4}-\*{4}")


@dataclass
class Tally:
    right: int = 0
    labelled: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.labelled += 1

    @property
    def pct(self) -> float:
        return round(100 * self.right / self.labelled, 1) if self.labelled else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"right": self.right, "labelled": self.labelled, "pct": self.pct}


@dataclass
class Report:
    posts: int = 0
    fields: dict[str, Tally] = field(default_factory=lambda: {f: Tally() for f in FIELDS})
    overall: Tally = field(default_factory=Tally)
    header: Tally = field(default_factory=Tally)
    free_form: Tally = field(default_factory=Tally)
    role_match: Tally = field(default_factory=Tally)
    misses: list[dict[str, Any]] = field(default_factory=list)


def setup_django() -> None:
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ohmanager.settings.test")
    import django

    django.setup()


def normalise(post: dict[str, Any]) -> dict[str, Any]:
    """What today's normaliser makes of the post, in the labels' vocabulary."""
    from crawlers.scraper.labels import LabelExtractor
    from crawlers.scraper.pipelines import listing_from_item

    text = _MASKED_PHONE.sub("010-0000-0000", _MASKED_EMAIL.sub("redacted@", post["text"]))
    labelled, free = LabelExtractor().from_text(text)
    item = {
        **labelled,
        "url": post["source_url"],
        "title": post.get("title") or "",
        "description": free,
        "posted": post.get("posted") or "",
    }
    today = date.fromisoformat(post["posted"]) if post.get("posted") else date.today()
    listing = listing_from_item(item, source_slug="quality", today=today)
    return {
        "category": listing.category,
        "region": listing.region or None,
        "pay_type": listing.pay_type,
        "pay_amount_min": listing.pay_amount_min,
        "pay_amount_max": listing.pay_amount_max,
        "pay_unit": listing.pay_unit or None,
        "deadline": listing.deadline.isoformat() if listing.deadline else None,
        "apply_method": listing.apply_method,
        "apply_target": listing.apply_target,
        "direct_only": listing.apply_direct_only,
        "subject_format": listing.apply_subject_format or None,
        "roles": [
            {"name": r.name, "gender": r.gender, "age_min": r.age_min, "age_max": r.age_max}
            for r in listing.roles
        ],
    }


def _role_fits(want: dict[str, Any], got: dict[str, Any]) -> bool:
    return all(got.get(k) == want[k] for k in ("gender", "age_min", "age_max") if k in want)


def match_roles(wanted: list[dict[str, Any]], got: list[dict[str, Any]]) -> list[bool]:
    """Per labelled role with a gender or age, whether a produced role (each used once) has
    the same gender and ages."""
    free = list(got)
    results = []
    for want in wanted:
        if not any(k in want for k in ("gender", "age_min", "age_max")):
            continue
        hit = next((g for g in free if _role_fits(want, g)), None)
        if hit is not None:
            free.remove(hit)
        results.append(hit is not None)
    return results


def score(posts: list[tuple[str, dict[str, Any]]]) -> Report:
    report = Report(posts=len(posts))
    for post_id, post in posts:
        got = normalise(post)
        group = report.header if "header" in post.get("layout", []) else report.free_form
        for name, expected in post["labels"].items():
            if name == "roles":
                ok = bool(got["roles"]) if expected else not got["roles"]
                shown: Any = len(got["roles"])
                for fits in match_roles(expected, got["roles"]):
                    report.role_match.add(fits)
                if not ok or not all(match_roles(expected, got["roles"])):
                    report.misses.append({
                        "post": post_id, "field": "roles", "got": got["roles"],
                        "expected": expected,
                    })  # fmt: skip
            else:
                if name == "apply_target" and expected:
                    expected = _MASKED_EMAIL.sub("redacted@", expected)  # as the text was fed
                ok = got[name] == expected
                shown = got[name]
                if not ok:
                    report.misses.append(
                        {"post": post_id, "field": name, "got": shown, "expected": expected}
                    )
            tallies = (report.fields[name],)
            if name in READ_FIELDS:
                tallies += (report.overall, group)
            for tally in tallies:
                tally.add(ok)
    return report


def load() -> list[tuple[str, dict[str, Any]]]:
    return [
        (path.stem, json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(CORPUS.glob("*.json"))
    ]
