from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from vanphong.audit.selectors import verify_chain


class Command(BaseCommand):
    help = "Audit trail operations. `audit verify` checks the hash chain and names the first broken entry."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        subcommands.add_parser("verify", help="check every entry of the log against the hash chain")

    def handle(self, *args, subcommand, **options):
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                _("BROKEN at entry %(n)s: %(problem)s (%(checked)s entries before it are intact)")
                % {"n": result.first_broken_sequence, "problem": result.problem, "checked": result.checked}
            )
        self.stdout.write(_("OK: %(checked)s entries, chain intact.") % {"checked": result.checked})
