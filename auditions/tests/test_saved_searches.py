"""`me/saved-searches` CRUD through HTTP; filters validated as `GET auditions` validates them."""

import pytest

from auditions.tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/saved-searches"


def create(client, **body):
    payload = {"name": "서울 영화", "filters": {"category": ["film"]}, "frequency": "daily"}
    return client.post(URL, {**payload, **body}, format="json")


def test_saved_searches_need_authentication(api_client):
    assert api_client.get(URL).status_code == 401
    assert api_client.post(URL, {}, format="json").status_code == 401


def test_create_list_read_update_delete(client_for):
    response = create(
        client_for,
        name="  서울   영화 ",
        filters={"category": ["film", "drama"], "region": "seoul", "age": 27, "q": "주연"},
        frequency="instant",
    )

    assert response.status_code == 201, response.content
    created = response.json()
    assert created["name"] == "서울 영화"
    # Stored as the list takes them: repeatable keys as lists, the rest as strings.
    assert created["filters"] == {
        "category": ["drama", "film"],
        "region": ["seoul"],
        "age": "27",
        "q": "주연",
    }
    assert created["frequency"] == "instant"
    assert created["last_notified_at"] is None
    detail = f"{URL}/{created['id']}"

    listed = client_for.get(URL).json()
    assert [s["id"] for s in listed["results"]] == [created["id"]]
    assert client_for.get(detail).json() == created

    patched = client_for.patch(detail, {"frequency": "weekly"}, format="json")
    assert patched.status_code == 200
    assert patched.json()["frequency"] == "weekly"
    assert patched.json()["filters"] == created["filters"]  # untouched by a partial update

    replaced = client_for.put(
        detail, {"name": "광고", "filters": {"category": "commercial"}}, format="json"
    )
    assert replaced.status_code == 200
    assert replaced.json()["filters"] == {"category": ["commercial"]}

    assert client_for.delete(detail).status_code == 204
    assert client_for.get(detail).status_code == 404


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"category": ["film", "cooking"]}, "filters.category"),  # not a category
        ({"region": "moon"}, "filters.region"),
        ({"age": "twenty"}, "filters.age"),
        ({"age": 300}, "filters.age"),  # the FilterSet's max_value
        ({"deadline_before": "tomorrow"}, "filters.deadline_before"),
        ({"gender": "nonbinary"}, "filters.gender"),  # the list filters female/male/any
        ({"catgory": "film"}, "filters"),  # a typo would silently match everything
        ({"ordering": "deadline"}, "filters"),  # presentation, not a filter
        ({"age": [20, 30]}, "filters.age"),
    ],
)
def test_filters_are_validated_like_the_list(client_for, filters, field):
    response = create(client_for, filters=filters)

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["fields"]


def test_bad_name_or_frequency_is_refused(client_for):
    assert create(client_for, name="   ").status_code == 400
    response = create(client_for, frequency="hourly")
    assert response.status_code == 400
    assert "frequency" in response.json()["error"]["fields"]


def test_another_members_saved_search_is_404(api_client):
    owner, other = factories.member(), factories.member()
    api_client.force_authenticate(owner)
    detail = f"{URL}/{create(api_client).json()['id']}"

    api_client.force_authenticate(other)

    assert api_client.get(detail).status_code == 404
    assert api_client.patch(detail, {"name": "x"}, format="json").status_code == 404
    assert api_client.delete(detail).status_code == 404
    assert api_client.get(URL).json()["results"] == []
    api_client.force_authenticate(owner)
    assert api_client.get(detail).status_code == 200
