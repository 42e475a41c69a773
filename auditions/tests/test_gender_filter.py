"""`GET auditions?gender=…` (the contract): `female`/`male` list auditions with a role open to that
gender (its own or `any`); `any` lists auditions with a role open to every gender."""

import pytest

from auditions.ingest import RoleData
from auditions.models import SavedSearch
from auditions.selectors import saved_search_matches
from auditions.tests import factories

pytestmark = pytest.mark.django_db

LIST = "/api/v1/auditions"
SAVED = "/api/v1/me/saved-searches"


@pytest.fixture
def auditions(source):
    def make(n: int, *roles: RoleData):
        return str(factories.audition(url=f"https://example.test/{n}", roles=list(roles)).id)

    return {
        "female": make(1, RoleData(name="수진", gender="female", age_min=20, age_max=29)),
        "male": make(2, RoleData(name="민구", gender="male", age_min=40, age_max=49)),
        "any": make(3, RoleData(name="행인", gender="any", age_min=20, age_max=39)),
        # one female and one male role, none open to every gender
        "mixed": make(
            4,
            RoleData(name="엄마", gender="female", age_min=40, age_max=49),
            RoleData(name="아들", gender="male", age_min=10, age_max=19),
        ),
    }


def _found(client, auditions, **params) -> set[str]:
    response = client.get(LIST, params)
    assert response.status_code == 200, response.json()
    by_id = {value: key for key, value in auditions.items()}
    return {by_id[item["id"]] for item in response.json()["results"]}


def test_exactly_which_auditions_female_male_and_any_list(client_for, auditions):
    # any: a role open to every gender; the mixed audition (a female and a male role) has none
    assert _found(client_for, auditions, gender="any") == {"any"}
    # female / male: roles open to that gender, `any` roles included
    assert _found(client_for, auditions, gender="female") == {"female", "any", "mixed"}
    assert _found(client_for, auditions, gender="male") == {"male", "any", "mixed"}
    assert _found(client_for, auditions) == {"female", "male", "any", "mixed"}
    # a value the contract does not name is still a 400
    response = client_for.get(LIST, {"gender": "nonbinary"})
    assert response.status_code == 400
    assert "gender" in response.json()["error"]["fields"]


def test_gender_any_and_age_must_fit_one_role(client_for, auditions):
    # the `any` role is aged 20-39; the mixed audition's 45-year-old role is female only
    assert _found(client_for, auditions, gender="any", age=30) == {"any"}
    assert _found(client_for, auditions, gender="any", age=45) == set()


def test_a_saved_search_takes_gender_any_and_matches_as_the_list_does(client_for, auditions):
    response = client_for.post(
        SAVED, {"name": "누구나", "filters": {"gender": "any"}}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["filters"] == {"gender": "any"}
    saved = SavedSearch.objects.get(pk=response.json()["id"])
    assert {str(a.id) for a in saved_search_matches(saved_search=saved)} == {auditions["any"]}


def test_the_schema_lists_any_for_the_list_and_the_saved_search(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    parameters = schema["paths"]["/api/v1/auditions"]["get"]["parameters"]
    [gender] = [p for p in parameters if p["name"] == "gender"]
    assert gender["schema"]["enum"] == ["any", "female", "male"]
    saved = schema["components"]["schemas"]["SavedSearchInputRequest"]["properties"]["filters"]
    assert "any" in saved["properties"]["gender"]["anyOf"][0]["enum"]
