"""PostgreSQL-only search indexes; SQLite (local runs, `make test`) skips them and searches
with `contains` instead.

- GIN over the application-maintained bigram/unigram tsvector (auditions/search.py).
- pg_trgm + a trigram GIN over the normalised title, for the ingest's duplicate lookup.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "audition_search_gin": 'CREATE INDEX IF NOT EXISTS "audition_search_gin" ON '
    '"auditions_audition" USING gin ("search_vector")',
    "audition_title_trgm": 'CREATE INDEX IF NOT EXISTS "audition_title_trgm" ON '
    '"auditions_audition" USING gin ("title_norm" gin_trgm_ops)',
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in INDEXES.values():
        schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("auditions", "0001_initial")]

    operations = [
        # CreateExtension does nothing on other databases.
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
