"""OCR of scanned documents: the port `OcrEngine` and its adapter `OcrmypdfEngine` (OCRmyPDF 17 driving Debian's
Tesseract with the Vietnamese data). The result is a searchable PDF/A copy and its text; the original is never
altered, and a signed PDF is never OCR'd — its text layer is read instead (spec: signing-security §4.3).

    engine = OcrmypdfEngine()
    result = engine.ocr(data, filename="scan.pdf", progress=lambda done, total: ...)
    result.pdf, result.text, result.ocr_done
"""

import abc
import dataclasses
import io
import logging
import re
import subprocess
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from django.utils.translation import gettext as _

from .text import IMAGE_EXTENSIONS, is_pdf, needs_ocr, pdf_text

Progress = Callable[[int, int], None]  # (pages done, pages in all)
DEFAULT_DPI = 200  # an image without a resolution is taken as a 200 dpi scan (the digitisation minimum)


class OcrError(Exception):
    """OCR failed; the message is what the clerk sees."""


@dataclasses.dataclass(frozen=True)
class OcrResult:
    pdf: bytes  # the searchable copy (PDF/A where it can be made); for a signed PDF or one with text, the original
    text: str  # the text of every page, pages separated by form feeds
    ocr_done: bool  # False when the text came from an existing text layer
    signed: bool = False
    pages: int = 0


class OcrEngine(abc.ABC):
    """Makes a scanned document searchable."""

    @abc.abstractmethod
    def ocr(self, data: bytes, *, filename: str = "", progress: Progress | None = None) -> OcrResult:
        """OCR a scanned PDF or image (JPEG, PNG, TIFF) and return the searchable PDF/A and its text. A signed PDF
        and a PDF that has a text layer already come back unchanged with that text. Raises OcrError."""


def is_signed(pdf: bytes) -> bool:
    """True when the PDF holds a signature field that is signed (or claims SignaturesExist in /SigFlags)."""
    try:
        import pikepdf

        with pikepdf.open(io.BytesIO(pdf)) as document:
            acroform = document.Root.get("/AcroForm")
            if acroform is None:
                return False
            if int(acroform.get("/SigFlags", 0)) & 1:
                return True
            stack = list(acroform.get("/Fields", []))
            while stack:
                field = stack.pop()
                if field.get("/FT") == "/Sig" and field.get("/V") is not None:
                    return True
                stack.extend(field.get("/Kids", []))
    except Exception:  # unreadable PDFs are not signed; OCR will report them
        return False
    return False


# -- progress: ocrmypdf asks a plugin hook for its progress bar class; ours forwards the OCR stage's page count.
_progress_lock = threading.Lock()
_progress: Progress | None = None


class _ProgressBar:
    def __init__(self, *, total=None, desc=None, unit=None, disable=False, **kwargs):
        self.total, self.desc, self.done = total, desc, 0.0

    def __enter__(self):
        self._report()
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n=1, *, completed=None):
        self.done = completed if completed is not None else self.done + n
        self._report()

    def _report(self):
        if _progress is not None and self.desc == "OCR" and self.total:
            _progress(min(int(self.done), int(self.total)), int(self.total))


def get_progressbar_class():  # an ocrmypdf plugin hook (this module is passed as the plugin)
    return _ProgressBar


try:
    from ocrmypdf import hookimpl

    get_progressbar_class = hookimpl(get_progressbar_class)
except ImportError:  # pragma: no cover - OCR is unavailable, the engine reports it
    pass


def _pdf_pages(pdf: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def _image_to_pdf(data: bytes) -> bytes:
    """Wrap a scanned image (every frame of a TIFF) into a PDF at the image's own resolution (200 dpi when none),
    so that ocrmypdf sees the physical page size of the scan."""
    from PIL import Image, ImageSequence

    try:
        image = Image.open(io.BytesIO(data))
        frames = []
        for frame in ImageSequence.Iterator(image):
            dpi = frame.info.get("dpi") or image.info.get("dpi") or (DEFAULT_DPI, DEFAULT_DPI)
            resolution = float(dpi[0]) if dpi and dpi[0] and dpi[0] >= 72 else float(DEFAULT_DPI)
            converted = frame.convert("L" if frame.mode in ("1", "L", "I;16", "I") else "RGB")
            frames.append((converted, resolution))
    except Exception as error:  # Pillow raises many kinds
        raise OcrError(_("The image could not be read: %(error)s") % {"error": error}) from error
    out = io.BytesIO()
    first, resolution = frames[0]
    first.save(out, "PDF", resolution=resolution, save_all=True, append_images=[f for f, _r in frames[1:]], quality=92)
    return out.getvalue()


class OcrmypdfEngine(OcrEngine):
    """OCRmyPDF's Python API: `-l vie --deskew --rotate-pages --skip-text --output-type auto --jobs 1`, PDF/A made
    by pikepdf (`--pdfa-backend internal`: Debian bookworm's Ghostscript 10.0.0 is refused with --skip-text).
    `auto`: a PDF/A where pikepdf can confirm one (every scan so far), else a regular searchable PDF, rather than no
    text at all: a short born-digital page from reportlab carries a /Trans key pikepdf's validator does not check.
    The text is the sidecar (Tesseract's reading order, pages separated by form feeds).

    `clean` (unpaper) is off by default: it cost about 4 s a page and gained nothing on the evaluation set.
    OCR calls in one process run one at a time (a lock: the progress hook is process-wide); run several worker
    processes for throughput, each with jobs=1 (spec: signing-security §4.3)."""

    def __init__(
        self, *, language: str = "vie", deskew: bool = True, clean: bool = False, jobs: int = 1, timeout: float = 180.0
    ):
        self.language, self.deskew, self.clean, self.jobs, self.timeout = language, deskew, clean, jobs, timeout

    def ocr(self, data: bytes, *, filename: str = "", progress: Progress | None = None) -> OcrResult:
        global _progress
        if is_pdf(data):
            if is_signed(data):
                # Never OCR a signed PDF (it would invalidate the signatures): read its text layer.
                return OcrResult(data, pdf_text(data), ocr_done=False, signed=True, pages=_safe_pages(data))
            if not needs_ocr(data):
                return OcrResult(data, pdf_text(data), ocr_done=False, pages=_safe_pages(data))
            source = data
        elif Path(filename).suffix.lower() in IMAGE_EXTENSIONS or _looks_like_image(data):
            source = _image_to_pdf(data)
        else:
            raise OcrError(_("Only PDF files and scanned images (JPEG, PNG, TIFF) can be OCR'd."))
        try:
            import ocrmypdf
            from ocrmypdf import exceptions as ocr_exceptions
        except ImportError as error:
            raise OcrError(_("OCR is not installed on this server.")) from error

        with tempfile.TemporaryDirectory(prefix="vanphong-ocr-") as work:
            source_path, output, sidecar = Path(work, "in.pdf"), Path(work, "out.pdf"), Path(work, "out.txt")
            source_path.write_bytes(source)  # a copy: the caller's bytes are never handed to the pipeline
            _quiet_logging()
            with _progress_lock:
                _progress = progress
                try:
                    code = ocrmypdf.ocr(
                        source_path,
                        output,
                        language=[self.language],
                        deskew=self.deskew,
                        rotate_pages=True,
                        clean=self.clean,
                        skip_text=True,
                        output_type="auto",
                        pdfa_backend="internal",  # pikepdf; Debian's Ghostscript 10.0 is refused with --skip-text
                        sidecar=sidecar,
                        jobs=self.jobs,
                        progress_bar=False,
                        tesseract_timeout=self.timeout,
                        plugins=[__name__],
                    )
                except ocr_exceptions.DigitalSignatureError as error:
                    raise OcrError(_("A signed PDF is never OCR'd.")) from error
                except ocr_exceptions.EncryptedPdfError as error:
                    raise OcrError(_("The PDF is encrypted and cannot be OCR'd.")) from error
                except ocr_exceptions.InputFileError as error:
                    raise OcrError(_("The file is not a readable PDF or image.")) from error
                except ocr_exceptions.MissingDependencyError as error:
                    raise OcrError(_("OCR cannot run on this server: %(error)s") % {"error": error}) from error
                except ocr_exceptions.ExitCodeException as error:
                    raise OcrError(_("OCR failed: %(error)s") % {"error": error}) from error
                except (OSError, subprocess.SubprocessError) as error:
                    raise OcrError(_("OCR failed: %(error)s") % {"error": error}) from error
                finally:
                    _progress = None
            if int(code) != 0 or not output.exists():
                raise OcrError(_("OCR failed: %(error)s") % {"error": f"exit code {int(code)}"})
            pdf = output.read_bytes()
            text = sidecar.read_text(encoding="utf-8", errors="replace") if sidecar.exists() else ""
            text = _with_text_layers(text, pdf)
        return OcrResult(pdf, text, ocr_done=True, pages=_safe_pages(pdf))


_SKIPPED = re.compile(r"\[OCR skipped on page\(s\) (\d+)(?:-(\d+))?\]")


def _with_text_layers(sidecar: str, pdf: bytes) -> str:
    """The sidecar marks the pages --skip-text left alone (they had a text layer already); their text is that
    layer, pages still apart by form feeds."""
    return _SKIPPED.sub(lambda m: pdf_text(pdf, first=int(m[1]), last=int(m[2] or m[1])).rstrip("\f\n"), sidecar)


def _safe_pages(pdf: bytes) -> int:
    try:
        return _pdf_pages(pdf)
    except Exception:
        return 0


def _looks_like_image(data: bytes) -> bool:
    return data.startswith((b"\xff\xd8\xff", b"\x89PNG", b"II*\x00", b"MM\x00*"))


class _VietnameseIsNotPoorOcr(logging.Filter):
    """Tesseract warns "lots of diacritics - possibly poor OCR" on every Vietnamese page: it is the language."""

    def filter(self, record):
        return "lots of diacritics" not in record.getMessage()


def _quiet_logging() -> None:
    """ocrmypdf and fontTools log every step at DEBUG/INFO; a worker needs their warnings only."""
    for name in ("ocrmypdf", "fontTools", "pikepdf"):
        logging.getLogger(name).setLevel(logging.WARNING)
    tesseract = logging.getLogger("ocrmypdf._exec.tesseract")
    if not any(isinstance(f, _VietnameseIsNotPoorOcr) for f in tesseract.filters):
        tesseract.addFilter(_VietnameseIsNotPoorOcr())
