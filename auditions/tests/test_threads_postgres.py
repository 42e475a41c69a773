"""The web workers run 4 threads each (gthread: Procfile, bench/load/README.md). Kept page
statements are per thread and take the member as a parameter, kept FilterSets are shared but
only read: members reading the catalogue at the same time in different threads each get their
own bookmark flags and the same pages a lone reader gets."""

import itertools
import random
import threading

import pytest
from rest_framework.test import APIClient

from auditions import prepared
from auditions.tests import factories
from ohmanager.tests.concurrency import in_parallel

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

LIST = "/api/v1/auditions"
READS = (
    (LIST, {"page_size": 3}),
    (LIST, {"category": "film", "page_size": 2}),
    (LIST, {"q": "여름", "page_size": 2}),
)


def _client(member) -> APIClient:
    client = APIClient()
    client.force_authenticate(member)
    return client


def _view(client: APIClient) -> dict:
    """What a member sees: every page of every read (cursors followed) and each detail."""
    seen = {}
    for path, params in READS:
        answer = client.get(path, params)
        pages = []
        while True:
            assert answer.status_code == 200, answer.content
            body = answer.json()
            pages.append([(item["id"], item["is_bookmarked"]) for item in body["results"]])
            if not body["next"]:
                break
            answer = client.get(body["next"])
        seen[(path, tuple(sorted(params.items())))] = pages
    for audition_id in sorted({i for pages in seen.values() for page in pages for i, _ in page}):
        detail = client.get(f"{LIST}/{audition_id}")
        assert detail.status_code == 200
        seen[audition_id] = detail.json()["is_bookmarked"]
    return seen


def test_members_reading_at_once_in_threads_each_see_their_own_catalogue():
    factories.source()
    auditions = [factories.audition(category=("film", "drama")[i % 2]) for i in range(7)]
    members = [factories.member() for _ in range(4)]
    for index, member in enumerate(members):  # each member bookmarks her own pair
        for audition in auditions[index : index + 2]:
            assert _client(member).put(f"{LIST}/{audition.id}/bookmark").status_code == 204
    prepared.forget()
    alone = {member.id: _view(_client(member)) for member in members}
    for member in members:  # the flags differ between members, so a leak would show
        flags = {key: value for key, value in alone[member.id].items() if isinstance(value, bool)}
        assert sum(flags.values()) == 2

    turns = itertools.count()
    lock = threading.Lock()

    def read_in_a_thread() -> list:
        with lock:
            turn = next(turns)
        order = random.Random(turn).sample(members * 3, k=len(members) * 3)
        return [(member.id, _view(_client(member))) for member in order]

    results = [view for views in in_parallel(4, read_in_a_thread) for view in views]

    assert len(results) == 4 * len(members) * 3
    for member_id, view in results:
        assert view == alone[member_id]
