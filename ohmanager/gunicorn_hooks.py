"""What gunicorn.conf.py plugs into gunicorn (security review #13.8 and #13.11).

- `RedactingLogger`: gunicorn's logger with `ohmanager.redaction.RedactSecretsFilter` on its
  access and error loggers, so an access line (`%(r)s`, `%(U)s`, a Referer...) or an
  "Invalid request" warning never carries a calendar feed or profile card token, whatever
  the format.
- `install_json_errors()`: the answers gunicorn writes itself, before Django sees the request
  (a request line or header past gunicorn's limits, a malformed request), use the API's error
  envelope instead of gunicorn's HTML page. The app refuses over-long URLs and headers first,
  well below gunicorn's limits (ohmanager.limits.RequestLineLimitMiddleware); this covers what
  is too long even for gunicorn to read.
- `freeze_startup_objects()`: a worker's objects from loading the app (modules, classes,
  Django's and DRF's setup) go to the collector's permanent generation, so a full collection
  only walks what requests made since. Measured in-process on the 100k bench
  (bench/api/gc_pauses.py): a fresh worker's first full collection took 64-71 ms, inside one
  request of its first thousand (the likely cause of bench/api's first-page p99 of 74-79 ms);
  frozen here, 4-16 ms each.
  https://docs.python.org/3/library/gc.html#gc.freeze
"""

import gc
import json
import logging

from gunicorn import glogging, util

from ohmanager.redaction import RedactSecretsFilter

# gunicorn's statuses for the requests it refuses (gunicorn.workers.base.Worker.handle_error).
_CODES = {
    400: ("bad_request", "Bad request."),
    403: ("forbidden", "Request forbidden."),
    414: ("uri_too_long", "The request URL is too long."),
    417: ("expectation_failed", "Expectation failed."),
    431: ("headers_too_large", "The request headers are too large."),
    500: ("server_error", "Internal server error."),
    501: ("not_implemented", "Unsupported transfer coding."),
}


class RedactingLogger(glogging.Logger):
    def setup(self, cfg) -> None:
        super().setup(cfg)
        # On the loggers, not their handlers: gunicorn replaces the handlers on every reopen
        # (USR1) and these records are logged on these loggers directly (propagate is off).
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, RedactSecretsFilter) for f in log.filters):
                log.addFilter(RedactSecretsFilter())


def error_envelope_response(status: int, reason: str) -> bytes:
    """The raw HTTP answer for a request gunicorn refuses: `{"error": {"code","message"}}`.
    gunicorn's detail (which can quote the request line) is not echoed."""
    code, message = _CODES.get(status, ("bad_request", reason or "Bad request."))
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "\r\n"
    ).encode("latin-1")
    return head + body


def _write_error(sock, status_int: int, reason: str, mesg: str) -> None:
    util.write_nonblock(sock, error_envelope_response(int(status_int), reason))


def install_json_errors() -> None:
    """Makes gunicorn's own error answers JSON in this process. gunicorn writes them through
    `gunicorn.util.write_error(sock, status_int, reason, mesg)` (looked up at call time), so
    replacing it is enough; called from gunicorn.conf.py's `post_worker_init`."""
    if util.write_error is not _write_error:
        util.write_error = _write_error
        logging.getLogger("gunicorn.error").debug("gunicorn error answers use the envelope")


def freeze_startup_objects() -> int:
    """Collects the app's start-up garbage (nothing frozen is ever freed), then freezes what
    is left; called from gunicorn.conf.py's `post_worker_init`, once the app is loaded. Returns
    how many objects were frozen (also logged)."""
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    logging.getLogger("gunicorn.error").info("froze %d start-up objects", frozen)
    return frozen
