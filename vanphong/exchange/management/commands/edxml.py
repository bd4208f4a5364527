from pathlib import Path

from cryptography import x509
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from vanphong.exchange import edxml, xmlsig


class Command(BaseCommand):
    help = (
        "edXML packages (QCVN 102:2016). `edxml validate FILE` checks a package and lists every problem; "
        "`edxml show FILE` prints a summary of it."
    )

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        for name, text in (
            ("validate", "check the package: structure, required elements, limits, signature"),
            ("show", "print a readable summary of the package"),
        ):
            sub = subcommands.add_parser(name, help=text)
            sub.add_argument("file", help="the .edxml file")
            sub.add_argument(
                "--trust-roots", metavar="PEMFILE", help="root certificates (PEM) to check the package signature with"
            )

    def handle(self, *args, subcommand, file, trust_roots=None, **options):
        data = self._read(file)
        roots = self._roots(trust_roots) if trust_roots else None
        if subcommand == "validate":
            self.validate(data, roots)
        else:
            self.show(data, roots)

    def _read(self, file) -> bytes:
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": file}, returncode=2)
        return path.read_bytes()

    def _roots(self, file) -> list[x509.Certificate]:
        try:
            return x509.load_pem_x509_certificates(self._read(file))
        except ValueError as error:
            raise CommandError(
                _("The file %(path)s holds no PEM certificate") % {"path": file}, returncode=2
            ) from error

    def validate(self, data, roots):
        problems = edxml.validate(data, trust_roots=roots)
        if problems:
            lines = [_("The package is not valid (%(count)s problems):") % {"count": len(problems)}]
            lines += [f"  {problem.path}: {problem.message}" for problem in problems]
            raise CommandError("\n".join(lines), returncode=1)
        self.stdout.write(_("The package is valid"))

    def show(self, data, roots):
        try:
            package = edxml.parse(data)
        except edxml.InvalidPackage as error:
            lines = [_("The package is not valid (%(count)s problems):") % {"count": len(error.problems)}]
            lines += [f"  {problem.path}: {problem.message}" for problem in error.problems]
            raise CommandError("\n".join(lines), returncode=1) from error
        self.stdout.write(edxml.summary(package))
        check = xmlsig.verify(data, roots or [])
        if not check.present:
            self.stdout.write(_("Package signature: none"))
        elif check.valid:
            self.stdout.write(_("Package signature: valid (%(signer)s)") % {"signer": check.signer})
        elif roots is None and check.reason == xmlsig.untrusted_reason():
            self.stdout.write(
                _("Package signature: present (%(signer)s), not checked: give --trust-roots to check it")
                % {"signer": check.signer or "?"}
            )
        else:
            self.stdout.write(_("Package signature: NOT valid – %(reason)s") % {"reason": check.reason})
