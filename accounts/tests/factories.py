from datetime import date

import factory

from accounts.models import Member

PASSWORD = "correct-horse-battery-9"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"performer{n}@example.kr")
    password = factory.django.Password(PASSWORD)
    status = Member.Status.ACTIVE
    language = Member.Language.KOREAN


# Every sign-up gives a birth date (issue #17); test performers are adults unless a test says
# otherwise. The string is the API's form, the date the profile's.
ADULT_BIRTH_DATE = date(1995, 3, 14)
ADULT_BIRTH_DATE_ISO = ADULT_BIRTH_DATE.isoformat()
