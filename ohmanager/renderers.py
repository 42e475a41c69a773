"""The API's JSON renderer: DRF's JSONRenderer output, encoded by orjson.

Same media type, same compact UTF-8 output (DRF's COMPACT_JSON and UNICODE_JSON defaults),
same values: every type orjson does not write the way DRF's encoder does (datetimes, dates and
times: DRF truncates to milliseconds and writes UTC as `Z`; Decimal; lazy translations;
timedelta; querysets; bytes) goes through DRF's own `JSONEncoder.default`
(`OPT_PASSTHROUGH_DATETIME`). UUIDs, str/int/float/bool/None, lists and dicts orjson writes
itself, as `json` would. Anything orjson refuses (an int past 64 bits, a non-string key, a
lone surrogate) and a request for indented output fall back to DRF's renderer, so no answer
changes; U+2028/U+2029 are escaped as DRF escapes them.

Why: on the catalogue's list the stdlib encoder plus DRF's encoder hook was a visible share of
the request (bench/api/README.md).
"""

from typing import Any

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_DRF_DEFAULT = JSONEncoder().default
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME


class ORJSONRenderer(JSONRenderer):
    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict | None = None,
    ) -> bytes:
        if data is None:
            return b""
        renderer_context = renderer_context or {}
        if self.get_indent(accepted_media_type, renderer_context):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            out = orjson.dumps(data, default=_DRF_DEFAULT, option=_OPTIONS)
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
        # DRF escapes these two (valid JSON, but not valid JavaScript before ES2019).
        if b"\xe2\x80\xa8" in out or b"\xe2\x80\xa9" in out:
            out = out.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
        return out
