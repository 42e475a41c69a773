"""R1: the practical limit. A bare WSGI app that runs exactly the SQL the list endpoint issued
(captured by run.py from a real request) through psycopg and encodes the rows with orjson.
No Django, no DRF, no auth. Served by gunicorn with the same settings as the real app."""

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


def _rows(cursor: psycopg.Cursor, sql: str, params=None) -> list[dict]:
    cursor.execute(sql, params)
    names = [column.name for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def application(environ, start_response):
    scenario = SCENARIOS.get(environ["PATH_INFO"].strip("/"))
    if scenario is None:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"unknown scenario"]
    with _db().cursor() as cursor:
        items = _rows(cursor, scenario["main"])[: scenario["page_size"]]
        if scenario["roles"] is None:  # the page's statement carries them as JSON text
            for item in items:
                item["roles"] = orjson.loads(item.pop("role_json"))
                item["sources"] = orjson.loads(item.pop("source_json"))
        else:
            ids = [item["id"] for item in items]
            by_id = {item["id"]: item for item in items}
            for item in items:
                item["roles"], item["sources"] = [], []
            for role in _rows(cursor, scenario["roles"], (ids,)):
                by_id[role["audition_id"]]["roles"].append(role)
            for listing in _rows(cursor, scenario["listings"], (ids,)):
                by_id[listing["audition_id"]]["sources"].append(listing)
    if scenario["single"]:
        body = orjson.dumps(items[0])
    else:
        body = orjson.dumps({"results": items, "next": None, "previous": None})
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]
