"""`manage.py load_sources FILE`: upsert crawl sources by slug from YAML or JSON."""

import json
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from crawlers.services import crawl_source_upsert
from ohmanager.exceptions import ApplicationError

REQUIRED = ("slug", "name", "kind", "start_urls")


class Command(BaseCommand):
    help = (
        "Creates or updates crawl sources from a YAML or JSON file with a top-level `sources` "
        "list (each: slug, name, kind, start_urls, optional config and tunables). Idempotent: "
        "sources are matched by slug. All or nothing: one invalid entry changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error}") from error
        data = json.loads(text) if file.suffix == ".json" else yaml.safe_load(text)
        entries = (data or {}).get("sources") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            raise CommandError("the file needs a top-level `sources` list")
        created = updated = 0
        with transaction.atomic():
            for index, entry in enumerate(entries, start=1):
                missing = [key for key in REQUIRED if not (entry or {}).get(key)]
                if missing:
                    raise CommandError(f"source {index}: missing {', '.join(missing)}")
                try:
                    _, was_created = crawl_source_upsert(**entry)
                except (ValidationError, ApplicationError, TypeError) as error:
                    raise CommandError(f"source {entry['slug']!r}: {error}") from error
                created += was_created
                updated += not was_created
        self.stdout.write(f"sources: {created} created, {updated} updated")
