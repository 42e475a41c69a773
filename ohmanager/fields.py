"""The API's serializer fields: JSON bodies carry JSON types. `{"name": 0}`, `{"year": "2020"}`
and `{"flag": "true"}` are 400s, not silently coerced as DRF's own fields do.

DRF coerces because HTML forms and query strings carry only text. Our bodies are JSON only
(DEFAULT_PARSER_CLASSES), so a number where the contract says string is a client bug that
should surface, not be papered over; the API fuzzer (schemathesis' negative cases) holds the
API to it. Query parameters (a QueryDict) and the multipart photo upload keep DRF's parsing.

Every serializer under `*/api/` declares its text, boolean and number fields with these
classes (a test walks them), and `ModelSerializer` here maps model fields onto them. Each keeps
DRF's own validation after the type check.
"""

from typing import Any

from django.http import QueryDict
from rest_framework import serializers


class JSONTyped:
    """Refuses a JSON body's value unless it is one of `json_types` (then DRF's validation)."""

    json_types: tuple[type, ...]

    def to_internal_value(self, data: Any) -> Any:
        if _from_json_body(self):  # type: ignore[arg-type]
            # bool is an int in Python, but never a JSON number or string.
            is_bool = isinstance(data, bool)
            if is_bool != (bool in self.json_types) or not isinstance(data, self.json_types):
                self.fail("invalid")  # type: ignore[attr-defined]
        return super().to_internal_value(data)  # type: ignore[misc]


def _from_json_body(field: serializers.Field) -> bool:
    data = getattr(field.root, "initial_data", None)
    return data is not None and not isinstance(data, QueryDict)


class StrictCharField(JSONTyped, serializers.CharField):
    json_types = (str,)


class StrictEmailField(JSONTyped, serializers.EmailField):
    json_types = (str,)


class StrictRegexField(JSONTyped, serializers.RegexField):
    json_types = (str,)


class StrictSlugField(JSONTyped, serializers.SlugField):
    json_types = (str,)


class StrictURLField(JSONTyped, serializers.URLField):
    json_types = (str,)


class StrictIPAddressField(JSONTyped, serializers.IPAddressField):
    json_types = (str,)


class StrictBooleanField(JSONTyped, serializers.BooleanField):
    json_types = (bool,)


class StrictIntegerField(JSONTyped, serializers.IntegerField):
    json_types = (int,)


class StrictFloatField(JSONTyped, serializers.FloatField):
    json_types = (int, float)


# DRF's classes and ours: what the serializers' test and `ModelSerializer` below go by.
STRICT_FIELDS: dict[type[serializers.Field], type[serializers.Field]] = {
    serializers.CharField: StrictCharField,
    serializers.EmailField: StrictEmailField,
    serializers.RegexField: StrictRegexField,
    serializers.SlugField: StrictSlugField,
    serializers.URLField: StrictURLField,
    serializers.IPAddressField: StrictIPAddressField,
    serializers.BooleanField: StrictBooleanField,
    serializers.IntegerField: StrictIntegerField,
    serializers.FloatField: StrictFloatField,
}


# DRF's ModelSerializer whose generated fields are the strict ones. (No docstring: the schema
# would show it as the description of every serializer without one of its own.)
class ModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        model_field: STRICT_FIELDS.get(field, field)
        for model_field, field in serializers.ModelSerializer.serializer_field_mapping.items()
    }
