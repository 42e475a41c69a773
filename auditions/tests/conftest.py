import pytest

from auditions.tests import factories


@pytest.fixture
def source(db):
    return factories.source()


@pytest.fixture
def member(db):
    return factories.member()


@pytest.fixture
def client_for(api_client, member):
    """An API client signed in as `member` (accounts' login is tested in accounts)."""
    api_client.force_authenticate(member)
    return api_client
