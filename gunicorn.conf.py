"""gunicorn's settings that the app relies on, whoever starts it: gunicorn reads
./gunicorn.conf.py from its working directory, and the Procfile and the Dockerfile also name
it. Workers, binding and timeouts stay on their command lines.
https://docs.gunicorn.org/en/stable/settings.html
"""

# Security review #13.8: access and error lines never carry a calendar feed or profile card
# token (ohmanager.redaction), whatever access_log_format says (the Dockerfile logs gunicorn's
# default format to stdout).
logger_class = "ohmanager.gunicorn_hooks.RedactingLogger"

# Security review #13.11: gunicorn's limits sit above the app's (ohmanager.limits: URL 4096
# bytes, one header line 8190), so the app answers over-long URLs and headers with 414 / 431
# in the error envelope. 8190 is gunicorn's largest request line short of "unlimited".
limit_request_line = 8190
limit_request_field_size = 16380


def post_worker_init(worker) -> None:
    """What gunicorn still refuses itself (past the limits above, a malformed request) is
    answered in the error envelope too, not gunicorn's HTML page. The loaded app's objects are
    frozen out of the collector's full passes (ohmanager.gunicorn_hooks says why)."""
    from ohmanager.gunicorn_hooks import freeze_startup_objects, install_json_errors

    install_json_errors()
    freeze_startup_objects()
