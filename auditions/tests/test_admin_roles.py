"""The audition admin's role inline writes through the roles service (issue #15, point 6): the
role list becomes staff's (locked against crawls) and the edit enters the audit trail, exactly
as through `services.audition_roles_save`. Through Django's test client, as staff post it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from auditions import services
from auditions.ingest import RoleData
from auditions.models import Audition, AuditionEvent, Role
from auditions.tests import factories
from ohmanager.tests.admin_staff import change_form_data, client_for, staff_member

pytestmark = pytest.mark.django_db

EDITOR_PERMS = [
    "auditions.view_audition",
    "auditions.change_audition",
    "auditions.add_role",
    "auditions.change_role",
    "auditions.delete_role",
]


def _change_url(audition: Audition) -> str:
    return reverse("admin:auditions_audition_change", args=[audition.pk])


def _form_data(client, audition: Audition) -> dict:
    """The change page posted back untouched; posted_at's widget is a date and a time field."""
    data = change_form_data(client, _change_url(audition))
    del data["posted_at"]
    shown = timezone.localtime(audition.posted_at)
    data.update({"posted_at_0": f"{shown:%Y-%m-%d}", "posted_at_1": f"{shown:%H:%M:%S}"})
    return data


def _two_roles(source) -> tuple[Audition, dict]:
    item = factories.listing(
        external_id="roles-1",
        roles=[RoleData(name="수진", gender="female"), RoleData(name="민호", gender="male")],
    )
    result = services.audition_ingest_listing(listing=item)
    return Audition.objects.get(pk=result.audition_id), item


def test_editing_roles_in_the_inline_locks_them_and_records_the_edit(source, monkeypatch):
    audition, item = _two_roles(source)
    staff = staff_member(perms=EDITOR_PERMS)
    client = client_for(staff)
    url = _change_url(audition)
    data = _form_data(client, audition)
    kept, dropped = audition.roles.order_by("position")
    assert data["roles-0-id"] == str(kept.pk)

    # given: one role renamed, one deleted, one added in the extra row
    data["roles-0-name"] = "수진 (주연)"
    data["roles-1-DELETE"] = "on"
    data.update(
        {
            "roles-TOTAL_FORMS": "3",
            "roles-2-position": "2",
            "roles-2-name": "지나",
            "roles-2-gender": "any",
            "roles-2-audition": str(audition.pk),
        }
    )
    # when
    handed = []
    real = services.audition_roles_save

    def spy(**kwargs):
        handed.append(([r.name for r in kwargs["saved"]], [r.pk for r in kwargs["deleted"]]))
        return real(**kwargs)

    monkeypatch.setattr(services, "audition_roles_save", spy)
    response = client.post(url, data)

    # then: the admin handed the roles to the service, which wrote them
    assert response.status_code == 302, _errors(response)
    assert handed == [(["수진 (주연)", "지나"], [dropped.pk])]
    roles = list(Audition.objects.get(pk=audition.pk).roles.order_by("position"))
    assert [(r.name, r.gender) for r in roles] == [("수진 (주연)", "female"), ("지나", "any")]
    assert roles[0].pk == kept.pk  # edited in place: applications to it keep their role
    assert not Role.objects.filter(pk=dropped.pk).exists()
    audition.refresh_from_db()
    assert "roles" in audition.staff_locked_fields
    edit = AuditionEvent.objects.get(audition=audition, action=AuditionEvent.Action.EDITED)
    assert edit.actor == staff and edit.changes == {"roles": "edited"}

    # and a later crawl of a changed listing leaves staff's roles alone
    item.roles = [RoleData(name="크롤러 배역", gender="male")]
    item.title = f"{item.title} (수정)"
    services.audition_ingest_listing(listing=item)
    assert [r.name for r in audition.roles.order_by("position")] == ["수진 (주연)", "지나"]


def test_an_untouched_inline_writes_nothing(source):
    audition, _ = _two_roles(source)
    client = client_for(staff_member(perms=EDITOR_PERMS))
    url = _change_url(audition)
    before = list(audition.roles.values_list("pk", "name"))

    response = client.post(url, _form_data(client, audition))

    assert response.status_code == 302
    audition.refresh_from_db()
    assert "roles" not in audition.staff_locked_fields
    assert not AuditionEvent.objects.filter(audition=audition, action="edited").exists()
    assert list(audition.roles.values_list("pk", "name")) == before


def test_an_invalid_role_is_refused_and_nothing_is_written(source):
    audition, _ = _two_roles(source)
    client = client_for(staff_member(perms=EDITOR_PERMS))
    url = _change_url(audition)
    data = _form_data(client, audition)
    data.update({"roles-0-age_min": "40", "roles-0-age_max": "20"})  # role_age_range

    response = client.post(url, data)

    assert response.status_code == 200  # the form again, with the error
    audition.refresh_from_db()
    assert "roles" not in audition.staff_locked_fields
    assert audition.roles.filter(age_min=40).count() == 0
    assert not AuditionEvent.objects.filter(audition=audition, action="edited").exists()


def _errors(response) -> list:
    """The form's and the inlines' errors, when the admin shows the form again."""
    context = response.context
    errors = [context["adminform"].form.errors]
    errors += [inline.formset.errors for inline in context["inline_admin_formsets"]]
    return [error for error in errors if error]


def test_a_new_auditions_roles_are_written_without_an_edit_entry(source):
    staff = staff_member(perms=[*EDITOR_PERMS, "auditions.add_audition"])
    client = client_for(staff)
    url = reverse("admin:auditions_audition_add")
    data = change_form_data(client, url)
    data.update(
        {
            "title": "직원이 올린 공고",
            "category": "film",
            "region": "seoul",
            "pay_type": "unknown",
            "posted_at_0": f"{timezone.localdate():%Y-%m-%d}",
            "posted_at_1": "09:00:00",
            "roles-TOTAL_FORMS": "1",
            "roles-0-position": "0",
            "roles-0-name": "지나",
            "roles-0-gender": "any",
        }
    )
    response = client.post(url, data)

    assert response.status_code == 302, _errors(response)
    audition = Audition.objects.get(title="직원이 올린 공고")
    assert [r.name for r in audition.roles.all()] == ["지나"]
    assert "roles" not in audition.staff_locked_fields
    assert list(audition.events.values_list("action", flat=True)) == ["created"]
