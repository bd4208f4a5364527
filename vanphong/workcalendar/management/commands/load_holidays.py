from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vanphong.workcalendar.errors import WorkCalendarError
from vanphong.workcalendar.services import load_public_holidays


class Command(BaseCommand):
    help = (
        "Load the public holidays (Labour Code 2019, art. 112) and their compensatory days off into the working-day "
        "calendar for the given years (default: this year and next). Days already in the calendar are kept as they "
        "are, so edits made in the administration win."
    )

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int, metavar="YEAR")
        parser.add_argument(
            "--national-day-extra",
            choices=["before", "after"],
            default="before",
            help="the second National Day holiday: 1/9 (before, the default) or 3/9 (after)",
        )

    def handle(self, *args, years, national_day_extra, **options):
        this_year = timezone.localdate().year
        for year in years or [this_year, this_year + 1]:
            try:
                created = load_public_holidays(year=year, national_day_extra=national_day_extra, by=None)
            except WorkCalendarError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"{year}: {len(created)} days added.")
