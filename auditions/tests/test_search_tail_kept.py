"""A search's first page whose title matches do not fill it: the body-only walk (selectors.
audition_search_tail) read by kept statements (page_statements.search_tail_first_page) answers
exactly what the queryset walk answers, on each side of the walk's edge."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from auditions import prepared, selectors
from auditions.models import Bookmark
from auditions.tests import factories

pytestmark = pytest.mark.django_db

LIST = "/api/v1/auditions"


def _catalogue() -> list[str]:
    """One title match and eight body-only matches among others, newest first by id."""
    now = timezone.now()
    made = []
    for i in range(16):
        kind = "title" if i == 0 else ("none", "text")[i % 2]
        made.append(
            factories.audition(
                title="광고 모델" if kind == "title" else f"촬영 {i}",
                description="광고 촬영" if kind == "text" else "배우 모집",
                posted_at=now - timedelta(hours=i // 2),  # pairs share a posted_at
            )
        )
    newest_first = sorted(made, key=lambda a: (a.posted_at, a.id), reverse=True)
    titles = [str(a.id) for a in newest_first if a.title == "광고 모델"]
    texts = [str(a.id) for a in newest_first if a.description == "광고 촬영"]
    return titles + texts


def _kept(name: str) -> list:
    return [value for key, value in prepared.kept().items() if key[-1][0] == name]


@pytest.mark.parametrize("window", [1, 3, 6, 1000])
def test_the_kept_body_only_walk_answers_as_the_queryset_walk(
    client_for, source, monkeypatch, window
):
    # window 1 and 3: the edge falls before the page is full, so the rows past it are read
    # by queryset after the kept part; 6: the page fills within the edge; 1000: more than
    # the catalogue holds, so there is no edge and the queryset walk answers.
    monkeypatch.setattr(selectors, "SEARCH_TAIL_WINDOW", window)
    prepared.forget()
    expected = _catalogue()[:5]

    pages = [client_for.get(LIST, {"q": "광고", "page_size": 5}).json() for _ in range(3)]

    for page in pages:  # the first by queryset, the second keeps the shape, the third reuses it
        assert [item["id"] for item in page["results"]] == expected
    assert pages[0] == pages[1] == pages[2]
    assert [statement is not None for statement in _kept("search_tail_edge")] == [True]
    assert [statement is not None for statement in _kept("search_tail_near")] == [True]


def test_the_kept_walk_is_kept_per_filter_values_and_shared_by_members(client_for, source):
    prepared.forget()
    expected = _catalogue()[:5]
    other = factories.member()
    Bookmark.objects.create(member=other, audition_id=expected[-1])  # a body-only match
    other_client = APIClient()
    other_client.force_authenticate(other)
    pages = {}
    for _ in range(3):
        pages["mine"] = client_for.get(LIST, {"q": "광고", "page_size": 5}).json()
        pages["other"] = other_client.get(LIST, {"q": "광고", "page_size": 5}).json()
        client_for.get(LIST, {"q": "광고", "page_size": 5, "region": "seoul"})

    shapes = {key[-1][1:3] for key in prepared.kept() if key[-1][0] == "search_tail_edge"}
    assert len(shapes) == 2  # one per filter values; both members share the first
    for name, flagged in (("mine", False), ("other", True)):
        assert [item["id"] for item in pages[name]["results"]] == expected
        assert pages[name]["results"][-1]["is_bookmarked"] is flagged
