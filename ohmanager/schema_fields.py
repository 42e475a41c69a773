"""The schema class every view uses: drf-spectacular's, stating one more rule of DRF's fields.

A `CharField` that may not be blank and trims whitespace (DRF's default) refuses a string of
spaces alone, which `minLength: 1` does not say: the schema adds `pattern: "\\S"` (at least one
character that is not whitespace) to request bodies so clients and the fuzzer know it. (Only to
requests: an output field may well be empty.)
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class PlatformAutoSchema(AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False) -> dict[str, Any]:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and not field.allow_blank
            and field.trim_whitespace
            and schema.get("type") == "string"
            and not {"pattern", "enum", "format"} & schema.keys()
        ):
            schema["pattern"] = r"\S"
        return schema
