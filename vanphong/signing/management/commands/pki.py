import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vanphong.signing.pki import TEST_PASSPHRASE, build_test_pki, read_test_pki, write_test_pki
from vanphong.signing.pki_services import LOOPBACK, serve_test_pki


class Command(BaseCommand):
    help = (
        "The test PKI (tests and the demo only): `pki init-test` makes a root, an issuing CA, people's and agencies' "
        "keys and a TSA; `pki serve` answers OCSP, CRL and time-stamp requests for it on 127.0.0.1."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        init = actions.add_parser("init-test", help="Create a fresh test PKI.")
        init.add_argument("--dir", type=Path, help="where to write it (default: VAR_DIR/pki)")
        init.add_argument(
            "--services-url",
            help="where `pki serve` will answer OCSP and CRL requests, e.g. http://127.0.0.1:8001 (default: nowhere)",
        )
        init.add_argument("--if-missing", action="store_true", help="keep a test PKI already in the directory")
        serve = actions.add_parser("serve", help="Run the OCSP/CRL responder and the TSA until interrupted.")
        serve.add_argument("--dir", type=Path, help="the test PKI's directory (default: VAR_DIR/pki)")
        serve.add_argument("--port", type=int, default=8001, help="OCSP and CRL port (default 8001)")
        serve.add_argument("--tsa-port", type=int, default=8002, help="time-stamping port (default 8002)")

    def handle(self, *args, action, **options):
        directory = (options.get("dir") or Path(settings.VAR_DIR) / "pki").resolve()
        if action == "serve":
            return self.serve(directory, options["port"], options["tsa_port"])
        source = Path(settings.BASE_DIR).resolve()
        var = Path(settings.VAR_DIR).resolve()
        if directory.is_relative_to(source) and not directory.is_relative_to(var):
            raise CommandError(f"{directory} is inside the source tree; keys are never written there.")
        if options["if_missing"] and (directory / "root.pem").exists():
            self.stdout.write(f"Test PKI kept in {directory}.")
            return
        services_url = (options.get("services_url") or "").rstrip("/") or None
        files = write_test_pki(build_test_pki(services_url=services_url), directory)
        self.stdout.write(f"Test PKI written to {directory} ({len(files)} files).")
        self.stdout.write(f"PKCS#12 password of the test keys: {TEST_PASSPHRASE.decode()}")
        self.stdout.write("Trust root for validation: root.pem; CRLs: issuing-ca.crl.pem, root.crl.pem.")

    def serve(self, directory: Path, port: int, tsa_port: int):
        if not (directory / "root.pem").exists():
            raise CommandError(f"No test PKI in {directory}: run `pki init-test` first.")
        responder, tsa = serve_test_pki(read_test_pki(directory), ocsp_port=port, tsa_port=tsa_port)
        self.stdout.write(f"OCSP and CRLs: http://{LOOPBACK}:{responder.port}/ ; TSA: {tsa.url} (Ctrl+C stops)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            responder.stop()
            tsa.stop()
