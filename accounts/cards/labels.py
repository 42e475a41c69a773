"""The card's words for the profile's choices, in the card's own translation context.

The models' labels stay English (the back office shows them as they are); the card speaks the
visitor's language, so its labels are translated here under the context "profile card" and do
not leak into the admin.
"""

from django.utils.translation import pgettext_lazy

# The context is spelled out in each call: xgettext (makemessages) reads literals only.

GENDER = {
    "female": pgettext_lazy("profile card", "Female"),
    "male": pgettext_lazy("profile card", "Male"),
    "nonbinary": pgettext_lazy("profile card", "Non-binary"),
}
REPRESENTATION = {
    "freelance": pgettext_lazy("profile card", "Freelance"),
    "agency": pgettext_lazy("profile card", "Agency"),
}
MEDIA_KIND = {
    "reel": pgettext_lazy("profile card", "Reel"),
    "self_tape": pgettext_lazy("profile card", "Self-tape"),
    "monologue": pgettext_lazy("profile card", "Monologue"),
    "music": pgettext_lazy("profile card", "Music"),
    "other": pgettext_lazy("profile card", "Other"),
}
CREDIT_KIND = {
    "film": pgettext_lazy("profile card", "Film"),
    "drama": pgettext_lazy("profile card", "Drama"),
    "web_drama": pgettext_lazy("profile card", "Web drama"),
    "short_form": pgettext_lazy("profile card", "Short-form"),
    "commercial": pgettext_lazy("profile card", "Commercial"),
    "music_video": pgettext_lazy("profile card", "Music video"),
    "theater": pgettext_lazy("profile card", "Theater"),
    "musical": pgettext_lazy("profile card", "Musical"),
    "model": pgettext_lazy("profile card", "Model"),
    "voice": pgettext_lazy("profile card", "Voice"),
    "idol": pgettext_lazy("profile card", "Idol"),
    "extra": pgettext_lazy("profile card", "Extra"),
    "other": pgettext_lazy("profile card", "Other"),
}


def label(labels: dict, value: str) -> str:
    """The label of `value` in the active language; the raw value for one we do not know."""
    return str(labels.get(value, value)) if value else ""
