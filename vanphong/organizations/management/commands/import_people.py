from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vanphong.organizations.importing import import_people


class Command(BaseCommand):
    help = "Import people and their positions from an .xlsx or .csv file. A file with any bad row imports nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        report = import_people(filename=file.name, content=file.read_bytes(), by=None)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(f"{file.name}:{error.line}: {error.column}: {error.reason}")
            raise CommandError(f"{len(report.errors)} errors; nothing was imported.")
        self.stdout.write(f"{report.created} people imported.")
