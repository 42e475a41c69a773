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
