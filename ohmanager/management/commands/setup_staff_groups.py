from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ohmanager.staff_groups import STAFF_GROUPS


class Command(BaseCommand):
    help = (
        "Creates the staff groups (moderator, curator, support) with the permissions in "
        "ohmanager/staff_groups.py. Idempotent: each run sets every group to exactly those "
        "permissions, so a permission granted by hand to one of these groups is taken away "
        "again (make a group of another name for a custom role). Members stay in their groups."
    )

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        for name, wanted in STAFF_GROUPS.items():
            permissions = [_permission(label) for label in wanted]
            group, created = Group.objects.get_or_create(name=name)
            before = set(group.permissions.values_list("pk", flat=True))
            group.permissions.set(permissions)
            after = {permission.pk for permission in permissions}
            state = "created" if created else ("updated" if before != after else "kept")
            self.stdout.write(f"staff group {name}: {state} ({len(after)} permissions)")


def _permission(label: str) -> Permission:
    app_label, codename = label.split(".", 1)
    try:
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)
    except Permission.DoesNotExist:
        # Permissions are created after migrate; a missing one is a typo or an unmigrated app.
        raise CommandError(f"no permission {label}: run migrate first, or fix the name") from None
