from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from vanphong.organizations.admin_units import create_peoples_committees, import_administrative_units
from vanphong.organizations.models import AdministrativeUnit


class Command(BaseCommand):
    help = (
        "Import the national list of provinces and communes (after the 1 July 2025 reform). With --province, "
        "also create that province's People's Committee and every commune People's Committee."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", help="province code (e.g. 40) or name (e.g. 'Nghệ An')")

    def handle(self, *args, province=None, **options):
        counts = import_administrative_units()
        self.stdout.write(f"{counts.provinces} provinces, {counts.communes} communes.")
        if province:
            unit = (
                AdministrativeUnit.objects.filter(level="province")
                .filter(Q(code=province.zfill(2)) | Q(name__iexact=province) | Q(name__iendswith=f" {province}"))
                .first()
            )
            if unit is None:
                raise CommandError(f"No province matches {province!r}.")
            created = create_peoples_committees(province=unit)
            self.stdout.write(f"{unit.name}: {len(created)} commune People's Committees created.")
