"""Demo data for `make run`. Each app adds its part here as it grows; everything is idempotent."""

from datetime import date

from accounts import services as account_services
from accounts.models import Member
from applications import demo as applications_demo
from auditions import demo as auditions_demo
from crawlers import demo as crawlers_demo

ADMIN_EMAIL = "admin@ohmanager.local"
PERFORMER_EMAIL = "performer@ohmanager.local"
DEMO_BIRTH_DATE = date(1996, 5, 20)


def load(*, admin_password: str, performer_password: str) -> list[str]:
    summary = []
    if not Member.objects.filter(email=ADMIN_EMAIL).exists():
        Member.objects.create_superuser(ADMIN_EMAIL, admin_password)
        summary.append(f"created staff member {ADMIN_EMAIL}")
    if not Member.objects.filter(email=PERFORMER_EMAIL).exists():
        Member.objects.create_user(PERFORMER_EMAIL, performer_password, status=Member.Status.ACTIVE)
        summary.append(f"created demo performer {PERFORMER_EMAIL}")
    # What activation gives every member: an empty profile (with the birth date of the sign-up,
    # an adult's) and a storage prefix (idempotent).
    account_services.profile_prepare(
        member=Member.objects.get(email=PERFORMER_EMAIL), birth_date=DEMO_BIRTH_DATE
    )
    summary += auditions_demo.load()
    summary += applications_demo.load(member=Member.objects.get(email=PERFORMER_EMAIL))
    summary += crawlers_demo.load()
    return summary
