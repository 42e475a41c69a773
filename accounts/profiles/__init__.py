"""Performer profiles: the profile fields, photos in the member's own storage, filmography.

Models live in `accounts.models` (Django finds them there); the rest is split by concern:
`validators` (list fields), `images` (Pillow checks and normalising), `completeness`,
`services` (every write), `selectors` (every read).
"""
