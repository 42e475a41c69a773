"""Scores the project's normaliser on the labelled corpus of real casting calls.

    python -m bench.quality          # table, split, misses
    python -m bench.quality --json   # the same figures as JSON

Each post goes the way a board spider sends it: `LabelExtractor.from_text` reads the
`label: value` pairs, the rest is the description, then `pipelines.listing_from_item`
normalises it (dates read against the post's own date when it has one). Only labelled
fields are scored; see bench/quality/README.md for how the labels were made.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent / "corpus"
FIELDS = (
    "category", "region", "pay_type", "pay_amount_min", "pay_amount_max", "pay_unit",
    "deadline", "apply_method", "roles",
)  # fmt: skip
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


def _setup_django() -> None:
    sys.path.insert(0, str(CORPUS.parent.parent.parent))
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
                ok = got[name] == expected
                shown = got[name]
                if not ok:
                    report.misses.append(
                        {"post": post_id, "field": name, "got": shown, "expected": expected}
                    )
            for tally in (report.fields[name], report.overall, group):
                tally.add(ok)
    return report


def load() -> list[tuple[str, dict[str, Any]]]:
    return [
        (path.stem, json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(CORPUS.glob("*.json"))
    ]


def _short(value: Any) -> str:
    if isinstance(value, list):
        return (
            "; ".join(
                f"{r.get('name', '?')}:{r.get('gender', '-')}:{r.get('age_min')}-{r.get('age_max')}"
                for r in value
            )
            or "[]"
        )
    return "—" if value is None else str(value)


def print_report(report: Report) -> None:
    print(f"{report.posts} posts, {report.overall.labelled} labelled fields\n")
    print(f"{'field':<16}{'right':>7}{'labelled':>10}{'%':>8}")
    for name, tally in report.fields.items():
        print(f"{name:<16}{tally.right:>7}{tally.labelled:>10}{tally.pct:>8.1f}")
    print(f"{'overall':<16}{report.overall.right:>7}{report.overall.labelled:>10}"
          f"{report.overall.pct:>8.1f}")  # fmt: skip
    print(f"\nlabelled-header posts: {report.header.pct:.1f} % "
          f"({report.header.right}/{report.header.labelled})")  # fmt: skip
    print(f"free-form posts:       {report.free_form.pct:.1f} % "
          f"({report.free_form.right}/{report.free_form.labelled})")  # fmt: skip
    roles = report.fields["roles"]
    print(f"roles found:           {roles.pct:.1f} % of {roles.labelled} posts naming roles")
    print(f"role gender+age match: {report.role_match.pct:.1f} % "
          f"({report.role_match.right}/{report.role_match.labelled} labelled roles)")  # fmt: skip
    print(f"\nmisses ({len(report.misses)}):")
    for miss in report.misses:
        print(f"  {miss['post']}  {miss['field']:<15} got {_short(miss['got'])}"
              f"  expected {_short(miss['expected'])}")  # fmt: skip


def as_json(report: Report) -> dict[str, Any]:
    return {
        "posts": report.posts,
        "fields": {name: t.as_dict() for name, t in report.fields.items()},
        "overall": report.overall.as_dict(),
        "labelled_header": report.header.as_dict(),
        "free_form": report.free_form.as_dict(),
        "roles_found": report.fields["roles"].as_dict(),
        "role_match": report.role_match.as_dict(),
        "misses": report.misses,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    _setup_django()
    report = score(load())
    if args.json:
        print(json.dumps(as_json(report), ensure_ascii=False, indent=2))
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
