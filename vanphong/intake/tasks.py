"""Background work of file intake."""

import io
import logging

from django.utils.translation import gettext as _

from vanphong.core import progress
from vanphong.core.files import read_stored, store
from vanphong.core.tasks import task

from . import services, text
from .models import Digitisation
from .ocr import OcrError
from .suggest import suggest

logger = logging.getLogger(__name__)
IMAGE_TYPES = ("image/jpeg", "image/png", "image/tiff")


@task
def digitise(*, digitisation_id: int) -> None:
    """Read the file: OCR a scan (PDF without text, or an image) into a searchable copy (PDF/A where it can be);
    otherwise take its text layer (a signed PDF's too: it is never rewritten); then suggest the registration fields
    from page 1."""
    digitisation = Digitisation.objects.select_related("stored_file").get(pk=digitisation_id)
    key = digitisation.progress_key
    digitisation.state = Digitisation.State.RUNNING
    digitisation.save(update_fields=["state"])
    try:
        with progress.tracking(key, message=_("Reading the file")) as tracker:
            data = read_stored(digitisation.stored_file)
            content_type = digitisation.stored_file.content_type
            if content_type in IMAGE_TYPES or (text.is_pdf(data) and text.needs_ocr(data)):
                result = services.ocr_engine().ocr(data, filename=digitisation.filename, progress=tracker.report)
                pages = result.text
                if result.ocr_done:
                    name = digitisation.filename.rsplit(".", 1)[0] + "-ocr.pdf"
                    digitisation.ocr_file = store(upload=io.BytesIO(result.pdf), filename=name)
                    digitisation.ocr_done = True
            else:
                pages = text.extract_text(data, digitisation.filename)
            first_page = pages.split("\f", 1)[0]
            digitisation.text = pages
            digitisation.suggestion = _suggestion(first_page, agency=digitisation.agency)
            digitisation.state = Digitisation.State.DONE
            digitisation.save()
    except Exception as error:  # any failure is the reading's, shown to the clerk; the file stays
        logger.exception("reading %s failed", digitisation.filename)
        digitisation.state = Digitisation.State.FAILED
        digitisation.error = str(error)[:500] if isinstance(error, OcrError) else _("The file could not be read.")
        digitisation.save(update_fields=["state", "error"])


def _suggestion(first_page: str, *, agency) -> dict:
    found = suggest(first_page)
    if agency is not None and found.issuer_pk == agency.pk:
        # a document does not come from the agency that receives it: keep only the name as printed
        found.issuer_pk, found.issuer_name = None, ""
    return {
        **found.as_json(),
        "issuer_pk": found.issuer_pk,
        "type_code": found.type,
        "issuer_printed": found.issuer,
    }
