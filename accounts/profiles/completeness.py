"""How complete a profile is, 0-100, and what is missing: the app nudges the performer with it.

Weights follow what casting looks at first: photos, then the basics, then the rest. Computed
from the profile and its already-fetched photos and credits, so it costs no query of its own
when the caller prefetched them.
"""

from dataclasses import dataclass

from accounts.models import Profile

# (item, weight): the names are the API's field names, so the app can point at the field.
WEIGHTS: tuple[tuple[str, int], ...] = (
    ("photos", 20),
    ("display_name", 10),
    ("birth_date", 10),
    ("gender", 5),
    ("height_cm", 5),
    ("weight_kg", 5),
    ("bio", 10),
    ("skills", 10),
    ("languages", 5),
    ("interests", 5),
    ("regions", 5),
    ("filmography", 10),
)
assert sum(weight for _, weight in WEIGHTS) == 100


@dataclass(frozen=True)
class Completeness:
    percent: int
    missing: list[str]


def profile_completeness(*, profile: Profile) -> Completeness:
    # `.all()` uses the prefetch cache when the selector filled it.
    filled = {
        "photos": bool(profile.photos.all()),
        "display_name": bool(profile.display_name.strip()),
        "birth_date": profile.birth_date is not None,
        "gender": bool(profile.gender),
        "height_cm": profile.height_cm is not None,
        "weight_kg": profile.weight_kg is not None,
        "bio": bool(profile.bio.strip()),
        "skills": bool(profile.skills),
        "languages": bool(profile.languages),
        "interests": bool(profile.interests),
        "regions": bool(profile.regions),
        "filmography": bool(profile.credits.all()),
    }
    percent = sum(weight for item, weight in WEIGHTS if filled[item])
    return Completeness(percent=percent, missing=[item for item, _ in WEIGHTS if not filled[item]])
