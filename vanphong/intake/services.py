"""Taking a file in for reading: the scan a clerk uploads before filling in the registration form, and every file
that becomes part of a document, whose text is kept for search. The reading itself runs in the background
(tasks.digitise); a page follows it through core.progress and never waits for it."""

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from vanphong.core import progress
from vanphong.core.files import store
from vanphong.core.tasks import enqueue

from .models import Digitisation
from .ocr import OcrEngine


def ocr_engine() -> OcrEngine:
    return import_string(settings.VANPHONG_OCR_ENGINE)()


def read_later(*, stored_file, filename: str, agency=None, by=None) -> Digitisation:
    """Queue the reading of a stored file; returns its Digitisation, whose progress a page can poll."""
    digitisation = Digitisation.objects.create(stored_file=stored_file, filename=filename, agency=agency, created_by=by)
    progress.queued(digitisation.progress_key)
    from .tasks import digitise  # here: tasks imports this module

    enqueue(digitise, digitisation_id=digitisation.pk)
    return digitisation


def read_once(*, stored_file, filename: str, agency=None, by=None) -> Digitisation:
    """Queue the reading of a file that becomes part of a document, unless it was read (or queued) already, as the
    scan a clerk read before registering is. Its text is then there for search."""
    earlier = Digitisation.objects.filter(stored_file=stored_file).exclude(state=Digitisation.State.FAILED).first()
    return earlier or read_later(stored_file=stored_file, filename=filename, agency=agency, by=by)


def take_in_scan(*, upload, agency, by) -> Digitisation:
    """A scan uploaded to be read before registration: checked like every upload (viruses, content; FileRefused),
    kept, and queued for OCR."""
    with transaction.atomic():
        stored_file = store(upload=upload, filename=upload.name)
        return read_later(stored_file=stored_file, filename=upload.name, agency=agency, by=by)


def latest_text(stored_file) -> str:
    """The text read from a stored file (for search), "" while it is being read."""
    done = Digitisation.objects.filter(stored_file=stored_file, state=Digitisation.State.DONE).first()
    return done.text if done else ""
