"""The list's query parameters (the contract): validated by django-filter, applied by the selector.

`q` and `status` are declared here for validation and the schema; the selector applies them,
because search needs the database vendor and the default status filter applies without them.
"""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from auditions.models import Audition, Category, Gender, Region, Role, SourceListing
from auditions.selectors import DEFAULT_ORDERING, ORDERINGS

PUBLIC_STATUS_CHOICES = [
    (Audition.Status.OPEN, _("Open")),
    (Audition.Status.CLOSED, _("Closed")),
    (Audition.Status.EXPIRED, _("Expired")),
]


class AuditionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="skip", max_length=200, help_text="Words in the title, company or description."
    )
    status = django_filters.ChoiceFilter(
        choices=PUBLIC_STATUS_CHOICES, method="skip", help_text="Default: open."
    )
    # distinct=False: no join here, and django-filter's default DISTINCT made PostgreSQL sort
    # every matching row (a sequential scan) instead of walking the ordering's index.
    category = django_filters.MultipleChoiceFilter(choices=Category.choices, distinct=False)
    region = django_filters.MultipleChoiceFilter(choices=Region.choices, distinct=False)
    gender = django_filters.ChoiceFilter(
        choices=[(g.value, g.label) for g in (Gender.FEMALE, Gender.MALE, Gender.ANY)],
        method="skip",
        help_text="female / male: auditions with a role open to that gender (its own or `any`); "
        "any: auditions with a role open to every gender (a role whose gender is `any`).",
    )
    age = django_filters.NumberFilter(
        method="skip", min_value=0, max_value=120, help_text="Auditions with a role for this age."
    )
    deadline_before = django_filters.DateFilter(field_name="deadline", lookup_expr="lte")
    deadline_after = django_filters.DateFilter(field_name="deadline", lookup_expr="gte")
    pay_min = django_filters.NumberFilter(
        field_name="pay_sort",
        lookup_expr="gte",
        min_value=0,
        help_text="Pays at least this much (the stated maximum, else the minimum).",
    )
    source = django_filters.CharFilter(
        method="filter_source", max_length=64, help_text="A source's slug."
    )
    ordering = django_filters.ChoiceFilter(
        choices=[(key, key) for key in ORDERINGS],
        method="skip",
        help_text=f"Default: {DEFAULT_ORDERING} (with q: title matches first).",
    )

    class Meta:
        model = Audition
        fields: list[str] = []

    def skip(self, queryset, name, value):
        return queryset

    def filter_source(self, queryset, name, value):
        return queryset.filter(
            Exists(SourceListing.objects.filter(audition_id=OuterRef("pk"), source__slug=value))
        )

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        gender = self.form.cleaned_data.get("gender")
        age = self.form.cleaned_data.get("age")
        if gender or age is not None:
            # One role must fit both: a female role aged 20-29 and a male role aged 40+ do not
            # make an audition for a 45-year-old woman.
            roles = Q(audition_id=OuterRef("pk"))
            if gender == Gender.ANY:
                # The contract: `any` means a role open to every gender, not "any role at all": an
                # audition with a female and a male role but no `any` role is not listed.
                roles &= Q(gender=Gender.ANY)
            elif gender:
                roles &= Q(gender__in=[gender, Gender.ANY])
            if age is not None:
                roles &= (Q(age_min__isnull=True) | Q(age_min__lte=age)) & (
                    Q(age_max__isnull=True) | Q(age_max__gte=age)
                )
            queryset = queryset.filter(Exists(Role.objects.filter(roles)))
        return queryset
