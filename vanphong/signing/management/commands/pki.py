from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vanphong.signing.pki import TEST_PASSPHRASE, build_test_pki, write_test_pki


class Command(BaseCommand):
    help = "The test PKI: `pki init-test [--dir DIR]` makes a root, an issuing CA, people's and agencies' keys, a TSA."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        init = actions.add_parser("init-test", help="Create a fresh test PKI (for tests and the demo only).")
        init.add_argument("--dir", type=Path, help="where to write it (default: VAR_DIR/pki)")

    def handle(self, *args, action, **options):
        directory = (options.get("dir") or Path(settings.VAR_DIR) / "pki").resolve()
        source = Path(settings.BASE_DIR).resolve()
        var = Path(settings.VAR_DIR).resolve()
        if directory.is_relative_to(source) and not directory.is_relative_to(var):
            raise CommandError(f"{directory} is inside the source tree; keys are never written there.")
        files = write_test_pki(build_test_pki(), directory)
        self.stdout.write(f"Test PKI written to {directory} ({len(files)} files).")
        self.stdout.write(f"PKCS#12 password of the test keys: {TEST_PASSPHRASE.decode()}")
        self.stdout.write("Trust root for validation: root.pem; CRLs: issuing-ca.crl.pem, root.crl.pem.")
