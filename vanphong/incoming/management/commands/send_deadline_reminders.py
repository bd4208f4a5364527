from django.core.management.base import BaseCommand

from vanphong.incoming.services import send_reminders


class Command(BaseCommand):
    help = (
        "Remind the people working on incoming documents: before the deadline, on the day, and each working day "
        "while overdue. Run it from cron every morning (running it again the same day sends nothing twice)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{send_reminders()} reminders sent.")
