"""The batch ingest: the single-item outcomes, in a flat number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from auditions import services
from auditions.ingest import RoleData, listing_content_hash
from auditions.models import Audition, AuditionEvent, Role, SourceListing
from auditions.tests import factories

pytestmark = pytest.mark.django_db


def _queries(listings, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        results = services.audition_ingest_listings(listings=listings, **kwargs)
    return results, len(captured.captured_queries)


def _outcomes(results):
    return [getattr(r, "outcome", None) or r.kind for r in results]


# Few enough rows for SQLite's 999 parameters per INSERT, so one bulk_create is one query.
@pytest.mark.parametrize(("small", "large"), [(2, 12)])
def test_new_and_unchanged_batches_take_a_flat_number_of_queries(source, small, large):
    few = [factories.listing(deadline=None) for _ in range(small)]
    many = [factories.listing(deadline=None) for _ in range(large)]
    dated = [factories.listing() for _ in range(large)]  # dated: the merge-candidate query too

    _, new_few = _queries(few)
    _, new_many = _queries(many)
    _, new_dated = _queries(dated)
    later = timezone.now() + timedelta(hours=1)
    _, again_few = _queries(few, seen_at=later)
    again_many, again_many_count = _queries(many, seen_at=later)

    assert new_few == new_many  # does not grow with the batch
    assert new_dated == new_many + 1  # + the merge candidates, once per batch
    # + the posters (auditions.posters): their keys, last seen, reply rates: three per batch
    assert new_many <= 15
    # sources, listings, one UPDATE, and two savepoint pairs (batch, bulk part)
    assert again_few == again_many_count <= 7
    assert _outcomes(again_many) == ["unchanged"] * large
    assert Audition.objects.count() == small + 2 * large
    assert set(SourceListing.objects.filter(external_id__in=[x.external_id for x in many])
               .values_list("last_seen_at", flat=True)) == {later}  # fmt: skip


def test_a_batch_creates_what_the_single_path_creates(source):
    batch = factories.listing(title="광고 모델 모집", external_id="b1", url="https://f.example/b1")
    single = factories.listing(title="광고 모델 모집", external_id="s1", url="https://f.example/s1")

    [made] = services.audition_ingest_listings(listings=[batch])
    reference = services.audition_ingest_listing(listing=single)

    assert made.outcome == "created"
    fields = ("title", "title_norm", "company_norm", "status", "trust_score", "deadline",
              "pay_amount_min", "pay_amount_max", "apply_target", "search_vector")  # fmt: skip
    got = Audition.objects.filter(pk=made.audition_id).values(*fields).get()
    want = Audition.objects.filter(pk=reference.audition_id).values(*fields).get()
    assert got == want
    audition = Audition.objects.get(pk=made.audition_id)
    assert [(r.name, r.gender, r.age_min, r.age_max) for r in audition.roles.all()] == [
        ("수진", "female", 20, 29)
    ]
    listing = SourceListing.objects.get(pk=made.listing_id)
    assert listing.is_primary and listing.canonical_url == "https://f.example/b1"
    assert listing.content_hash == listing_content_hash(batch)
    assert AuditionEvent.objects.filter(audition=audition, action="created").count() == 1


def test_a_bad_item_is_rejected_with_its_reason_and_the_others_are_written(source):
    good = [factories.listing() for _ in range(3)]
    no_title = factories.listing(title=" ")
    bad_role = factories.listing(roles=[RoleData(name="민지", headcount=-1)])
    unknown = factories.listing(source_slug="nowhere")

    results = services.audition_ingest_listings(
        listings=[good[0], no_title, good[1], bad_role, unknown, good[2]]
    )

    assert _outcomes(results) == ["created", "rejected", "created", "rejected", "rejected",
                                  "created"]  # fmt: skip
    assert results[1].reason == "The listing has no title."
    assert results[3].reason.startswith("role 1:")
    assert "Unknown source" in results[4].reason
    assert Audition.objects.count() == 3 and Role.objects.count() == 3


def test_a_database_error_in_the_bulk_write_falls_back_to_one_by_one(source, monkeypatch):
    listings = [factories.listing() for _ in range(3)]
    real = Role.objects.bulk_create

    def broken(objs, *args, **kwargs):
        if len(objs) > 1:  # the batch's write, not the one-by-one ones
            from django.db import IntegrityError

            raise IntegrityError("boom")
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(Role.objects, "bulk_create", broken)
    results = services.audition_ingest_listings(listings=listings)

    assert _outcomes(results) == ["created"] * 3
    assert Audition.objects.count() == 3 and Role.objects.count() == 3
    assert AuditionEvent.objects.filter(action="created").count() == 3


def test_the_same_listing_twice_in_a_batch_is_created_once(source):
    item = factories.listing(external_id="dup")
    changed = factories.listing(external_id="dup", url=item.url, title="제목 바뀜")

    results = services.audition_ingest_listings(listings=[item, item, changed])

    assert _outcomes(results) == ["created", "unchanged", "updated"]
    assert len({r.audition_id for r in results}) == 1
    assert Audition.objects.get().title == "제목 바뀜"
    assert SourceListing.objects.count() == 1


def test_changed_listings_update_and_staff_locked_fields_stay(source):
    item = factories.listing(external_id="9", company="원래회사")
    other = factories.listing()
    first, _ = services.audition_ingest_listings(listings=[item, other])
    audition = Audition.objects.get(pk=first.audition_id)
    staff = factories.member(is_staff=True)
    factories.staff_edit(audition, actor=staff, title="직원이 고친 제목")

    item.title, item.company = "크롤러 제목", "바뀐회사"
    results = services.audition_ingest_listings(listings=[item, other])

    assert _outcomes(results) == ["updated", "unchanged"]
    audition.refresh_from_db()
    assert (audition.title, audition.company) == ("직원이 고친 제목", "바뀐회사")


def test_a_call_from_another_site_merges_and_batches_of_several_sources_keep_order(source):
    deadline = timezone.localdate() + timedelta(days=5)
    factories.source(slug="otr", name="OTR")
    first = factories.listing(title="[급구] 웹드라마 '첫사랑' 주연 배우 모집",
                              company="(주)스튜디오 봄", deadline=deadline)  # fmt: skip
    same_call = factories.listing(source_slug="otr", url="https://otr.example/p/5",
                                  title="웹드라마 첫사랑 주연배우 모집", company="스튜디오봄",
                                  deadline=deadline)  # fmt: skip
    other_call = factories.listing(source_slug="otr", url="https://otr.example/p/6",
                                   title="뮤지컬 앙상블 모집", company="극단 하늘",
                                   deadline=deadline)  # fmt: skip

    results = services.audition_ingest_listings(listings=[first, same_call, other_call])

    assert _outcomes(results) == ["created", "merged", "created"]
    assert results[1].audition_id == results[0].audition_id
    assert not SourceListing.objects.get(pk=results[1].listing_id).is_primary
    assert Audition.objects.count() == 2


def test_the_third_posting_in_one_batch_is_flagged_reposted(source):
    postings = [
        factories.listing(title="모델 급구", company="에이전시X", deadline=None) for _ in range(3)
    ]

    results = services.audition_ingest_listings(listings=postings)

    flags = [
        [f["code"] for f in Audition.objects.get(pk=r.audition_id).trust_flags] for r in results
    ]
    assert ["reposted_many_times" in codes for codes in flags] == [False, False, True]
