"""The intake checks of vanphong.core.files (VANPHONG_INTAKE_CHECKS): virus scanning of every part of a file,
the types accepted by content, and PDFs that run code. Also the re-scan of stored files before a document is
issued (assert_clean) and the quarantine of what the scanner catches.

Fail closed: when the scanner does not answer, ScanPending (a FileRefused) is raised and nothing is stored or issued.
Where a file comes from (an upload by default; an exchange, an e-mail, issuance) is set around store() with
`intake_source()`, so that the quarantine, the audit entry and the administrators' notification say it."""

import contextvars
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from vanphong.core import files
from vanphong.core.files import FileRefused, IntakeCheck, as_stream, file_size, safe_filename

from .scanner import ScannerUnavailable, scanner
from .unpack import Part, Unpackable, _dictionaries, unpacked

logger = logging.getLogger(__name__)

__all__ = [
    "AllowedContent",
    "PdfActive",
    "ScanPending",
    "VirusScan",
    "assert_clean",
    "intake_source",
    "quarantine",
    "safe_filename",
    "scan_stored",
]


class ScanPending(FileRefused):
    """The virus scanner did not answer (chờ quét): the file is neither accepted nor issued. Try again later."""


class Infected(FileRefused):
    """The scanner found a threat; `quarantined` is the QuarantinedFile row."""

    def __init__(self, message: str, *, threat: str, quarantined=None):
        super().__init__(message)
        self.threat, self.quarantined = threat, quarantined


@dataclass(frozen=True)
class Source:
    kind: str = "upload"  # a QuarantinedFile.Source value
    agency: object | None = None  # whose administrators are told, besides the platform's
    detail: str = ""  # e.g. the sending agency, the e-mail sender, the document being issued


_source: contextvars.ContextVar[Source] = contextvars.ContextVar("intake_source", default=Source())  # noqa: B039


@contextmanager
def intake_source(kind: str, *, agency=None, detail: str = "") -> Iterator[None]:
    """Files stored inside this block came from `kind` ("exchange", "email", "issue"...)."""
    token = _source.set(Source(kind=kind, agency=agency, detail=detail))
    try:
        yield
    finally:
        _source.reset(token)


# -- virus scanning ---------------------------------------------------------------------------------------------


def _unpack_refusal(error: Unpackable, filename: str) -> FileRefused:
    values = {"name": filename, "part": error.part.partition("/")[2] or filename}
    if error.reason == "encrypted":
        message = _(
            "“%(name)s” was not accepted: it contains a password-protected file (%(part)s) that cannot be checked "
            "for viruses. Send it without a password."
        )
    elif error.reason == "depth":
        message = _("“%(name)s” was not accepted: it has archives inside archives nested too deeply.")
    elif error.reason == "members":
        message = _("“%(name)s” was not accepted: it holds too many files.")
    else:
        message = _("“%(name)s” was not accepted: it expands to far more data than it holds (a zip bomb).")
    return FileRefused(message % values)


# clamd's alerts for what it could not look into (AlertEncrypted, AlertExceedsMax): refused, but not quarantined
NOT_A_VIRUS = ("Heuristics.Encrypted.", "Heuristics.Limits.Exceeded")


def _heuristic_refusal(threat: str, filename: str) -> FileRefused:
    if threat.startswith("Heuristics.Encrypted."):
        return _unpack_refusal(Unpackable("encrypted", filename), filename)
    return FileRefused(
        _("“%(name)s” was not accepted: it is too large or too complex to be checked for viruses.") % {"name": filename}
    )


def _pending(filename: str) -> ScanPending:
    return ScanPending(
        _("The virus scanner is not answering, so “%(name)s” was not accepted. Try again in a few minutes.")
        % {"name": filename}
    )


def scan(path_or_stream, *, filename: str, source: Source | None = None) -> None:
    """Scan the file and every part of it; return when all are clean. Raises Infected (after quarantining the whole
    file), ScanPending, or FileRefused when it cannot be unpacked safely."""
    engine = scanner()
    threat, where, inner = "", "", ""
    try:
        with unpacked(path_or_stream, name=filename) as parts:
            for part in parts:
                result = engine.scan(part.stream)
                if result.clean:
                    continue
                if result.threat.startswith(NOT_A_VIRUS):
                    raise _heuristic_refusal(result.threat, filename)
                # clamd opens archives itself: go on down to the innermost part that holds the threat
                if not threat or part.name.startswith(f"{inner}/"):
                    threat, inner = result.threat, part.name
                    where = part.name.partition("/")[2]
                    if not (part.is_zip or part.is_pdf):
                        break
    except Unpackable as error:
        if threat:  # infected, and a bomb too: the infection is what the person must know
            logger.warning("%s is infected and cannot be unpacked safely (%s)", filename, error)
        else:
            logger.warning("Refused %s: cannot unpack safely (%s)", filename, error)
            raise _unpack_refusal(error, filename) from error
    except ScannerUnavailable as error:
        logger.error("Virus scanner unavailable, %s not accepted: %s", filename, error)
        if not threat:
            raise _pending(filename) from error
    if not threat:
        return
    quarantined = quarantine(path_or_stream, filename=filename, threat=threat, part=where, source=source)
    if where:
        message = _(
            "“%(name)s” contains the virus %(threat)s (in %(part)s) and was not accepted. It is kept in quarantine "
            "and the administrators have been told."
        )
    else:
        message = _(
            "“%(name)s” contains the virus %(threat)s and was not accepted. It is kept in quarantine and the "
            "administrators have been told."
        )
    values = {"name": filename, "threat": threat, "part": where}
    raise Infected(message % values, threat=threat, quarantined=quarantined)


class VirusScan(IntakeCheck):
    """Scans the file, each file embedded in a PDF and each member of an archive (recursively) with the configured
    scanner (clamd). Infected: quarantined, audited, the administrators told, refused naming the threat. Scanner
    unavailable: ScanPending. Not safely unpackable (zip bomb, too deep, encrypted): refused."""

    def check(self, *, path_or_stream, filename, content_type):
        scan(path_or_stream, filename=filename)


# -- quarantine ---------------------------------------------------------------------------------------------------


def quarantine_dir() -> Path:
    return Path(getattr(settings, "VANPHONG_QUARANTINE_DIR", "") or Path(settings.VAR_DIR) / "quarantine")


def _keep_bytes(path_or_stream) -> tuple[str, int]:
    """Copy the file into the quarantine directory (0700, files 0600) under its SHA-256."""
    directory = quarantine_dir()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as target, as_stream(path_or_stream) as source:
            while chunk := source.read(files.CHUNK_SIZE):
                digest.update(chunk)
                target.write(chunk)
                size += len(chunk)
        os.replace(temporary, directory / digest.hexdigest())
    finally:
        Path(temporary).unlink(missing_ok=True)
    return digest.hexdigest(), size


def administrators(agency=None):
    """Who is told: the platform's administrators, and the administrators of `agency` (or of the agencies of the
    person acting)."""
    from vanphong.audit.context import current
    from vanphong.organizations.models import Position, Role

    agencies = [agency] if agency is not None else []
    actor = current().actor
    if not agencies and actor is not None and getattr(actor, "pk", None):
        agencies = list(Position.objects.current().filter(person=actor).values_list("agency_id", flat=True))
    holders = Position.objects.current().filter(role=Role.ADMINISTRATOR, agency__in=agencies)
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(is_superuser=True) | users.filter(pk__in=holders.values("person_id"))


def quarantine(path_or_stream, *, filename: str, threat: str, part: str = "", source: Source | None = None):
    """Keep an infected file where nothing serves it, record it (QuarantinedFile, audit "intake.infected") and tell
    the administrators. The bytes are written first, so they stay even if the caller's transaction rolls back."""
    from vanphong.audit.context import current
    from vanphong.audit.services import record
    from vanphong.notifications.services import notify

    from .models import QuarantinedFile

    source = source or _source.get()
    sha256, size = _keep_bytes(path_or_stream)
    context = current()
    actor = context.actor if getattr(context.actor, "pk", None) else None
    logger.error("Virus %s found in %s (%s, sha256 %s), quarantined", threat, filename, part or "the file", sha256)
    with transaction.atomic():
        row = QuarantinedFile.objects.create(
            sha256=sha256,
            filename=safe_filename(filename)[:255],
            size=size,
            threat=threat[:255],
            part=part[:500],
            source=source.kind,
            detail=source.detail[:500],
            found_by=actor,
            ip_address=context.ip_address or None,
        )
        record(
            "intake.infected",
            obj=row,
            actor=actor,
            after={
                "threat": row.threat,
                "filename": row.filename,
                "part": row.part,
                "sha256": sha256,
                "source": row.source,
                "detail": row.detail,
            },
        )
        title = _("Virus found: %(threat)s in “%(name)s”") % {"threat": row.threat, "name": row.filename}
        body = _("The file was refused and kept in quarantine (came from: %(source)s; by: %(who)s).") % {
            "source": row.get_source_display() + (f", {row.detail}" if row.detail else ""),
            "who": (getattr(actor, "full_name", "") or actor.get_username()) if actor else "—",
        }
        for person in administrators(source.agency).distinct():
            notify(recipient=person, title=title, body=body, url="/admin/intake/quarantinedfile/", kind="intake")
    return row


# -- content ------------------------------------------------------------------------------------------------------


class AllowedContent(files.ContentMatchesName):
    """ContentMatchesName with the wider list of the intake: PDF, Word/Excel (also 97–2003), PowerPoint (.pptx),
    OpenDocument text and spreadsheet, JPEG, PNG, TIFF and ZIP; always judged by the content, never the name."""

    accepted = {
        **files.ACCEPTED_TYPES,
        ".pptx": files.PPTX,
        ".odt": files.ODT,
        ".ods": files.ODS,
        ".zip": files.ZIP,
    }


ACTIVE_ACTIONS = {"/JavaScript", "/Launch"}


def active_content(stream) -> str:
    """What in the PDF runs code when it is opened: "JavaScript", "Launch" or "" for nothing."""
    import pikepdf

    try:
        pdf = pikepdf.open(stream)
    except Exception:  # unreadable by pikepdf: clamd has scanned it; nothing more can be said
        return ""
    with pdf:
        names = pdf.Root.get("/Names")
        if isinstance(names, pikepdf.Dictionary) and "/JavaScript" in names:
            return "JavaScript"
        for obj in pdf.objects:
            for item in _dictionaries(obj):
                if "/JS" in item:
                    return "JavaScript"
                kind = item.get("/S")
                if isinstance(kind, pikepdf.Name) and str(kind) in ACTIVE_ACTIONS:
                    return str(kind).lstrip("/")
    return ""


class PdfActive(IntakeCheck):
    """Refuses a PDF (or a PDF inside an archive or a PDF) that runs JavaScript or launches a program when opened.
    The issue says "flagged": refused, because nothing downstream shows a flag and an official document never
    needs either; the message tells the person how to get a clean copy."""

    def check(self, *, path_or_stream, filename, content_type):
        try:
            with unpacked(path_or_stream, name=filename) as parts:
                for part in parts:
                    if part.is_pdf and (found := active_content(part.stream)):
                        raise FileRefused(self._message(filename, found, part))
        except Unpackable:
            return  # VirusScan refuses it with the reason

    @staticmethod
    def _message(filename: str, found: str, part: Part) -> str:
        return _(
            "“%(name)s” was not accepted: the PDF contains %(what)s that would run when it is opened. Save it again "
            "as PDF (Print to PDF) or ask the sender for a copy without it."
        ) % {"name": filename, "what": found}


# -- before issuing -----------------------------------------------------------------------------------------------


def scan_stored(stored_file, *, filename: str = "", agency=None, detail: str = "") -> None:
    """Scan a file already kept (before it is issued or delivered). Raises Infected (the file is quarantined, and
    stays in the storage: remove the attachment), ScanPending or FileRefused."""
    name = safe_filename(filename or stored_file.sha256)
    with files.open_stored(stored_file) as blob:
        if file_size(blob) != stored_file.size:
            raise FileRefused(_("“%(name)s” is damaged in the storage and cannot be issued.") % {"name": name})
        scan(blob, filename=name, source=Source(kind="issue", agency=agency, detail=detail or stored_file.sha256))


def assert_clean(stored_files: Iterable, *, agency=None, detail: str = "") -> None:
    """Scan every file before a document is issued: `stored_files` holds StoredFiles or (StoredFile, name) pairs,
    None skipped. The first infected or unscannable file raises."""
    for item in stored_files:
        stored_file, name = item if isinstance(item, tuple) else (item, "")
        if stored_file is not None:
            scan_stored(stored_file, filename=name, agency=agency, detail=detail)
