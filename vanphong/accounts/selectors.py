from django.db.models import Q

from vanphong.organizations.models import Position
from vanphong.organizations.selectors import administered_agencies

from .models import LoginLockout, User


def people_administered_by(person):
    """The accounts an administrator may manage: everyone for a superuser; for an agency administrator, the people
    holding a position in the agencies they administer and accounts not placed anywhere yet, never a superuser."""
    if person.is_superuser:
        return User.objects.all()
    placed = Position.objects.filter(agency__in=administered_agencies(person)).values("person")
    unplaced = ~Q(pk__in=Position.objects.values("person"))
    return User.objects.filter(Q(pk__in=placed) | unplaced, is_superuser=False)


def lockouts_administered_by(person):
    if person.is_superuser:
        return LoginLockout.objects.all()
    usernames = people_administered_by(person).values("username")
    return LoginLockout.objects.filter(username__in=usernames)
