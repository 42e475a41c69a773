"""R1: the practical limit. A bare WSGI app that runs exactly the SQL the endpoint issued
(every statement run.py captured from a real signed-in request, in order: the session check,
the page, a search's partitions, the posters' figures, the feed's steps) through psycopg and
encodes the page's rows with orjson. No Django, no DRF, no auth logic. Served by gunicorn with
the same settings as the real app."""

import json
import os

import orjson
import psycopg

SCENARIOS = json.loads(open(os.environ["BENCH_SQL_FILE"], encoding="utf-8").read())  # noqa: SIM115
_connection: psycopg.Connection | None = None


def _db() -> psycopg.Connection:
    global _connection  # one persistent connection per worker, as Django's pool gives R3
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(os.environ["BENCH_DSN"], autocommit=True)
    return _connection


def _run(cursor: psycopg.Cursor, statements: list[str]) -> list[dict]:
    """Runs every statement; the rows of those that read auditions with their roles (the
    page's statements) are the items."""
    items: list[dict] = []
    for sql in statements:
        cursor.execute(sql)  # captured with its values inlined: no parameters
        if cursor.description is None:
            continue
        names = [column.name for column in cursor.description]
        rows = cursor.fetchall()
        if "role_json" in names:
            for row in rows:
                item = dict(zip(names, row, strict=True))
                item["roles"] = orjson.loads(item.pop("role_json"))
                item["sources"] = orjson.loads(item.pop("source_json"))
                items.append(item)
    return items


def application(environ, start_response):
    scenario = SCENARIOS.get(environ["PATH_INFO"].strip("/"))
    if scenario is None:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"unknown scenario"]
    connection = _db()
    statements = scenario["statements"]
    with connection.cursor() as cursor:
        if any(sql.lstrip().upper().startswith("SET") for sql in statements):
            with connection.transaction():  # SET LOCAL lives in a transaction, as in R3
                items = _run(cursor, statements)
        else:
            items = _run(cursor, statements)
    items = items[: scenario["page_size"]]
    if scenario["single"]:
        body = orjson.dumps(items[0])
    else:
        body = orjson.dumps({"results": items, "next": None, "previous": None})
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]
