from django.core.management.base import BaseCommand

from vanphong.outgoing.services import urge_late_recipients


class Command(BaseCommand):
    help = (
        "Tell the lead specialist and the signer of each issued document whose recipients are late with the report "
        "it asked for. Run it from cron every morning (running it again the same day sends nothing twice)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{urge_late_recipients()} documents with late reports.")
