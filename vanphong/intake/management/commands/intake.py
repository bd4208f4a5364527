"""`vanphong intake suggest FILE`: read a document's first page (OCR'd when it is a scan; a signed PDF never is) and
print the proposed metadata as one JSON object: issuer, number_notation, date, type, summary."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from vanphong.intake.ocr import OcrError, OcrmypdfEngine
from vanphong.intake.suggest import suggest
from vanphong.intake.text import IMAGE_EXTENSIONS, extract_text, is_pdf, needs_ocr, pdf_text


def first_page_text(data: bytes, filename: str, *, engine=None) -> str:
    """Page 1's text: the text layer of a PDF that has one (or is signed), the OCR of a scan or an image, the
    beginning of a DOCX/ODT."""
    from vanphong.intake.ocr import is_signed

    if is_pdf(data):
        if is_signed(data) or not needs_ocr(data):
            return pdf_text(data, first=1, last=1)
        return (engine or OcrmypdfEngine()).ocr(data, filename=filename).text.split("\f")[0]
    if Path(filename).suffix.lower() in IMAGE_EXTENSIONS:
        return (engine or OcrmypdfEngine()).ocr(data, filename=filename).text.split("\f")[0]
    return extract_text(data, filename)


class Command(BaseCommand):
    help = "File intake tools. suggest FILE: propose a document's metadata from its first page, as JSON."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        read = commands.add_parser("suggest", help="print issuer, number_notation, date, type and summary as JSON")
        read.add_argument("file", help="a PDF, a scanned image (JPEG, PNG, TIFF), a DOCX or an ODT")

    def handle(self, *args, action, file, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except FileNotFoundError as error:
            raise CommandError(_("File not found: %(path)s") % {"path": file}, returncode=2) from error
        except OSError as error:
            raise CommandError(
                _("The file cannot be read: %(path)s (%(error)s)") % {"path": file, "error": error.strerror},
                returncode=2,
            ) from error
        try:
            text = first_page_text(data, path.name)
        except OcrError as error:
            raise CommandError(str(error), returncode=2) from error
        if not text.strip():
            raise CommandError(_("No text could be read from %(path)s.") % {"path": file}, returncode=2)
        self.stdout.write(json.dumps(suggest(text).as_json(), ensure_ascii=False))
