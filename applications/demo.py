"""Demo applications for the demo performer (`make run`), made through the services so the
history, snapshot and constraints are real. Idempotent: a performer who has applications
already gets no more."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.models import Member
from applications import services
from applications.models import Application, ApplicationEvent
from auditions import services as audition_services
from auditions.models import ApplyMethod, Audition

# The moves each demo application makes after it is created (external ones: the member's).
EXTERNAL_PATHS = (
    [],
    ["viewed"],
    ["shortlisted", "audition_scheduled"],
    ["viewed", "auditioned", "callback", "cast"],
)


def load(*, member: Member) -> list[str]:
    if Application.objects.filter(member=member).exists():
        return ["applications: the demo performer's are already there"]
    today = timezone.localdate()
    open_now = Audition.objects.filter(status=Audition.Status.OPEN).filter(
        Q(deadline__isnull=True) | Q(deadline__gte=today)
    )
    candidates = open_now.order_by("deadline", "title")
    made = 0

    in_app = candidates.filter(apply_method=ApplyMethod.IN_APP).first()
    if in_app is not None:
        services.application_create(
            member=member,
            audition_id=in_app.pk,
            role_id=in_app.roles.values_list("pk", flat=True).first(),
            message="안녕하세요, 앱 홍보 영상에 꼭 참여하고 싶습니다.",
        )
        made += 1

    external = list(candidates.exclude(apply_method=ApplyMethod.IN_APP)[: len(EXTERNAL_PATHS)])
    for audition, path in zip(external, EXTERNAL_PATHS, strict=False):
        application = services.application_create(
            member=member, audition_id=audition.pk, external=True
        )
        for status in path:
            services.application_move(
                application_id=application.pk,
                status=status,
                actor=member,
                by=ApplicationEvent.Actor.MEMBER,
                audition_at=(
                    timezone.now() + timedelta(days=3) if status == "audition_scheduled" else None
                ),
            )
        made += 1

    # One bookmark not applied to, so the calendar feed and the deadline reminders show it.
    leftover = candidates.exclude(pk__in=[a.pk for a in external]).exclude(deadline=None).first()
    if leftover is not None:
        audition_services.bookmark_add(member=member, audition_id=leftover.pk)
    return [f"applications: {made} created for {member.email}"]
