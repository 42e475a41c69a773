"""What spiders yield: the raw text of one casting call, field by field, as the site showed it.

Spiders do no cleaning beyond picking text out of markup; `pipelines.listing_from_item`
normalises every field and keeps this raw text beside the result.
"""

import scrapy


class CastingItem(scrapy.Item):
    """One casting call's raw text. Every field is a string (or absent); `url` is the listing's
    public page."""

    url = scrapy.Field()
    external_id = scrapy.Field()
    title = scrapy.Field()
    work_title = scrapy.Field()
    category = scrapy.Field()
    company = scrapy.Field()
    production_type = scrapy.Field()
    director = scrapy.Field()
    casting_director = scrapy.Field()
    roles = scrapy.Field()
    shoot_period = scrapy.Field()
    pay = scrapy.Field()
    headcount = scrapy.Field()
    gender = scrapy.Field()
    age = scrapy.Field()
    height = scrapy.Field()
    deadline = scrapy.Field()
    posted = scrapy.Field()
    region = scrapy.Field()
    location = scrapy.Field()
    contact_person = scrapy.Field()
    phone = scrapy.Field()
    email = scrapy.Field()
    apply_how = scrapy.Field()
    apply_url = scrapy.Field()
    description = scrapy.Field()


# The field names, for code that picks raw text out of a dict (spiders, pipelines).
RAW_FIELDS = tuple(CastingItem.fields)
