"""Trust and safety (#18) through HTTP and the services: quarantine on ingest (not listed, not
recommended, not alerted, a 404), staff's decisions that stick, member reports (limits,
weighting, hiding at once), the scam warning sent once, and posters known by their figures."""

import dataclasses
import importlib
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from accounts import services as account_services
from accounts.profiles import services as profile_services
from applications import services as application_services
from auditions import posters, services, tasks
from auditions.models import (
    AdvertiserKey,
    Audition,
    AuditionEvent,
    Bookmark,
    Report,
    ScamWarning,
)
from auditions.tests import factories

pytestmark = pytest.mark.django_db

LIST = "/api/v1/auditions"
SCAM_TEXT = "등록비 5만원 입금 후 오디션 일정 안내, 보호자 신분증 사본 제출"


def listed(client) -> list[str]:
    response = client.get(LIST)
    assert response.status_code == 200
    return [item["id"] for item in response.json()["results"]]


def ingest(**overrides) -> Audition:
    """A crawled call as ingest leaves it (the factory's `audition` forces a status)."""
    result = services.audition_ingest_listing(listing=factories.listing(**overrides))
    return Audition.objects.get(pk=result.audition_id)


def scam(**overrides) -> Audition:
    return ingest(description=SCAM_TEXT, **overrides)


def events(audition: Audition) -> list[str]:
    return list(
        AuditionEvent.objects.filter(audition=audition)
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    def run(task, *args):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            task.delay(*args)
        return mail.outbox[before:]

    return run


@pytest.fixture
def staff(db):
    return factories.member(is_staff=True)


# --- Quarantine -------------------------------------------------------------------------------


def test_a_risky_call_is_quarantined_on_ingest_and_hidden_everywhere(
    client_for, member, source, run_tasks
):
    today = timezone.localdate()
    account_services.profile_prepare(member=member)
    profile_services.profile_update(
        member=member,
        birth_date=date(today.year - 25, 1, 1),
        gender="female",
        interests=["film"],
        regions=["seoul"],
    )
    saved = client_for.post(
        "/api/v1/me/saved-searches",
        {"name": "서울 영화", "filters": {"category": ["film"]}, "frequency": "daily"},
        format="json",
    )
    assert saved.status_code == 201
    fine = factories.audition(title="괜찮은 단편 <빛>")
    bad = scam(title="수상한 단편 <그림자>")

    assert bad.status == Audition.Status.QUARANTINED
    assert bad.quarantine_reason == Audition.Quarantine.TRUST
    assert bad.trust_score <= 30
    assert events(bad) == ["created", "quarantined"]
    assert listed(client_for) == [str(fine.id)]
    assert client_for.get(f"{LIST}/{bad.id}").status_code == 404
    assert client_for.put(f"{LIST}/{bad.id}/bookmark").status_code == 404
    feed = client_for.get("/api/v1/auditions/recommended").json()["results"]
    assert [item["id"] for item in feed] == [str(fine.id)]
    [digest] = run_tasks(tasks.alert_daily_saved_searches)
    assert "괜찮은 단편" in digest.body and "수상한 단편" not in digest.body


def test_the_threshold_is_a_setting(source, settings):
    settings.AUDITION_QUARANTINE_SCORE = 0
    kept = scam()  # fee and ID: score 0, at the threshold
    settings.AUDITION_QUARANTINE_SCORE = -1
    open_ = scam()

    assert kept.status == Audition.Status.QUARANTINED
    assert open_.status == Audition.Status.OPEN


def test_the_batch_path_quarantines_as_the_single_path_does(source):
    [made] = services.audition_ingest_listings(
        listings=[factories.listing(description=SCAM_TEXT, deadline=None)]
    )
    audition = Audition.objects.get(pk=made.audition_id)

    assert audition.status == Audition.Status.QUARANTINED
    assert events(audition) == ["created", "quarantined"]


def test_a_cleared_call_stays_cleared_across_reingest(client_for, source, staff):
    listing = factories.listing(description=SCAM_TEXT)
    result = services.audition_ingest_listing(listing=listing)
    audition = Audition.objects.get(pk=result.audition_id)
    assert audition.status == Audition.Status.QUARANTINED

    services.audition_moderate(audition=audition, decision="clear", actor=staff, note="확인함")
    # the post changes (still risky) and is crawled again
    edited = dataclasses.replace(listing, description=SCAM_TEXT + " 데뷔 보장")
    services.audition_ingest_listing(listing=edited)
    audition.refresh_from_db()

    assert audition.status == Audition.Status.OPEN
    assert audition.trust_review == Audition.Review.CLEARED
    assert "guarantee_promised" in [f["code"] for f in audition.trust_flags]
    assert str(audition.id) in listed(client_for)
    cleared = AuditionEvent.objects.get(audition=audition, action="cleared")
    assert (cleared.actor, cleared.note) == (staff, "확인함")


def test_a_call_quarantined_for_its_score_is_released_when_the_post_is_fixed(source):
    listing = factories.listing(description=SCAM_TEXT)
    result = services.audition_ingest_listing(listing=listing)
    services.audition_ingest_listing(
        listing=dataclasses.replace(listing, description="20대 여자 배우를 찾습니다.")
    )
    audition = Audition.objects.get(pk=result.audition_id)

    assert audition.status == Audition.Status.OPEN
    assert events(audition) == ["created", "quarantined", "released", "updated"]
    assert audition.quarantine_reason == Audition.Quarantine.NONE


# --- Reports ----------------------------------------------------------------------------------


def report(client, audition, reason="scam", text="등록비를 요구했어요"):
    return client.post(f"{LIST}/{audition.id}/report", {"reason": reason, "text": text})


def test_a_report_is_201_once_then_409_already_reported(client_for, member, source):
    audition = factories.audition()

    first = report(client_for, audition)
    second = report(client_for, audition, reason="fee")

    assert first.status_code == 201
    assert first.json()["reason"] == "scam" and first.json()["text"] == "등록비를 요구했어요"
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "already_reported"
    assert Report.objects.get().weight == 1
    assert events(audition)[-1] == "reported"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": "boring"}, "reason"),
        ({}, "reason"),
        ({"reason": "other", "text": "x" * 2001}, "text"),
    ],
)
def test_a_report_is_validated(client_for, source, body, field):
    response = client_for.post(f"{LIST}/{factories.audition().id}/report", body)

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_reports_of_unseen_calls_are_404_and_anonymous_ones_401(client_for, api_client, source):
    hidden = factories.audition(status="hidden")
    quarantined = scam()

    assert report(client_for, hidden).status_code == 404
    assert report(client_for, quarantined).status_code == 404
    assert report(api_client.__class__(), factories.audition()).status_code == 401


def test_reports_are_throttled_per_member(client_for, source, settings):
    cache.clear()
    auditions = [factories.audition() for _ in range(11)]

    codes = [report(client_for, audition).status_code for audition in auditions]

    assert codes == [201] * 10 + [429]
    other = factories.member()
    client_for.force_authenticate(other)
    assert report(client_for, auditions[-1]).status_code == 201  # another member's own count


def test_weighted_reports_hide_the_call_at_once(api_client, source, settings):
    settings.AUDITION_REPORT_QUARANTINE_WEIGHT = 5
    audition = factories.audition(apply_method="in_app")
    applicant = factories.applicant(date_joined=timezone.now() - timedelta(days=30))
    application_services.application_create(member=applicant, audition_id=audition.id)
    bystanders = [factories.member() for _ in range(2)]

    for reporter in [applicant, bystanders[0]]:  # 3 + 1
        api_client.force_authenticate(reporter)
        assert report(api_client, audition).status_code == 201
    audition.refresh_from_db()
    assert audition.status == Audition.Status.OPEN
    api_client.force_authenticate(bystanders[1])
    assert report(api_client, audition, reason="fee").status_code == 201  # 5

    audition.refresh_from_db()
    assert sorted(Report.objects.values_list("weight", flat=True)) == [1, 1, 3]
    assert audition.status == Audition.Status.QUARANTINED
    assert audition.quarantine_reason == Audition.Quarantine.REPORTS
    assert api_client.get(f"{LIST}/{audition.id}").status_code == 404
    assert events(audition)[-1] == "quarantined"


@pytest.mark.parametrize(
    ("kind", "account_days", "min_days", "weight"),
    [
        ("in_app", 8, 7, 3),
        ("email", 8, 7, 3),
        ("external", 30, 7, 1),  # recorded by the member herself: the poster never got it
        ("in_app", 6, 7, 1),  # a fresh account
        ("email", 6, 7, 1),
        ("in_app", 6, 3, 3),  # the age is a setting
    ],
)
def test_only_a_received_application_from_a_seasoned_account_weighs_more(
    api_client, source, settings, kind, account_days, min_days, weight
):
    from applications.models import Application

    settings.AUDITION_REPORT_APPLIED_MIN_ACCOUNT_DAYS = min_days
    audition = factories.audition()
    reporter = factories.applicant(date_joined=timezone.now() - timedelta(days=account_days))
    application = application_services.application_create(
        member=reporter, audition_id=audition.id, external=True
    )
    # The kind as the sending paths leave it (applications' own tests cover those paths).
    Application.objects.filter(pk=application.pk).update(kind=kind)
    api_client.force_authenticate(reporter)

    assert report(api_client, audition).status_code == 201
    assert Report.objects.get().weight == weight


def test_two_fresh_accounts_with_external_applications_cannot_hide_a_call(
    api_client, source, settings
):
    settings.AUDITION_REPORT_QUARANTINE_WEIGHT = 5
    audition = factories.audition()
    for _ in range(2):
        reporter = factories.applicant()
        application_services.application_create(
            member=reporter, audition_id=audition.id, external=True
        )
        api_client.force_authenticate(reporter)
        assert report(api_client, audition).status_code == 201

    audition.refresh_from_db()
    assert audition.status == Audition.Status.OPEN
    assert list(Report.objects.values_list("weight", flat=True)) == [1, 1]


def test_a_minor_cannot_report_adult_content_she_cannot_see(client_for, member, source):
    adult = factories.audition(description="여자 배우. 노출신 있음.")
    account_services.profile_prepare(member=member)
    profile_services.profile_update(
        member=member, birth_date=date(timezone.localdate().year - 16, 1, 1)
    )
    assert client_for.get(f"{LIST}/{adult.id}").status_code == 404

    response = report(client_for, adult)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "audition_not_found"
    assert not Report.objects.exists()
    grown = factories.applicant()
    client_for.force_authenticate(grown)
    assert report(client_for, adult).status_code == 201


# --- Staff's decisions ------------------------------------------------------------------------


def test_hiding_a_scam_tells_applicants_and_bookmarkers_once(
    source, staff, django_capture_on_commit_callbacks
):
    audition = factories.audition(description="데뷔 보장 오디션")
    applied, bookmarked, both, _bystander = (factories.applicant() for _ in range(4))
    bookmarked.language = "en"
    bookmarked.save(update_fields=["language"])
    for member in (applied, both):
        application_services.application_create(member=member, audition_id=audition.id)
    for member in (bookmarked, both):
        services.bookmark_add(member=member, audition_id=audition.id)

    with django_capture_on_commit_callbacks(execute=True):
        result = services.audition_moderate(
            audition=audition, decision="scam", actor=staff, note="등록비 요구 확인"
        )
        again = services.audition_moderate(audition=audition, decision="scam", actor=staff)

        services.audition_moderate(audition=audition, decision="clear", actor=staff)
        third = services.audition_moderate(audition=audition, decision="scam", actor=staff)

    assert (result.members_told, again.members_told, third.members_told) == (3, 0, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [applied.email, bookmarked.email, both.email]
    )
    english = next(m for m in mail.outbox if m.to == [bookmarked.email])
    korean = next(m for m in mail.outbox if m.to == [applied.email])
    assert "taken down as a scam" in english.subject and "Reason: 등록비 요구 확인" in english.body
    assert "nobody can promise" in english.body
    assert "사기로 판단" in korean.subject and "누구도 약속할 수 없는" in korean.body
    audition.refresh_from_db()
    assert (audition.status, audition.trust_review) == ("hidden", "scam")
    assert set(
        AuditionEvent.objects.filter(audition=audition, action="scam").values_list(
            "actor", flat=True
        )
    ) == {staff.pk}


def test_a_second_hide_tells_only_members_not_told_before(
    source, staff, django_capture_on_commit_callbacks
):
    audition = factories.audition(description="데뷔 보장 오디션")
    early, late = factories.applicant(), factories.applicant()
    services.bookmark_add(member=early, audition_id=audition.id)

    with django_capture_on_commit_callbacks(execute=True):
        first = services.audition_moderate(audition=audition, decision="scam", actor=staff)
        services.audition_moderate(audition=audition, decision="clear", actor=staff)
        services.bookmark_add(member=late, audition_id=audition.id)
        second = services.audition_moderate(audition=audition, decision="scam", actor=staff)

    assert (first.members_told, second.members_told) == (1, 1)
    assert [m.to for m in mail.outbox] == [[early.email], [late.email]]
    assert set(ScamWarning.objects.values_list("member", "audition")) == {
        (early.pk, audition.pk),
        (late.pk, audition.pk),
    }


def test_the_migration_records_the_warnings_the_first_version_sent(source, staff):
    from django.apps import apps

    backfill = importlib.import_module("auditions.migrations.0013_scam_warnings")
    audition = factories.audition(description="데뷔 보장 오디션")
    applied, bookmarked, late = (factories.applicant() for _ in range(3))
    application_services.application_create(member=applied, audition_id=audition.id)
    services.bookmark_add(member=bookmarked, audition_id=audition.id)
    services.audition_moderate(audition=audition, decision="scam", actor=staff)
    ScamWarning.objects.all().delete()  # the database as the first version left it
    Bookmark.objects.create(
        member=late, audition=audition, created_at=timezone.now() + timedelta(minutes=1)
    )

    backfill.warnings_already_sent(apps, None)

    assert set(ScamWarning.objects.values_list("member", flat=True)) == {applied.pk, bookmarked.pk}


def test_close_and_duplicate_resolve_the_reports(client_for, source, staff):
    closing, duplicate, original = (factories.audition() for _ in range(3))
    for audition in (closing, duplicate):
        assert report(client_for, audition, reason="expired").status_code == 201

    closed = services.audition_moderate(audition=closing, decision="close", actor=staff)
    merged = services.audition_moderate(
        audition=duplicate, decision="duplicate", actor=staff, into=original
    )

    assert (closed.audition.status, closed.reports_resolved) == ("closed", 1)
    assert (merged.audition.status, merged.audition.duplicate_of_id) == ("merged", original.id)
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    assert events(duplicate)[-1] == "merged"


# --- Posters ----------------------------------------------------------------------------------


def test_contact_keys_are_normalised():
    keys = posters.contact_keys(
        apply_target="Casting+Film@Studio.Example",
        contact_raw="문의 010-1234-5678, +82 10 1234 5678",
        company="(주)필름공장",
    )
    assert keys == [("email", "casting@studio.example"), ("phone", "01012345678")]
    assert posters.contact_keys(apply_target="", contact_raw="", company="㈜필름공장") == [
        ("company", "필름공장")
    ]


def test_calls_with_one_contact_are_one_poster_and_staff_merge_two(source, staff):
    first = factories.audition(apply_target="casting@studio.example")
    second = factories.audition(apply_target="Casting@Studio.example")
    other = factories.audition(apply_target="another@studio2.example")
    merged_away = other.advertiser

    assert first.advertiser_id == second.advertiser_id != other.advertiser_id
    kept = services.advertiser_merge(advertiser=merged_away, into=first.advertiser, actor=staff)
    other.refresh_from_db()
    merged_away.refresh_from_db()

    assert other.advertiser_id == kept.pk
    assert AdvertiserKey.objects.filter(advertiser=kept).count() == 2
    assert merged_away.merged_into == kept
    assert events(other)[-1] == "poster_merged"
    # a later call on the merged-away contact finds the kept poster
    later = factories.audition(apply_target="another@studio2.example")
    assert later.advertiser_id == kept.pk


def crafted_applications(audition, statuses):
    for status in statuses:
        member = factories.applicant()
        application = application_services.application_create(
            member=member, audition_id=audition.id, external=True
        )
        if status != "applied":
            application_services.application_move(
                application_id=application.id, status=status, actor=member, by="member"
            )


def test_poster_figures_from_a_crafted_set_and_the_privacy_floor(client_for, member, source):
    one = factories.audition(apply_target="casting@studio.example")
    two = factories.audition(apply_target="casting@studio.example")
    crafted_applications(one, ["viewed", "shortlisted", "no_response", "applied"])

    poster = client_for.get(f"{LIST}/{one.id}").json()["poster"]
    assert poster["calls"] == 2
    assert poster["reply_rate"] is None  # 4 applications: under the floor of 5
    assert poster["member_reports"] == 0
    assert poster["first_seen"].endswith("+09:00")

    crafted_applications(two, ["cast", "withdrawn"])  # withdrawn: the member's, not counted
    assert report(client_for, two).status_code == 201
    poster = client_for.get(f"{LIST}/{one.id}").json()["poster"]
    figures = posters.poster_figures({one.advertiser_id})[one.advertiser_id]

    assert poster == {**poster, "calls": 2, "reply_rate": 0.6, "member_reports": 1}
    assert (figures.applications, figures.replied, figures.no_response) == (5, 3, 1)


def test_the_privacy_floor_counts_members_not_applications(client_for, source):
    calls = [factories.audition(apply_target="casting@studio.example") for _ in range(5)]
    one = factories.applicant()
    for audition in calls:  # one member, five applications: her outcome would be the rate
        application = application_services.application_create(
            member=one, audition_id=audition.id, external=True
        )
        application_services.application_move(
            application_id=application.id, status="viewed", actor=one, by="member"
        )
    poster_id = calls[0].advertiser_id

    assert client_for.get(f"{LIST}/{calls[0].id}").json()["poster"]["reply_rate"] is None
    assert posters.reply_rates({poster_id}) == {}
    assert posters.advertiser_with_reply_rate(poster_id)[1] is None

    crafted_applications(calls[1], ["no_response"] * 4)  # 5 members, 9 applications, 5 replied

    figures = posters.poster_figures({poster_id})[poster_id]
    assert (figures.applications, figures.members, figures.replied) == (9, 5, 5)
    assert client_for.get(f"{LIST}/{calls[0].id}").json()["poster"]["reply_rate"] == 0.6
    assert posters.reply_rates({poster_id}) == {poster_id: 0.6}  # 5/9 in steps of 0.1
    assert posters.advertiser_with_reply_rate(poster_id)[1] == 0.6


def test_a_poster_who_rarely_replies_weighs_on_the_trust_score(source):
    first = factories.audition(apply_target="silent@studio.example")
    crafted_applications(first, ["no_response"] * 4 + ["applied"])

    later = factories.audition(apply_target="silent@studio.example")

    assert "poster_rarely_replies" in [f["code"] for f in later.trust_flags]
    assert later.trust_score == 80


def test_a_blocked_poster_is_quarantined_now_and_on_ingest(client_for, source, staff):
    live = factories.audition(apply_target="bad@studio.example")

    assert services.advertiser_block(advertiser=live.advertiser, actor=staff) == 1
    future = ingest(apply_target="bad@studio.example")
    live.refresh_from_db()

    assert live.status == future.status == Audition.Status.QUARANTINED
    assert future.quarantine_reason == Audition.Quarantine.POSTER
    assert listed(client_for) == []
    assert events(live)[-2:] == ["poster_blocked", "quarantined"]


def test_merging_into_a_blocked_poster_quarantines_the_calls_it_now_has(source, staff):
    blocked = factories.audition(apply_target="bad@studio.example")
    services.advertiser_block(advertiser=blocked.advertiser, actor=staff)
    cleared = factories.audition(apply_target="bad@studio.example")  # quarantined on ingest
    services.audition_moderate(audition=cleared, decision="clear", actor=staff)
    moved = factories.audition(apply_target="other@studio2.example")

    services.advertiser_merge(advertiser=moved.advertiser, into=blocked.advertiser, actor=staff)
    moved.refresh_from_db()
    cleared.refresh_from_db()

    assert moved.status == Audition.Status.QUARANTINED
    assert moved.quarantine_reason == Audition.Quarantine.POSTER
    assert events(moved)[-3:] == ["poster_merged", "poster_blocked", "quarantined"]
    assert cleared.status == Audition.Status.OPEN  # staff's clear under the block stands


def test_merging_a_blocked_poster_into_another_blocks_it_and_quarantines_its_calls(source, staff):
    bad = factories.audition(apply_target="bad@studio.example")
    services.advertiser_block(advertiser=bad.advertiser, actor=staff)
    kept = factories.audition(apply_target="other@studio2.example")

    into = services.advertiser_merge(advertiser=bad.advertiser, into=kept.advertiser, actor=staff)
    kept.refresh_from_db()

    assert into.blocked and into.blocked_at is not None
    assert kept.status == Audition.Status.QUARANTINED
    assert kept.quarantine_reason == Audition.Quarantine.POSTER
    assert ingest(apply_target="other@studio2.example").status == Audition.Status.QUARANTINED


RELATED_QUERIES = 0 if connection.vendor == "postgresql" else 2


def test_the_list_carries_posters_in_a_flat_number_of_queries(
    client_for, source, django_assert_num_queries
):
    for number in range(6):
        factories.audition(apply_target=f"poster{number}@studio.example")
    # auditions, posters' figures, and roles and sources (in the page's own statement on
    # PostgreSQL: selectors.audition_rows)
    with django_assert_num_queries(2 + RELATED_QUERIES):
        results = client_for.get(LIST).json()["results"]
    assert all(item["poster"]["calls"] == 1 for item in results)
    no_contact = factories.audition(apply_target="", company="", contact_raw="")
    assert no_contact.advertiser_id is None
    assert client_for.get(f"{LIST}/{no_contact.id}").json()["poster"] is None


def test_figures_never_name_a_member(source):
    audition = factories.audition(apply_target="casting@studio.example")
    crafted_applications(audition, ["viewed"] * 5)
    figures = posters.poster_figures({audition.advertiser_id})[audition.advertiser_id]

    assert set(dataclasses.asdict(figures)) == {
        "calls",
        "applications",
        "members",
        "replied",
        "no_response",
        "member_reports",
        "first_seen",
        "last_seen",
    }
    assert figures.first_seen <= timezone.now() + timedelta(seconds=1)


def test_the_schema_agrees_with_the_contract(client):
    # the contract's "Reports and posters": the report path and its codes, `poster` on the audition
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    report_path = next(path for path in schema["paths"] if path.endswith("/report"))
    assert report_path == "/api/v1/auditions/{id}/report"
    post = schema["paths"][report_path]["post"]
    assert {"201", "400", "404", "409", "429"} <= set(post["responses"])
    assert "already_reported" in post["responses"]["409"]["description"]
    body = schema["components"]["schemas"]["ReportInputRequest"]
    assert body["required"] == ["reason"]
    reasons = schema["components"]["schemas"][
        body["properties"]["reason"]["$ref"].rsplit("/", 1)[-1]
    ]["enum"]
    assert reasons == ["scam", "fee", "fake", "inappropriate", "expired", "duplicate", "other"]
    audition = schema["components"]["schemas"]["Audition"]
    assert "poster" in audition["required"]
    poster = schema["components"]["schemas"]["Poster"]
    assert set(poster["properties"]) == {"calls", "reply_rate", "member_reports", "first_seen"}
    assert poster["properties"]["reply_rate"]["nullable"] is True
