"""Scores the project's normaliser on the labelled corpus of real casting calls.

    python -m bench.quality          # table, split, misses
    python -m bench.quality --json   # the same figures as JSON

The corpus and the scoring live in crawlers/tests/ (corpus/, quality.py), where the suite
also holds the normaliser to a floor (test_corpus_quality.py); see bench/quality/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from crawlers.tests.quality import APPLY_FIELDS, Report, load, score, setup_django


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
        if name not in APPLY_FIELDS:
            print(f"{name:<16}{tally.right:>7}{tally.labelled:>10}{tally.pct:>8.1f}")
    print(f"{'overall':<16}{report.overall.right:>7}{report.overall.labelled:>10}"
          f"{report.overall.pct:>8.1f}")  # fmt: skip
    print("e-mail application (not in overall):")
    for name in APPLY_FIELDS:
        tally = report.fields[name]
        print(f"{name:<16}{tally.right:>7}{tally.labelled:>10}{tally.pct:>8.1f}")
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
    setup_django()
    report = score(load())
    if args.json:
        print(json.dumps(as_json(report), ensure_ascii=False, indent=2))
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
