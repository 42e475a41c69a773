"""Filters of `GET applications`."""

import django_filters

from applications.models import Application, Status


class ApplicationFilter(django_filters.FilterSet):
    # `?status=applied` or several: `?status=applied&status=viewed`.
    status = django_filters.MultipleChoiceFilter(choices=Status.choices)
    audition = django_filters.UUIDFilter(field_name="audition_id")

    class Meta:
        model = Application
        fields = ["status", "audition"]
