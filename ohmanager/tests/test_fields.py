"""The JSON-types rule lives in the API's own field classes (ohmanager/fields.py), not in a
patch of DRF's: every serializer under */api/ uses them, and DRF's fields stay DRF's."""

import importlib
import inspect
import pkgutil

import pytest
from django.http import QueryDict
from rest_framework import serializers

from ohmanager.fields import STRICT_FIELDS, JSONTyped, StrictBooleanField, StrictCharField

API_PACKAGES = ("accounts.api", "applications.api", "auditions.api", "crawlers.api")


def _api_serializers() -> list[type[serializers.BaseSerializer]]:
    found = []
    for package_name in API_PACKAGES:
        package = importlib.import_module(package_name)
        for module_info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package_name}.{module_info.name}")
            found += [
                value
                for value in vars(module).values()
                if inspect.isclass(value)
                and issubclass(value, serializers.BaseSerializer)
                and value.__module__ == module.__name__
            ]
    return found


def _lenient_fields(serializer: serializers.Serializer, path: str) -> list[str]:
    lenient = []
    for name, field in serializer.fields.items():
        where = f"{path}.{name}"
        if isinstance(field, serializers.Serializer):
            lenient += _lenient_fields(field, where)
            continue
        child = getattr(field, "child", None)
        for candidate, label in ((field, where), (child, f"{where}[]")):
            if isinstance(candidate, serializers.Serializer):
                lenient += _lenient_fields(candidate, label)
            elif isinstance(candidate, tuple(STRICT_FIELDS)) and not isinstance(
                candidate, JSONTyped
            ):
                lenient.append(f"{label}: {type(candidate).__name__}")
    return lenient


def test_every_api_serializer_declares_strict_fields():
    classes = _api_serializers()
    assert len(classes) > 20  # the walk found the serializers

    lenient = [
        problem
        for serializer_class in classes
        for problem in _lenient_fields(serializer_class(), serializer_class.__qualname__)
    ]

    assert lenient == []


class _Body(serializers.Serializer):
    name = StrictCharField()
    flag = StrictBooleanField()


@pytest.mark.parametrize(
    ("body", "field"),
    [({"name": 0, "flag": True}, "name"), ({"name": "a", "flag": "true"}, "flag")],
)
def test_strict_fields_refuse_another_json_type(body, field):
    serializer = _Body(data=body)

    assert not serializer.is_valid()
    assert list(serializer.errors) == [field]


def test_strict_fields_keep_the_text_parsing_of_a_query_string():
    serializer = _Body(data=QueryDict("name=0&flag=true"))

    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data == {"name": "0", "flag": True}


def test_drfs_own_fields_are_not_patched():
    class Plain(serializers.Serializer):
        name = serializers.CharField()

    serializer = Plain(data={"name": 0})

    assert serializer.is_valid()
    assert serializer.validated_data == {"name": "0"}
