"""Helpers for testing the back office as a staff member who is not a superuser: a member with
`is_staff` and just the permissions (or staff groups) given, signed in to Django's test Client,
and the POSTs the admin pages make (an action on the changelist, a change form as shown)."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.test import Client

from accounts.models import Member

STAFF_PASSWORD = "a-long-staff-password-7"


def permission(label: str) -> Permission:
    app_label, codename = label.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def staff_member(
    email: str = "staff@ohmanager.example",
    *,
    perms: Iterable[str] = (),
    groups: Iterable[str] = (),
    superuser: bool = False,
) -> Member:
    member = Member.objects.create_user(
        email, STAFF_PASSWORD, status=Member.Status.ACTIVE, is_staff=True, is_superuser=superuser
    )
    member.user_permissions.add(*(permission(label) for label in perms))
    member.groups.add(*(Group.objects.get(name=name) for name in groups))
    return member


def client_for(member: Member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def post_action(client: Client, changelist_url: str, action: str, pks: Iterable[Any]):
    """The changelist form's POST: an action and the ticked rows."""
    return client.post(
        changelist_url, {"action": action, "_selected_action": [str(pk) for pk in pks]}
    )


def offered_actions(client: Client, changelist_url: str) -> set[str]:
    page = client.get(changelist_url)
    assert page.status_code == 200
    form = page.context["action_form"]  # None when no action is left for this member
    return {name for name, _label in form.fields["action"].choices if name} if form else set()


def _form_values(form: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(value, bool):
            if value:
                values[key] = "on"
        elif isinstance(value, list | tuple):
            values[key] = [str(item) for item in value]
        elif value is not None:
            values[key] = str(value)
    return values


def change_form_data(client: Client, change_url: str) -> dict[str, Any]:
    """What a browser posts back from the change page as shown to this client, untouched:
    the main form's fields and every inline's management form and rows."""
    page = client.get(change_url)
    assert page.status_code == 200, page.status_code
    data = _form_values(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_values(formset.management_form))
        for form in formset.forms:
            data.update(_form_values(form))
    return data
