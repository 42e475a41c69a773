"""JSON bodies carry JSON types: `{"name": 0}`, `{"year": "2020"}` and `{"flag": "true"}` are
400s, not silently coerced as DRF does by default.

DRF coerces because HTML forms and query strings carry only text. Our bodies are JSON only
(DEFAULT_PARSER_CLASSES), so a number where the contract says string is a client bug that
should surface, not be papered over; the API fuzzer (schemathesis' negative cases) holds the
API to it. Query parameters (a QueryDict) and the multipart photo upload keep DRF's parsing.

Installed once from OhManagerConfig.ready(); each patched field keeps DRF's own validation after
the type check.
"""

from typing import Any

from django.http import QueryDict
from rest_framework import fields


def _from_json_body(field: fields.Field) -> bool:
    data = getattr(field.root, "initial_data", None)
    return data is not None and not isinstance(data, QueryDict)


def _strict(field_class: type[fields.Field], accepts: tuple[type, ...]) -> None:
    original = field_class.to_internal_value
    if getattr(original, "_strict_json", False):
        return

    def to_internal_value(self: fields.Field, data: Any) -> Any:
        if _from_json_body(self):
            # bool is an int in Python, but never a JSON number or string.
            is_bool = isinstance(data, bool)
            if is_bool != (bool in accepts) or not isinstance(data, accepts):
                self.fail("invalid")
        return original(self, data)

    to_internal_value._strict_json = True  # type: ignore[attr-defined]
    field_class.to_internal_value = to_internal_value  # type: ignore[method-assign]


def install() -> None:
    _strict(fields.CharField, (str,))
    _strict(fields.BooleanField, (bool,))
    _strict(fields.IntegerField, (int,))
    _strict(fields.FloatField, (int, float))
