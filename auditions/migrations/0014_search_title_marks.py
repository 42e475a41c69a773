"""Rebuilds every audition's search document with the title's marked lexemes
(auditions.search: title matches are asked for by their own lexemes, so the planner sees how
rare they are). PostgreSQL only (SQLite keeps no document). Not atomic: batches of 2,000 rows
commit one by one, so a large catalogue is not locked whole; a re-run rewrites the same values."""

from django.db import migrations

from auditions import search  # the document the services write: this migration must match it

BATCH = 2000


def rebuild_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Audition = apps.get_model("auditions", "Audition")
    rows = Audition.objects.order_by("pk").values_list("pk", "title", "company", "description")
    last = None
    while True:
        batch = list((rows.filter(pk__gt=last) if last else rows)[:BATCH])
        if not batch:
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE auditions_audition SET search_vector = %s::tsvector WHERE id = %s",
                [
                    (search.document(title=title, company=company, description=text), pk)
                    for pk, title, company, text in batch
                ],
            )
        last = batch[-1][0]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("auditions", "0013_scam_warnings")]

    operations = [migrations.RunPython(rebuild_documents, migrations.RunPython.noop)]
