from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from vanphong.search import services


class Command(BaseCommand):
    help = "Search index operations. `search rebuild` re-indexes every document."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        subcommands.add_parser("rebuild", help="re-index every incoming and outgoing document")

    def handle(self, *args, subcommand, **options):
        count = services.rebuild()
        self.stdout.write(_("Indexed %(count)s documents.") % {"count": count})
