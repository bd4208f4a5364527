"""BagIt (RFC 8493) packages of archived files: bagit.txt, bag-info.txt, manifest-sha256.txt,
tagmanifest-sha256.txt, data/metadata.xml (the file's and its documents' metadata, element names of Decree 30
Appendix VI and TT 02/2019, no DTD) and data/files/<ordinal>/<file name>. restore() verifies every checksum before
anything is written, and recreates the archived file with the same metadata and the same file checksums."""

import datetime
import hashlib
import io
import zipfile
from xml.etree import ElementTree

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core.files import ZIP_ERRORS, read_stored, safe_filename, store

from .errors import FilesError
from .models import FileItem, ItemFile, ItemKind, WorkFile
from .services import file_code, parse_retention
from .states import FileState

MAX_PACKAGE_MEMBERS = 10000
DATE = "%Y-%m-%d"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _date(value) -> str:
    return value.strftime(DATE) if value else ""


def _add(parent, name, value):
    element = ElementTree.SubElement(parent, name)
    element.text = "" if value is None else str(value)
    return element


def metadata_xml(work_file: WorkFile, paths: dict) -> bytes:
    root = ElementTree.Element("HoSo")
    _add(root, "FileCode", work_file.file_code)
    _add(root, "OrganId", work_file.agency.code)
    _add(root, "FileCatalog", work_file.year)
    _add(root, "FileNotation", work_file.notation)
    _add(root, "Title", work_file.title)
    _add(root, "Maintenance", work_file.retention)
    _add(root, "Rights", work_file.rights)
    _add(root, "Creator", work_file.creator_name)
    _add(root, "Language", work_file.language)
    _add(root, "StartDate", _date(work_file.start_date))
    _add(root, "EndDate", _date(work_file.end_date))
    _add(root, "DocTotal", work_file.doc_total)
    _add(root, "PageTotal", work_file.page_total)
    _add(root, "Description", work_file.description)
    documents = ElementTree.SubElement(root, "Documents")
    for item in work_file.items.prefetch_related("files__stored_file"):
        document = ElementTree.SubElement(documents, "Document")
        _add(document, "DocOrdinal", item.ordinal)
        _add(document, "Kind", item.kind)
        _add(document, "TypeName", item.type_name)
        _add(document, "CodeNumber", item.code_number)
        _add(document, "CodeNotation", item.code_notation)
        _add(document, "IssuedDate", _date(item.issued_date))
        _add(document, "OrganName", item.organ_name)
        _add(document, "Subject", item.subject)
        _add(document, "Language", item.language)
        _add(document, "PageAmount", item.page_amount or "")
        _add(document, "Description", item.description)
        files = ElementTree.SubElement(document, "Files")
        for item_file in item.files.all():
            element = _add(files, "File", item_file.filename)
            element.set("path", paths[item_file.pk])
            element.set("sha256", item_file.fixity_sha256 or item_file.stored_file.sha256)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def build(work_file: WorkFile) -> bytes:
    payload: dict[str, bytes] = {}
    paths = {}
    for item in work_file.items.prefetch_related("files__stored_file"):
        for item_file in item.files.all():
            path = f"data/files/{item.ordinal:03d}/{safe_filename(item_file.filename)}"
            while path in payload:
                path = path.rsplit("/", 1)[0] + "/_" + path.rsplit("/", 1)[1]
            payload[path] = read_stored(item_file.stored_file)
            paths[item_file.pk] = path.removeprefix("data/")
    payload["data/metadata.xml"] = metadata_xml(work_file, paths)
    manifest = "".join(f"{_sha(data)}  {path}\n" for path, data in sorted(payload.items()))
    octets = sum(len(data) for data in payload.values())
    tags = {
        "bagit.txt": b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
        "bag-info.txt": (
            f"Source-Organization: {work_file.agency.name}\n"
            f"External-Identifier: {work_file.file_code}\n"
            f"Bagging-Date: {timezone.localdate():%Y-%m-%d}\n"
            f"Payload-Oxum: {octets}.{len(payload)}\n"
        ).encode(),
        "manifest-sha256.txt": manifest.encode(),
    }
    tagmanifest = "".join(f"{_sha(data)}  {path}\n" for path, data in sorted(tags.items()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bag:
        for path, data in {**tags, "tagmanifest-sha256.txt": tagmanifest.encode(), **payload}.items():
            bag.writestr(path, data)
    return buffer.getvalue()


def _manifest(text: bytes) -> dict[str, str]:
    entries = {}
    for line in text.decode("utf-8").splitlines():
        if line.strip():
            digest, _sep, path = line.strip().partition(" ")
            entries[path.strip()] = digest.lower()
    return entries


def _refused():
    return FilesError(_("The package is damaged: its checksums do not match. Nothing was imported."))


def _read_bag(zip_bytes: bytes) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(io.BytesIO(zip_bytes)) as bag:
            members = bag.infolist()
            too_big = sum(m.file_size for m in members) > settings.VANPHONG_UNPACK_MAX_TOTAL_MB * 2**20
            if len(members) > MAX_PACKAGE_MEMBERS or too_big:  # a zip bomb is not read into memory
                raise FilesError(_("This is not a package of a work file."))
            return {m.filename: bag.read(m) for m in members if not m.is_dir()}
    except ZIP_ERRORS as error:
        raise FilesError(_("This is not a package of a work file.")) from error


def _date_of(text):
    return datetime.datetime.strptime(text, DATE).date() if text else None


def _int(text):
    return int(text) if text and text.strip().isdigit() else None


def restore(zip_bytes: bytes, *, agency, by) -> WorkFile:
    """Verifies every checksum of the bag (tag files and payload), then recreates the archived file in `agency`."""
    try:
        return _restore(_read_bag(zip_bytes), agency=agency, by=by)
    except (ValueError, ElementTree.ParseError) as error:  # checksums right, but metadata we did not write
        raise FilesError(_("This is not a package of a work file.")) from error


def _restore(members: dict[str, bytes], *, agency, by) -> WorkFile:
    if "bagit.txt" not in members or "manifest-sha256.txt" not in members or "data/metadata.xml" not in members:
        raise FilesError(_("This is not a package of a work file."))
    for name, expected in _manifest(members.get("tagmanifest-sha256.txt", b"")).items():
        if name not in members or _sha(members[name]) != expected:
            raise _refused()
    manifest = _manifest(members["manifest-sha256.txt"])
    payload = {name for name in members if name.startswith("data/")}
    if payload != set(manifest):
        raise _refused()
    for name, expected in manifest.items():
        if _sha(members[name]) != expected:
            raise _refused()
    text = members["data/metadata.xml"]
    if b"<!DOCTYPE" in text or b"<!ENTITY" in text:
        raise FilesError(_("This is not a package of a work file."))
    root = ElementTree.fromstring(text)  # noqa: S314 - no DTD, refused above

    def value(element, name):
        return (element.findtext(name) or "").strip()

    retention = parse_retention(value(root, "Maintenance")) or (False, None)
    year, notation = int(value(root, "FileCatalog")), value(root, "FileNotation")
    if WorkFile.objects.filter(agency=agency, year=year, notation=notation).exists():
        raise FilesError(
            _("A file numbered %(notation)s already exists for %(year)s.") % {"notation": notation, "year": year}
        )
    work_file = WorkFile.objects.create(
        agency=agency,
        year=year,
        notation=notation,
        file_code=value(root, "FileCode") or file_code(agency, year, notation),
        title=value(root, "Title"),
        permanent=retention[0],
        retention_years=retention[1],
        rights=value(root, "Rights"),
        creator=by,
        creator_name=value(root, "Creator"),
        language=value(root, "Language"),
        start_date=_date_of(value(root, "StartDate")),
        end_date=_date_of(value(root, "EndDate")),
        description=value(root, "Description"),
        doc_total=_int(value(root, "DocTotal")) or 0,
        page_total=_int(value(root, "PageTotal")) or 0,
        state=FileState.ARCHIVED,
        accepted_at=timezone.now(),
        accepted_by=by,
    )
    for document in root.iter("Document"):
        kind = value(document, "Kind")
        item = FileItem.objects.create(
            work_file=work_file,
            ordinal=int(value(document, "DocOrdinal")),
            kind=kind if kind in ItemKind.values else ItemKind.UPLOAD,
            type_name=value(document, "TypeName"),
            code_number=value(document, "CodeNumber"),
            code_notation=value(document, "CodeNotation"),
            issued_date=_date_of(value(document, "IssuedDate")),
            organ_name=value(document, "OrganName"),
            subject=value(document, "Subject"),
            language=value(document, "Language"),
            page_amount=_int(value(document, "PageAmount")),
            description=value(document, "Description"),
            added_by=by,
        )
        for element in document.iter("File"):
            path = "data/" + element.get("path", "")
            if path not in members or _sha(members[path]) != element.get("sha256"):
                raise _refused()
            filename = (element.text or "").strip() or path.rsplit("/", 1)[-1]
            stored = store(upload=io.BytesIO(members[path]), filename=filename)
            if stored.sha256 != element.get("sha256"):
                raise _refused()
            ItemFile.objects.create(item=item, stored_file=stored, filename=filename, fixity_sha256=stored.sha256)
    return work_file
