"""Validators of the profile's list fields (JSON arrays of short strings or choice codes).

Deconstructible so migrations can reference them; messages name the offending item.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _


@deconstructible
class StringListValidator:
    """A list of at most `max_items` distinct non-empty strings of at most `max_length`
    characters each; with `choices`, every item must be one of them."""

    def __init__(
        self, *, max_items: int, max_length: int = 40, choices: Iterable[str] | None = None
    ) -> None:
        self.max_items = max_items
        self.max_length = max_length
        self.choices = tuple(choices) if choices is not None else None

    def __call__(self, value: Any) -> None:
        if not isinstance(value, list):
            raise ValidationError(_("Expected a list."), code="invalid")
        if len(value) > self.max_items:
            raise ValidationError(
                _("At most %(max)d items.") % {"max": self.max_items}, code="max_items"
            )
        seen: set[str] = set()
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise ValidationError(_("Every item must be a non-empty text."), code="invalid")
            if len(item) > self.max_length:
                raise ValidationError(
                    _("“%(item)s…” is longer than %(max)d characters.")
                    % {"item": item[:20], "max": self.max_length},
                    code="max_length",
                )
            if self.choices is not None and item not in self.choices:
                raise ValidationError(
                    _("“%(item)s” is not a valid choice.") % {"item": item}, code="invalid_choice"
                )
            if item.casefold() in seen:
                raise ValidationError(
                    _("“%(item)s” is listed twice.") % {"item": item}, code="duplicate"
                )
            seen.add(item.casefold())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StringListValidator) and (
            self.max_items,
            self.max_length,
            self.choices,
        ) == (other.max_items, other.max_length, other.choices)


def normalize_string_list(value: Any) -> Any:
    """Trims items and drops blank ones and repeats (keeping the first spelling); anything that
    is not a list of strings is left for the validator to reject."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return value
    result: list[str] = []
    seen: set[str] = set()
    for item in value:
        item = " ".join(item.split())
        if item and item.casefold() not in seen:
            seen.add(item.casefold())
            result.append(item)
    return result
