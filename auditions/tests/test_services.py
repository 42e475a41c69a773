from datetime import timedelta

import pytest
from django.utils import timezone

from auditions import services
from auditions.ingest import RoleData
from auditions.models import Audition, AuditionEvent, Bookmark, Role, SourceListing
from auditions.tests import factories
from ohmanager.exceptions import Conflict, InvalidInput

pytestmark = pytest.mark.django_db


def test_source_upsert_is_idempotent_and_updates():
    first = services.source_upsert(slug="playdb", name="PlayDB")
    again = services.source_upsert(slug="playdb", name="PlayDB")
    renamed = services.source_upsert(slug="playdb", name="플레이DB", homepage_url="https://p.kr")

    assert first.pk == again.pk == renamed.pk
    renamed.refresh_from_db()
    assert (renamed.name, renamed.homepage_url) == ("플레이DB", "https://p.kr")


def test_ingest_creates_an_open_audition_with_roles_listing_and_trust(source):
    result = services.audition_ingest_listing(listing=factories.listing(title="광고 모델 모집"))

    assert result.outcome == "created"
    audition = Audition.objects.get(pk=result.audition_id)
    assert audition.status == "open"
    assert audition.title_norm == "광고 모델 모집"
    assert [r.name for r in audition.roles.all()] == ["수진"]
    listing = SourceListing.objects.get(pk=result.listing_id)
    assert listing.is_primary and listing.source == source and listing.content_hash
    assert audition.trust_score == 100 and audition.trust_flags == []
    assert AuditionEvent.objects.filter(audition=audition, action="created").count() == 1


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"title": "  "}, "no title"),
        ({"url": "javascript:alert(1)"}, "not a valid"),
        ({"url": "/relative/path"}, "not a valid"),
        ({"source_slug": "nowhere"}, "Unknown source"),
    ],
)
def test_ingest_rejects_what_an_audition_cannot_be_made_of(source, overrides, reason):
    with pytest.raises(InvalidInput) as caught:
        services.audition_ingest_listing(listing=factories.listing(**overrides))

    assert caught.value.code == "listing_rejected"
    assert reason in caught.value.message
    assert not Audition.objects.exists()


def test_same_content_again_is_unchanged_and_only_bumps_last_seen(
    source, django_assert_max_num_queries
):
    item = factories.listing()
    first = services.audition_ingest_listing(listing=item)
    later = timezone.now() + timedelta(hours=3)

    # source, listing (for update), the UPDATE, and the savepoint pair around them
    with django_assert_max_num_queries(5):
        again = services.audition_ingest_listing(listing=item, seen_at=later)

    assert again == services.IngestResult("unchanged", first.audition_id, first.listing_id)
    assert SourceListing.objects.get(pk=first.listing_id).last_seen_at == later
    assert AuditionEvent.objects.count() == 1


def test_identity_falls_back_to_the_canonical_url(source):
    first = services.audition_ingest_listing(
        listing=factories.listing(external_id="", url="https://Filmmakers.example/a/1?utm_source=x")
    )
    second = services.audition_ingest_listing(
        listing=factories.listing(
            external_id="", url="https://filmmakers.example/a/1?fbclid=abc#top", title="바뀐 제목"
        )
    )

    assert second.outcome == "updated"
    assert second.audition_id == first.audition_id
    assert Audition.objects.get().title == "바뀐 제목"


def test_changed_content_updates_fields_and_roles(source):
    item = factories.listing(external_id="77")
    first = services.audition_ingest_listing(listing=item)

    item.title = "제목 수정됨"
    item.pay_type, item.pay_amount_min, item.pay_amount_max = "unknown", None, None
    item.roles = [RoleData(name="민호", gender="male"), RoleData(name="지나", gender="female")]
    result = services.audition_ingest_listing(listing=item)

    assert result.outcome == "updated"
    audition = Audition.objects.get(pk=first.audition_id)
    assert audition.title == "제목 수정됨"
    assert [r.name for r in audition.roles.all()] == ["민호", "지나"]
    assert [flag["code"] for flag in audition.trust_flags] == ["no_pay_stated"]
    event = AuditionEvent.objects.get(audition=audition, action="updated")
    assert set(event.changes) >= {"title", "pay_type", "roles"}


def test_crawls_never_overwrite_what_staff_edited(source):
    item = factories.listing(external_id="9", company="원래회사")
    result = services.audition_ingest_listing(listing=item)
    audition = Audition.objects.get(pk=result.audition_id)
    staff = factories.member(is_staff=True)
    factories.staff_edit(audition, actor=staff, title="직원이 고친 제목")

    item.title, item.company = "크롤러 제목", "바뀐회사"
    services.audition_ingest_listing(listing=item)

    audition.refresh_from_db()
    assert audition.title == "직원이 고친 제목"
    assert audition.company == "바뀐회사"
    assert audition.staff_locked_fields == ["title"]
    edit = AuditionEvent.objects.get(audition=audition, action="edited")
    assert edit.actor == staff and edit.changes["title"][1] == "직원이 고친 제목"


def test_the_same_call_on_another_site_merges_into_one_audition(source):
    deadline = timezone.localdate() + timedelta(days=5)
    services.source_upsert(slug="otr", name="OTR")
    first = services.audition_ingest_listing(
        listing=factories.listing(
            title="[급구] 웹드라마 '첫사랑' 주연 배우 모집",
            company="(주)스튜디오 봄",
            deadline=deadline,
        )
    )
    second = services.audition_ingest_listing(
        listing=factories.listing(
            source_slug="otr",
            url="https://otr.example/p/5",
            title="웹드라마 첫사랑 주연배우 모집",
            company="스튜디오봄",
            deadline=deadline,
        )
    )

    assert second.outcome == "merged"
    assert second.audition_id == first.audition_id
    audition = Audition.objects.get()
    assert sorted(audition.listings.values_list("source__slug", flat=True)) == ["filmmakers", "otr"]
    assert not SourceListing.objects.get(pk=second.listing_id).is_primary


def test_different_calls_or_the_same_site_do_not_merge(source):
    deadline = timezone.localdate() + timedelta(days=5)
    services.source_upsert(slug="otr", name="OTR")
    services.audition_ingest_listing(
        listing=factories.listing(
            title="뮤지컬 앙상블 모집", company="극단 하늘", deadline=deadline
        )
    )
    other_company = services.audition_ingest_listing(
        listing=factories.listing(
            source_slug="otr",
            url="https://otr.example/1",
            title="뮤지컬 앙상블 모집",
            company="극단 바다",
            deadline=deadline,
        )
    )
    other_day = services.audition_ingest_listing(
        listing=factories.listing(
            source_slug="otr",
            url="https://otr.example/2",
            title="뮤지컬 앙상블 모집",
            company="극단 하늘",
            deadline=deadline + timedelta(days=1),
        )
    )
    same_site = services.audition_ingest_listing(
        listing=factories.listing(
            title="뮤지컬 앙상블 모집", company="극단 하늘", deadline=deadline
        )
    )

    assert [other_company.outcome, other_day.outcome, same_site.outcome] == ["created"] * 3
    assert Audition.objects.count() == 4


@pytest.mark.parametrize(
    ("overrides", "flag"),
    [
        ({"pay_type": "unknown", "pay_amount_min": None, "pay_amount_max": None}, "no_pay_stated"),
        (
            {
                "apply_method": "external_url",
                "apply_target": "",
                "contact_raw": "카톡 오픈채팅으로 연락",
            },
            "messenger_only_contact",
        ),
        ({"required_media": ["video"], "apply_method": "email"}, "video_requested_by_email"),
        ({"description": "자기소개 영상을 이메일로 보내주세요"}, "video_requested_by_email"),
        (
            {"company": "", "production_type": "", "director": "", "casting_director": ""},
            "no_production_info",
        ),
    ],
)
def test_trust_flags(source, overrides, flag):
    result = services.audition_ingest_listing(listing=factories.listing(**overrides))

    audition = Audition.objects.get(pk=result.audition_id)
    codes = [item["code"] for item in audition.trust_flags]
    assert flag in codes
    assert all(item["reason"] for item in audition.trust_flags)
    assert audition.trust_score < 100


def test_messenger_with_an_email_is_not_messenger_only(source):
    result = services.audition_ingest_listing(
        listing=factories.listing(
            contact_raw="카톡 ID cast01 / 메일 cast@example.com",
            apply_method="email",
            apply_target="cast@example.com",
        )
    )

    flags = Audition.objects.get(pk=result.audition_id).trust_flags
    assert "messenger_only_contact" not in [item["code"] for item in flags]


def test_the_third_posting_of_the_same_call_is_flagged_reposted(source):
    for number in range(3):
        result = services.audition_ingest_listing(
            listing=factories.listing(
                title="모델 급구", company="에이전시X", deadline=None, external_id=f"re{number}"
            )
        )

    codes = [f["code"] for f in Audition.objects.get(pk=result.audition_id).trust_flags]
    assert "reposted_many_times" in codes


def test_expire_closes_open_auditions_past_their_deadline(source):
    today = timezone.localdate()
    past = factories.audition(deadline=today - timedelta(days=1))
    due_today = factories.audition(deadline=today)
    rolling = factories.audition(deadline=None)
    closed = factories.audition(deadline=today - timedelta(days=3), status="closed")

    assert services.auditions_expire() == 1
    assert services.auditions_expire() == 0

    statuses = dict(Audition.objects.values_list("id", "status"))
    assert statuses[past.id] == "expired"
    assert statuses[due_today.id] == statuses[rolling.id] == "open"
    assert statuses[closed.id] == "closed"
    assert AuditionEvent.objects.filter(audition=past, action="expired").exists()


def test_merge_moves_listings_and_bookmarks_and_keeps_the_duplicate(source):
    keep = factories.audition()
    duplicate = factories.audition()
    both, only_dup = factories.member(), factories.member()
    services.bookmark_add(member=both, audition_id=keep.id)
    services.bookmark_add(member=both, audition_id=duplicate.id)
    services.bookmark_add(member=only_dup, audition_id=duplicate.id)
    staff = factories.member(is_staff=True)

    services.audition_merge(duplicate=duplicate, into=keep, actor=staff)

    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.duplicate_of_id) == ("merged", keep.id)
    assert keep.listings.count() == 2 and not duplicate.listings.exists()
    assert set(Bookmark.objects.values_list("member_id", "audition_id")) == {
        (both.id, keep.id),
        (only_dup.id, keep.id),
    }
    assert AuditionEvent.objects.filter(action="merged", actor=staff).count() == 2
    with pytest.raises(Conflict):
        services.audition_merge(duplicate=duplicate, into=keep, actor=staff)
    with pytest.raises(InvalidInput):
        services.audition_merge(duplicate=keep, into=keep, actor=staff)


def test_status_changes_are_recorded_and_limited(source):
    audition = factories.audition()
    staff = factories.member(is_staff=True)

    services.audition_set_status(audition=audition, status="hidden", actor=staff)
    services.audition_set_status(audition=audition, status="open", actor=staff)

    assert list(
        AuditionEvent.objects.filter(action="status")
        .order_by("id")
        .values_list("changes", flat=True)
    ) == [{"status": ["open", "hidden"]}, {"status": ["hidden", "open"]}]
    with pytest.raises(InvalidInput):
        services.audition_set_status(audition=audition, status="merged", actor=staff)


def test_staff_create_has_no_source_and_its_roles(db):
    staff = factories.member(is_staff=True)
    audition = services.audition_create(
        actor=staff,
        data={
            "title": "Voice actors for an English audiobook",
            "category": "voice",
            "pay_type": "paid",
            "pay_amount_min": 500000,
            "pay_unit": "project",
        },
        roles=[RoleData(name="Narrator", gender="any")],
    )

    assert audition.status == "open" and not audition.listings.exists()
    assert Role.objects.get(audition=audition).name == "Narrator"
    assert "no_production_info" in [f["code"] for f in audition.trust_flags]


def test_demo_data_loads_a_few_dozen_auditions_idempotently(db):
    from auditions import demo

    demo.load()
    first = Audition.objects.count()
    demo.load()

    assert first == Audition.objects.count() >= 36
    assert Audition.objects.filter(listings__source__slug="castingnote").count() >= 1
    assert Audition.objects.filter(title__contains="English").exists()
    merged = Audition.objects.get(title__startswith="창작 뮤지컬")
    assert merged.listings.count() == 2
