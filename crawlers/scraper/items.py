"""What spiders yield: the raw text of one casting call, field by field, as the site showed it.

Spiders do no cleaning beyond picking text out of markup; `pipelines.listing_from_item`
normalises every field and keeps this raw text beside the result.
"""

import scrapy

# Every field is a string (or absent). `url` is the listing's public page.
RAW_FIELDS = (
    "url",
    "external_id",
    "title",
    "work_title",
    "category",
    "company",
    "production_type",
    "director",
    "casting_director",
    "roles",
    "shoot_period",
    "pay",
    "headcount",
    "gender",
    "age",
    "height",
    "deadline",
    "posted",
    "region",
    "location",
    "contact_person",
    "phone",
    "email",
    "apply_how",
    "apply_url",
    "description",
)


class CastingItem(scrapy.Item):
    """One casting call's raw text. Declared from RAW_FIELDS so the list lives in one place."""

    locals().update({name: scrapy.Field() for name in RAW_FIELDS})
