from django.core.management.base import BaseCommand

from vanphong.files.services import check_all_fixity, remind_handover


class Command(BaseCommand):
    help = (
        "Work files' scheduled jobs. `files fixity`: recompute the SHA-256 of every archived file and report (and "
        "audit) any mismatch; exits with status 1 when one is found. `files reminders`: tell the makers of closed "
        "files due for hand-over to the archive (daily; sends nothing twice the same day)."
    )

    def add_arguments(self, parser):
        parser.add_argument("job", choices=["fixity", "reminders"])

    def handle(self, *args, job, **options):
        if job == "reminders":
            self.stdout.write(f"{remind_handover()} files due for hand-over.")
            return
        failures = check_all_fixity()
        for code, mismatches in failures.items():
            for m in mismatches:
                self.stderr.write(f"{code} #{m['ordinal']} {m['filename']}: {m['expected']} != {m['actual'] or '-'}")
        if failures:
            raise SystemExit(1)
        self.stdout.write("All archived files intact.")
