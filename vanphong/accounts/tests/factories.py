import factory

from vanphong.accounts.models import User

# Made up for the tests and far from the people's data; never a real account's password.
STRONG_PASSWORD = "Tr0ng-rừng-có-7-con-voi"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"canbo{n}")
    full_name = factory.Sequence(lambda n: f"Cán Bộ Số {n}")
    email = factory.LazyAttribute(lambda person: f"{person.username}@example.gov.vn")
    password = factory.django.Password(STRONG_PASSWORD)
