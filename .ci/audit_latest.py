"""A partial dependency audit for networks that reach only a PyPI mirror (CI's, here).

pip-audit needs PyPI's per-version JSON (`/pypi/<name>/<version>/json`) or OSV; where neither
answers, this reads what does: the project JSON (`/pypi/<name>/json`), whose `vulnerabilities`
list (PyPA advisory database / OSV ids) describes the project's latest release. For each pin of
requirements.txt:

- pin == latest release: the list applies to our version. Any entry fails the audit.
- an older pin: PyPI gives no data for our version. Reported as NOT COVERED, with any newer
  release of the same line (Django 5.2.x, say: a security fix for our line would be a new
  patch release) and any advisory still open in the latest release.

Exit status 1 if a covered pin has a known vulnerability or the index cannot be read; 0
otherwise, always saying how many pins it could not cover. A weaker check than pip-audit,
never presented as one.

    .venv/bin/python .ci/audit_latest.py [requirements.txt] [--index https://pypi.org/pypi]
"""

import argparse
import json
import re
import sys
import urllib.request
from pathlib import Path

from packaging.version import InvalidVersion, Version

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)")


def pins(requirements: Path) -> list[tuple[str, str]]:
    found = []
    for line in requirements.read_text().splitlines():
        match = PIN.match(line.strip())
        if match:
            found.append((match.group(1), match.group(2)))
    return found


def project(index: str, name: str) -> dict:
    canonical = re.sub(r"[-_.]+", "-", name).lower()
    url = f"{index}/{canonical}/json"  # main() admits only http(s) indexes
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310
        return json.load(response)


def newer_in_series(pin: str, releases: list[str]) -> list[str]:
    """Final releases after `pin` that share all but its last release number (5.2.19 -> 5.2.x,
    26.3 -> 26.x): where a fix for our line would appear."""
    try:
        ours = Version(pin)
    except InvalidVersion:
        return []
    newer = []
    for release in releases:
        try:
            version = Version(release)
        except InvalidVersion:
            continue
        prefix = ours.release[:-1]
        same_series = version.release[: len(prefix)] == prefix
        if same_series and version > ours and not version.is_prerelease:
            newer.append(release)
    return sorted(newer, key=Version)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("requirements", nargs="?", default="requirements.txt")
    parser.add_argument("--index", default="https://pypi.org/pypi")
    args = parser.parse_args()
    if not args.index.startswith(("https://", "http://")):
        parser.error("--index must be an http(s) URL")

    vulnerable, not_covered, covered = [], [], 0
    for name, pin in pins(Path(args.requirements)):
        try:
            data = project(args.index, name)
        except OSError as error:
            print(f"FATAL: cannot read {name} from {args.index}: {error}", file=sys.stderr)
            return 1
        latest = data["info"]["version"]
        advisories = [advisory["id"] for advisory in data.get("vulnerabilities") or []]
        if pin == latest:
            covered += 1
            if advisories:
                vulnerable.append(f"{name}=={pin}: {', '.join(advisories)}")
            continue
        newer = newer_in_series(pin, list(data.get("releases", {})))
        series = f"newer in series: {', '.join(newer)}" if newer else "newest of its series"
        open_in_latest = f"; open in {latest}: {', '.join(advisories)}" if advisories else ""
        not_covered.append(f"{name}=={pin} (latest {latest}; {series}{open_in_latest})")

    total = covered + len(not_covered)
    print(f"partial audit (PyPI project JSON): {covered} of {total} pins covered")
    for line in vulnerable:
        print(f"VULNERABLE {line}")
    for line in not_covered:
        print(f"NOT COVERED {line}")
    if vulnerable:
        print("FATAL: known vulnerabilities in pinned dependencies", file=sys.stderr)
        return 1
    print(f"no known vulnerability in the {covered} covered pins")
    return 0


if __name__ == "__main__":
    sys.exit(main())
