"""The back office's staff groups, as code (security review #13, point 2). `manage.py
setup_staff_groups` writes them into django.contrib.auth's groups; give a staff member one by
adding them to it in the admin (a superuser's job: only superusers set groups).

Each group holds only what its work needs. Custom permissions narrower than a model's change
permission (`accounts.suspend_member`, `accounts.pause_email_sending`,
`auditions.merge_audition`, `crawlers.crawl_now`, `applications.move_application`) are
declared in the models' `Meta.permissions` and required by the admin actions. No group may
delete members, set flags or groups, or move applications.
"""

# The audition pages: edit a call and its roles, publish / hide / close it, read its listings
# and audit trail. Merging duplicates is the curator's.
_AUDITION_EDITING = (
    "auditions.view_audition",
    "auditions.change_audition",
    "auditions.view_role",
    "auditions.add_role",
    "auditions.change_role",
    "auditions.delete_role",
    "auditions.view_sourcelisting",
    "auditions.view_auditionevent",
)

STAFF_GROUPS: dict[str, tuple[str, ...]] = {
    # Profiles (name, bio, photos) and auditions, and the trust and safety queue (#18): member
    # reports, quarantined calls and posters (decide, block, merge posters).
    "moderator": (
        "accounts.view_profile",
        "accounts.change_profile",
        "accounts.view_photo",
        "accounts.delete_photo",  # the photo page's "remove" action
        *_AUDITION_EDITING,
        "auditions.view_moderationcase",
        "auditions.moderate_audition",
        "auditions.view_report",
        "auditions.view_advertiser",
        "auditions.view_advertiserkey",
        "auditions.block_advertiser",
        "auditions.merge_advertiser",
    ),
    # The catalogue: auditions (with merging), the sources and their crawls.
    "curator": (
        *_AUDITION_EDITING,
        "auditions.merge_audition",
        "auditions.view_source",
        "auditions.add_source",
        "auditions.change_source",
        "crawlers.view_crawlsource",
        "crawlers.add_crawlsource",
        "crawlers.change_crawlsource",
        "crawlers.crawl_now",
        "crawlers.view_crawlrun",
    ),
    # Members' accounts: look a member up, suspend or reactivate, end sessions.
    "support": (
        "accounts.view_member",
        "accounts.suspend_member",
        "accounts.pause_email_sending",  # bounces and posters' complaints about a sender
        "accounts.view_membersession",
        "accounts.change_membersession",  # the sessions page's "revoke" action
    ),
}
