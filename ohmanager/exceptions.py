"""Errors the services raise. Each carries an HTTP status and a stable machine code that the
one exception handler writes into the API's error envelope."""

from typing import Any


class ApplicationError(Exception):
    status_code = 400
    code = "bad_request"
    default_message = "The request could not be processed."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.message = message or self.default_message
        if code:
            self.code = code
        self.fields = fields
        self.headers = headers or {}
        self.extra = extra or {}
        super().__init__(self.message)


class InvalidInput(ApplicationError):
    status_code = 400
    code = "validation_error"
    default_message = "Some fields are invalid."


class NotAuthenticated(ApplicationError):
    status_code = 401
    code = "not_authenticated"
    default_message = "Authentication is required."


class Forbidden(ApplicationError):
    status_code = 403
    code = "forbidden"
    default_message = "You are not allowed to do this."


class NotFound(ApplicationError):
    status_code = 404
    code = "not_found"
    default_message = "Not found."


class Conflict(ApplicationError):
    status_code = 409
    code = "conflict"
    default_message = "The request conflicts with the current state."


class Gone(ApplicationError):
    status_code = 410
    code = "gone"
    default_message = "This is no longer available."


class Throttled(ApplicationError):
    status_code = 429
    code = "throttled"
    default_message = "Too many requests. Try again later."

    def __init__(self, message: str | None = None, *, retry_after: int, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = max(1, int(retry_after))
        self.headers["Retry-After"] = str(self.retry_after)
