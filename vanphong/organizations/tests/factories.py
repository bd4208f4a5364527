import factory

from vanphong.organizations.models import Agency, Position, Role, Unit


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"000.00.{n % 100:02d}.H{n // 100 % 100:02d}")
    name = factory.Sequence(lambda n: f"Cơ quan số {n}")
    short_name = "CQ"
    place_name = "Nghệ An"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Phòng số {n}")
    short_name = factory.Sequence(lambda n: f"P{n}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory("vanphong.accounts.tests.factories.UserFactory")
    agency = factory.SubFactory(AgencyFactory)
    role = Role.SPECIALIST
