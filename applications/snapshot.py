"""What an in-app application sends: the profile as the member's own `me/profile` shows it at
that moment, and copies of the primary photo. The copies live under the member's storage
prefix (so a withdrawal purges them with everything else) but apart from the profile's photos,
so deleting or replacing a profile photo later does not change what casting received."""

import json
import posixpath
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from accounts.api.profile_serializers import ProfileOutput
from accounts.models import Member, Profile
from accounts.profiles.selectors import profile_get_for_member

# Parts of the profile output that are the member's own settings or short-lived links, not
# something sent to casting.
_PRIVATE_KEYS = ("photos", "notifications", "email_language", "completeness", "updated_at")


def _copy(name: str, target: str) -> str:
    with default_storage.open(name, "rb") as source:
        return default_storage.save(target, ContentFile(source.read()))


def snapshot_take(*, member: Member, application_id: object) -> tuple[dict[str, Any], list[str]]:
    """The snapshot dict and the names of the files it copied (for cleanup on failure)."""
    profile = profile_get_for_member(member_id=member.pk)
    data: dict[str, Any] = json.loads(
        json.dumps(ProfileOutput(profile).data, cls=DjangoJSONEncoder)
    )
    for key in _PRIVATE_KEYS:
        data.pop(key, None)
    # Contact details reach casting only when the member's setting allows it.
    if profile.contact_visibility == Profile.ContactVisibility.APPLICATIONS:
        data["email"] = member.email
    else:
        data["phone"] = ""
        data["email"] = None
    copied: list[str] = []
    photos = []
    folder = f"{profile.storage_prefix}applications/{application_id}/"
    try:
        for photo in profile.photos.all():
            if not photo.is_primary:
                continue
            image = _copy(photo.image.name, folder + posixpath.basename(photo.image.name))
            copied.append(image)
            thumbnail = _copy(
                photo.thumbnail.name, folder + posixpath.basename(photo.thumbnail.name)
            )
            copied.append(thumbnail)
            photos.append(
                {
                    "image": image,
                    "thumbnail": thumbnail,
                    "width": photo.width,
                    "height": photo.height,
                    "is_primary": True,
                }
            )
    except BaseException:
        for name in copied:
            default_storage.delete(name)
        raise
    data["photos"] = photos
    data["taken_at"] = timezone.now().isoformat()
    return data, copied


def snapshot_photo_urls(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """The snapshot's photos with fresh (on S3: presigned, short-lived) URLs."""
    return [
        {
            "url": default_storage.url(photo["image"]),
            "thumbnail_url": default_storage.url(photo["thumbnail"]),
            "width": photo.get("width"),
            "height": photo.get("height"),
            "is_primary": photo.get("is_primary", False),
        }
        for photo in snapshot.get("photos", [])
    ]
