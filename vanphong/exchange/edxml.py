"""The edXML codec (QCVN 102:2016): document packages (gói tin văn bản) and status packages (gói tin trạng thái).

build() writes what the VPCP national axis accepts: the root `edXML` in the QCVN namespace, every descendant with an
explicit `edXML:` prefix (the VPCP .NET deserializer rejects un-prefixed children), `AttachmentEncoded` outside the
envelope with un-prefixed children as in the VPCP sample, dates `yyyy/MM/dd`, timestamps `yyyy/MM/dd HH:mm:ss` in
local Vietnam time. parse() reads what producers actually send: any order, prefixed or not, `dd/MM/yyyy` dates,
`Bussiness` before or after the trace; it is strict about safety (no DOCTYPE, size, depth, element and attachment
limits) and collects every problem before raising InvalidPackage.

The output is written as bytes directly rather than through an lxml tree: the base64 of the attachments is appended
once, without the copies a tree and its serializer would make."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import IntEnum
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from lxml import etree

from . import xmlsig
from .xmlsig import PackageSigner

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
ORGAN_ID_MAX = 35
STATUS_CODES = ("01", "02", "03", "04", "05", "06", "13", "15", "16")

STATUS_MEANINGS: dict[str, str] = {
    "01": pgettext_lazy("edXML status", "Arrived"),
    "02": pgettext_lazy("edXML status", "Refused"),
    "03": pgettext_lazy("edXML status", "Received"),
    "04": pgettext_lazy("edXML status", "Assigned"),
    "05": pgettext_lazy("edXML status", "Being handled"),
    "06": pgettext_lazy("edXML status", "Completed"),
    "13": pgettext_lazy("edXML status", "Take back"),
    "15": pgettext_lazy("edXML status", "Take back agreed"),
    "16": pgettext_lazy("edXML status", "Take back refused"),
}
PRIORITY_NAMES = {
    0: pgettext_lazy("edXML priority", "Normal"),
    1: pgettext_lazy("edXML priority", "Urgent"),
    2: pgettext_lazy("edXML priority", "Very urgent"),
    3: pgettext_lazy("edXML priority", "Express"),
    4: pgettext_lazy("edXML priority", "Express at a set time"),
}


class BusinessType(IntEnum):
    NEW = 0
    RECALL = 1
    UPDATE = 2
    REPLACE = 3


BUSINESS_NAMES = {
    BusinessType.NEW: pgettext_lazy("edXML business", "New document"),
    BusinessType.RECALL: pgettext_lazy("edXML business", "Recall"),
    BusinessType.UPDATE: pgettext_lazy("edXML business", "Update"),
    BusinessType.REPLACE: pgettext_lazy("edXML business", "Replacement"),
}


@dataclass
class Organ:
    """From / To: an agency by its code (mã định danh, QĐ 20/2020)."""

    code: str
    name: str = ""
    in_charge: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""
    fax: str = ""
    website: str = ""


@dataclass
class Staff:
    department: str = ""
    name: str = ""
    mobile: str = ""
    email: str = ""


@dataclass
class ResponseFor:
    organ_code: str
    code: str = ""  # the full "số/ký hiệu", e.g. "7816/VPCP-TTĐT"
    promulgation_date: date | None = None
    document_id: str = ""


@dataclass
class Trace:
    organ_code: str
    timestamp: datetime  # naive local Vietnam time


@dataclass
class Business:
    doc_type: BusinessType = BusinessType.NEW
    reason: str = ""
    paper: bool = False
    document_id: str = ""
    staff: Staff | None = None
    document_info_changed: bool | None = None
    receivers_changed: bool | None = None
    receivers: list[tuple[str, int]] = field(default_factory=list)  # (OrganId, ReceiverType)
    replacements: list[tuple[str, list[str]]] = field(default_factory=list)  # (DocumentId, [OrganId])


@dataclass
class Attachment:
    content_id: str  # without the "cid:" prefix
    name: str
    content_type: str
    data: bytes
    description: str = ""


@dataclass
class DocumentPackage:
    sender: Organ
    recipients: list[Organ]
    document_id: str
    number: str = ""
    notation: str = ""
    place: str = ""
    promulgation_date: date | None = None
    type: int | None = None
    type_detail: int | None = None
    type_name: str = ""
    subject: str = ""
    content: str = ""
    signer_competence: str = ""
    signer_position: str = ""
    signer_name: str = ""
    due_date: date | None = None
    priority: int = 0
    sphere: str = ""
    typer_notation: str = ""
    promulgation_amount: int | None = None
    page_amount: int | None = None
    direction: bool | None = None
    appendixes: list[str] = field(default_factory=list)
    steering_type: int | None = None
    to_places: list[str] = field(default_factory=list)
    response_for: list[ResponseFor] = field(default_factory=list)
    traces: list[Trace] = field(default_factory=list)
    business: Business = field(default_factory=Business)
    attachments: list[Attachment] = field(default_factory=list)


@dataclass
class StatusPackage:
    sender: Organ
    response_for: ResponseFor
    status_code: str
    description: str = ""
    timestamp: datetime | None = None
    staff: Staff | None = None


@dataclass(frozen=True)
class Problem:
    path: str  # e.g. "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/Subject"
    message: str

    def __str__(self):
        return f"{self.path}: {self.message}"


class InvalidPackage(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 60 * 2**20
    max_depth: int = 40
    max_attachments: int = 50
    max_attachment_bytes: int = 40 * 2**20
    max_elements: int = 200_000

    @classmethod
    def from_settings(cls) -> Limits:
        """The defaults overridden by the dict settings.VANPHONG_EDXML_LIMITS (unknown keys are a configuration
        error, so that a typo does not silently keep a default)."""
        overrides = getattr(settings, "VANPHONG_EDXML_LIMITS", {}) if settings.configured else {}
        return dataclasses.replace(cls(), **overrides)


def document_id(organ_code: str, day: date, number: str, notation: str) -> str:
    """The edXML DocumentId: "OrganId,yyyy/MM/dd,Number/Notation"."""
    return f"{organ_code},{day:%Y/%m/%d},{number}/{notation}"


# ---------------------------------------------------------------------------------------------------------- writing

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape(text: str) -> str:
    text = _ILLEGAL.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _date_text(value: date | None) -> str:
    return f"{value:%Y/%m/%d}" if value else ""


def _timestamp_text(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(VIETNAM).replace(tzinfo=None)
    return f"{value:%Y/%m/%d %H:%M:%S}"


def _int_text(value: int | None) -> str:
    return "" if value is None else str(int(value))


def _bool_text(value: bool | None, *, words: bool = False) -> str:
    if value is None:
        return ""
    if words:
        return "true" if value else "false"
    return "1" if value else "0"


class _Writer:
    def __init__(self):
        self.parts: list[bytes] = []
        self.depth = 0

    def open(self, tag: str, attributes: str = ""):
        self.parts.append(f"{'  ' * self.depth}<{tag}{attributes}>\n".encode())
        self.depth += 1

    def close(self, tag: str):
        self.depth -= 1
        self.parts.append(f"{'  ' * self.depth}</{tag}>\n".encode())

    def leaf(self, tag: str, value: str | None):
        text = _escape(value) if value else ""
        indent = "  " * self.depth
        self.parts.append(f"{indent}<{tag}>{text}</{tag}>\n".encode() if text else f"{indent}<{tag}/>\n".encode())

    def raw(self, tag: str, payload: bytes):
        indent = "  " * self.depth
        self.parts.extend((f"{indent}<{tag}>".encode(), payload, f"</{tag}>\n".encode()))

    def bytes(self) -> bytes:
        return b"".join(self.parts)


def _write_organ(w: _Writer, tag: str, organ: Organ):
    w.open(tag)
    w.leaf("edXML:OrganId", organ.code)
    w.leaf("edXML:OrganizationInCharge", organ.in_charge)
    w.leaf("edXML:OrganName", organ.name)
    w.leaf("edXML:OrganAdd", organ.address)
    w.leaf("edXML:Email", organ.email)
    w.leaf("edXML:Telephone", organ.phone)
    w.leaf("edXML:Fax", organ.fax)
    w.leaf("edXML:Website", organ.website)
    w.close(tag)


def _write_staff(w: _Writer, staff: Staff):
    w.open("edXML:StaffInfo")
    w.leaf("edXML:Department", staff.department)
    w.leaf("edXML:Staff", staff.name)
    w.leaf("edXML:Mobile", staff.mobile)
    w.leaf("edXML:Email", staff.email)
    w.close("edXML:StaffInfo")


def _write_response_for(w: _Writer, response: ResponseFor):
    w.open("edXML:ResponseFor")
    w.leaf("edXML:OrganId", response.organ_code)
    w.leaf("edXML:Code", response.code)
    w.leaf("edXML:PromulgationDate", _date_text(response.promulgation_date))
    w.leaf("edXML:DocumentId", response.document_id)
    w.close("edXML:ResponseFor")


def _write_document_header(w: _Writer, p: DocumentPackage):
    """MessageHeader children in the order of QCVN 102 items 1.1-1.14 (§4.3)."""
    w.open("edXML:MessageHeader")
    _write_organ(w, "edXML:From", p.sender)
    for recipient in p.recipients:
        _write_organ(w, "edXML:To", recipient)
    w.open("edXML:Code")
    w.leaf("edXML:CodeNumber", p.number)
    w.leaf("edXML:CodeNotation", p.notation)
    w.close("edXML:Code")
    w.open("edXML:PromulgationInfo")
    w.leaf("edXML:Place", p.place)
    w.leaf("edXML:PromulgationDate", _date_text(p.promulgation_date))
    w.close("edXML:PromulgationInfo")
    w.open("edXML:DocumentType")
    w.leaf("edXML:Type", _int_text(p.type))
    w.leaf("edXML:TypeDetail", _int_text(p.type_detail))
    w.leaf("edXML:TypeName", p.type_name)
    w.close("edXML:DocumentType")
    w.leaf("edXML:Subject", p.subject)
    w.leaf("edXML:Content", p.content)
    w.open("edXML:SignerInfo")
    w.leaf("edXML:Competence", p.signer_competence)
    w.leaf("edXML:Position", p.signer_position)
    w.leaf("edXML:FullName", p.signer_name)
    w.close("edXML:SignerInfo")
    w.leaf("edXML:DueDate", _date_text(p.due_date))
    w.open("edXML:ToPlaces")
    for place in p.to_places:
        w.leaf("edXML:Place", place)
    w.close("edXML:ToPlaces")
    w.open("edXML:OtherInfo")
    w.leaf("edXML:Priority", _int_text(p.priority))
    w.leaf("edXML:SphereOfPromulgation", p.sphere)
    w.leaf("edXML:TyperNotation", p.typer_notation)
    w.leaf("edXML:PromulgationAmount", _int_text(p.promulgation_amount))
    w.leaf("edXML:PageAmount", _int_text(p.page_amount))
    w.leaf("edXML:Direction", _bool_text(p.direction, words=True))
    w.open("edXML:Appendixes")
    for appendix in p.appendixes:
        w.leaf("edXML:Appendix", appendix)
    w.close("edXML:Appendixes")
    w.close("edXML:OtherInfo")
    for response in p.response_for:
        _write_response_for(w, response)
    w.leaf("edXML:SteeringType", _int_text(p.steering_type))
    w.leaf("edXML:DocumentId", p.document_id)
    w.close("edXML:MessageHeader")


def _write_trace(w: _Writer, p: DocumentPackage):
    w.open("edXML:TraceHeaderList")
    for trace in p.traces:
        w.open("edXML:TraceHeader")
        w.leaf("edXML:OrganId", trace.organ_code)
        w.leaf("edXML:Timestamp", _timestamp_text(trace.timestamp))
        w.close("edXML:TraceHeader")
    b = p.business
    w.open("edXML:Bussiness")
    w.leaf("edXML:DocumentId", b.document_id)
    w.leaf("edXML:BussinessDocType", str(int(b.doc_type)))
    w.leaf("edXML:BussinessDocReason", b.reason)
    w.leaf("edXML:Paper", _bool_text(b.paper))
    if b.document_info_changed is not None or b.receivers_changed is not None or b.receivers:
        w.open("edXML:BussinessDocumentInfo")
        w.leaf("edXML:DocumentInfo", _bool_text(b.document_info_changed))
        w.leaf("edXML:DocumentReceiver", _bool_text(b.receivers_changed))
        w.open("edXML:ReceiverList")
        for organ_code, receiver_type in b.receivers:
            w.open("edXML:Receiver")
            w.leaf("edXML:OrganId", organ_code)
            w.leaf("edXML:ReceiverType", _int_text(receiver_type))
            w.close("edXML:Receiver")
        w.close("edXML:ReceiverList")
        w.close("edXML:BussinessDocumentInfo")
    if b.replacements:
        w.open("edXML:ReplacementInfoList")
        for replaced_id, organ_codes in b.replacements:
            w.open("edXML:ReplacementInfo")
            w.leaf("edXML:DocumentId", replaced_id)
            w.open("edXML:OrganIdList")
            for organ_code in organ_codes:
                w.leaf("edXML:OrganId", organ_code)
            w.close("edXML:OrganIdList")
            w.close("edXML:ReplacementInfo")
        w.close("edXML:ReplacementInfoList")
    if b.staff is not None:
        _write_staff(w, b.staff)
    w.close("edXML:Bussiness")
    w.close("edXML:TraceHeaderList")


def _cid(content_id: str) -> str:
    return content_id if content_id.startswith("cid:") else f"cid:{content_id}"


def _write_document(w: _Writer, p: DocumentPackage):
    w.open("edXML:edXMLEnvelope")
    w.open("edXML:edXMLHeader")
    _write_document_header(w, p)
    _write_trace(w, p)
    w.close("edXML:edXMLHeader")
    w.open("edXML:edXMLBody")
    w.open("edXML:edXMLManifest", ' version="1.0"')
    for a in p.attachments:
        w.open("edXML:Reference")
        w.leaf("edXML:ContentId", _cid(a.content_id))
        w.leaf("edXML:ContentType", a.content_type)
        w.leaf("edXML:Description", a.description)
        w.leaf("edXML:AttachmentName", a.name)
        w.close("edXML:Reference")
    w.close("edXML:edXMLManifest")
    w.close("edXML:edXMLBody")
    w.close("edXML:edXMLEnvelope")
    if p.attachments:
        w.open("AttachmentEncoded")
        for a in p.attachments:
            w.open("Attachment")
            w.leaf("ContentId", _cid(a.content_id))
            w.leaf("AttachmentName", a.name)
            w.leaf("Description", a.description)
            w.leaf("ContentType", a.content_type)
            w.raw("edXML:ContentTransferEncoded", base64.b64encode(a.data))
            w.close("Attachment")
        w.close("AttachmentEncoded")


def _write_status(w: _Writer, p: StatusPackage):
    """MessageHeader of a status package in the order of §4.6."""
    w.open("edXML:edXMLEnvelope")
    w.open("edXML:edXMLHeader")
    w.open("edXML:MessageHeader")
    _write_organ(w, "edXML:From", p.sender)
    _write_response_for(w, p.response_for)
    if p.staff is not None:
        _write_staff(w, p.staff)
    w.leaf("edXML:StatusCode", p.status_code)
    w.leaf("edXML:Description", p.description)
    if p.timestamp is not None:
        w.leaf("edXML:Timestamp", _timestamp_text(p.timestamp))
    w.close("edXML:MessageHeader")
    w.close("edXML:edXMLHeader")
    w.close("edXML:edXMLEnvelope")


def build(package: DocumentPackage | StatusPackage, *, signer: PackageSigner | None = None) -> bytes:
    """The package as UTF-8 bytes, signed with the agency's key when `signer` is given."""
    w = _Writer()
    w.parts.append(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    w.open("edXML", f' xmlns="{NS}" xmlns:edXML="{NS}"')
    if isinstance(package, StatusPackage):
        _write_status(w, package)
    else:
        _write_document(w, package)
    w.close("edXML")
    data = w.bytes()
    return xmlsig.sign(data, signer) if signer is not None else data


# ---------------------------------------------------------------------------------------------------------- reading

_QNS = "{" + NS + "}"
_ENVELOPE = "/edXML/edXMLEnvelope"
_HEADER = f"{_ENVELOPE}/edXMLHeader"
_MESSAGE = f"{_HEADER}/MessageHeader"


class _Node:
    """An element with its children grouped by local name (QCVN namespace or none; other namespaces ignored)."""

    __slots__ = ("children", "element", "path")

    def __init__(self, element, path: str):
        self.element = element
        self.path = path
        children: dict[str, list] = {}
        for child in element:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag[0] == "{":
                if not tag.startswith(_QNS):
                    continue
                tag = tag[len(_QNS) :]
            children.setdefault(tag, []).append(child)
        self.children = children

    def all(self, name: str) -> list[_Node]:
        found = self.children.get(name, ())
        if len(found) == 1:
            return [_Node(found[0], f"{self.path}/{name}")]
        return [_Node(e, f"{self.path}/{name}[{i}]") for i, e in enumerate(found, 1)]

    def first(self, name: str) -> _Node | None:
        found = self.children.get(name)
        return _Node(found[0], f"{self.path}/{name}") if found else None

    def raw_text(self, name: str) -> str:
        found = self.children.get(name)
        return (found[0].text or "") if found else ""

    def text(self, name: str) -> str:
        found = self.children.get(name)
        if not found:
            return ""
        return "".join(found[0].itertext()).strip()

    def own_text(self) -> str:
        return "".join(self.element.itertext()).strip()


_DATE_FORMATS = ("%Y/%m/%d", "%d/%m/%Y", "%Y-%m-%d")
_TIMESTAMP_FORMATS = ("%Y/%m/%d %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


class _Reader:
    def __init__(self, limits: Limits):
        self.limits = limits
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str):
        self.problems.append(Problem(path, message))

    def missing(self, path: str):
        # named from MessageHeader down ("From/OrganId", "Subject"), elsewhere by its parent and itself
        _head, found, rest = path.partition("/MessageHeader/")
        element = rest if found else "/".join(path.split("/")[-2:])
        self.problem(path, _("Missing required element %(element)s") % {"element": element})

    def required(self, node: _Node | None, name: str, parent_path: str = "") -> str:
        value = node.text(name) if node is not None else ""
        if not value:
            self.missing(f"{node.path if node is not None else parent_path}/{name}")
        return value

    def organ_code(self, node: _Node | None, name: str, parent_path: str) -> str:
        value = self.required(node, "OrganId", f"{parent_path}/{name}")
        if len(value) > ORGAN_ID_MAX:
            self.problem(
                f"{node.path}/OrganId",
                _("The agency code %(value)s is longer than %(max)s characters")
                % {"value": value, "max": ORGAN_ID_MAX},
            )
        return value

    def date(self, node: _Node | None, name: str) -> date | None:
        value = node.text(name) if node is not None else ""
        if not value:
            return None
        day_part = value.split(" ")[0].split("T")[0]
        for pattern in _DATE_FORMATS:
            try:
                return datetime.strptime(day_part, pattern).date()
            except ValueError:
                continue
        self.problem(
            f"{node.path}/{name}", _("Invalid date %(value)s (expected yyyy/MM/dd or dd/MM/yyyy)") % {"value": value}
        )
        return None

    def timestamp(self, node: _Node | None, name: str) -> datetime | None:
        value = node.text(name) if node is not None else ""
        if not value:
            return None
        for pattern in _TIMESTAMP_FORMATS:
            try:
                return datetime.strptime(value, pattern)
            except ValueError:
                continue
        self.problem(
            f"{node.path}/{name}",
            _("Invalid date and time %(value)s (expected yyyy/MM/dd HH:mm:ss)") % {"value": value},
        )
        return None

    def integer(self, node: _Node | None, name: str) -> int | None:
        value = node.text(name) if node is not None else ""
        if not value:
            return None
        try:
            return int(value)
        except ValueError:
            self.problem(f"{node.path}/{name}", _("Invalid number %(value)s") % {"value": value})
            return None

    def boolean(self, node: _Node | None, name: str) -> bool | None:
        value = node.text(name).lower() if node is not None else ""
        if not value:
            return None
        if value in ("1", "true"):
            return True
        if value in ("0", "false"):
            return False
        self.problem(f"{node.path}/{name}", _("Invalid yes/no value %(value)s (expected 0 or 1)") % {"value": value})
        return None

    # -- parts

    def organ(self, node: _Node | None, name: str, parent_path: str) -> Organ:
        code = self.organ_code(node, name, parent_path)
        if node is None:
            return Organ(code=code)
        return Organ(
            code=code,
            name=node.text("OrganName"),
            in_charge=node.text("OrganizationInCharge"),
            address=node.text("OrganAdd"),
            email=node.text("Email"),
            phone=node.text("Telephone"),
            fax=node.text("Fax"),
            website=node.text("Website"),
        )

    def staff(self, node: _Node | None) -> Staff | None:
        if node is None:
            return None
        staff = Staff(
            department=node.text("Department"),
            name=node.text("Staff"),
            mobile=node.text("Mobile"),
            email=node.text("Email"),
        )
        return staff if staff != Staff() else None

    def response_for(self, node: _Node) -> ResponseFor:
        return ResponseFor(
            organ_code=node.text("OrganId"),
            code=node.text("Code"),
            promulgation_date=self.date(node, "PromulgationDate"),
            document_id=node.text("DocumentId"),
        )

    def business(self, node: _Node | None) -> Business:
        if node is None:
            return Business()
        doc_type = BusinessType.NEW
        number = self.integer(node, "BussinessDocType")
        if number is not None:
            try:
                doc_type = BusinessType(number)
            except ValueError:
                self.problem(
                    f"{node.path}/BussinessDocType",
                    _("Unknown business type %(value)s (expected 0, 1, 2 or 3)") % {"value": number},
                )
        info = node.first("BussinessDocumentInfo")
        receivers = []
        if info is not None:
            receiver_list = info.first("ReceiverList")
            for receiver in receiver_list.all("Receiver") if receiver_list is not None else ():
                code = self.required(receiver, "OrganId")
                receivers.append((code, self.integer(receiver, "ReceiverType") or 0))
        replacements = []
        replacement_list = node.first("ReplacementInfoList")
        for replacement in replacement_list.all("ReplacementInfo") if replacement_list is not None else ():
            organs = replacement.first("OrganIdList")
            codes = [o.own_text() for o in organs.all("OrganId")] if organs is not None else []
            replacements.append((replacement.text("DocumentId"), [c for c in codes if c]))
        return Business(
            doc_type=doc_type,
            reason=node.text("BussinessDocReason"),
            paper=bool(self.boolean(node, "Paper")),
            document_id=node.text("DocumentId"),
            staff=self.staff(node.first("StaffInfo")),
            document_info_changed=self.boolean(info, "DocumentInfo") if info is not None else None,
            receivers_changed=self.boolean(info, "DocumentReceiver") if info is not None else None,
            receivers=receivers,
            replacements=replacements,
        )

    def attachments(self, root: _Node, body: _Node | None) -> list[Attachment]:
        manifest = body.first("edXMLManifest") if body is not None else None
        references = {}
        for reference in manifest.all("Reference") if manifest is not None else ():
            content_id = reference.text("ContentId").removeprefix("cid:").strip()
            if not content_id:
                self.missing(f"{reference.path}/ContentId")
                continue
            references[content_id] = reference
        encoded = root.first("AttachmentEncoded")
        nodes = encoded.all("Attachment") if encoded is not None else []
        if len(nodes) > self.limits.max_attachments:
            self.problem(
                encoded.path,
                _("The package has %(count)s attachments, more than the limit of %(max)s")
                % {"count": len(nodes), "max": self.limits.max_attachments},
            )
            return []
        attachments: list[Attachment] = []
        seen = set()
        for node in nodes:
            content_id = node.text("ContentId").removeprefix("cid:").strip()
            if not content_id:
                self.missing(f"{node.path}/ContentId")
                continue
            if content_id in seen:
                self.problem(
                    f"{node.path}/ContentId",
                    _("The attachment %(id)s appears more than once") % {"id": content_id},
                )
                continue
            seen.add(content_id)
            reference = references.get(content_id)
            if reference is None:
                self.problem(
                    f"{node.path}/ContentId",
                    _("The attachment %(id)s is not listed in the manifest") % {"id": content_id},
                )
            name = node.text("AttachmentName") or (reference.text("AttachmentName") if reference else "")
            data = self.attachment_data(node, name or content_id)
            if data is None:
                continue
            attachments.append(
                Attachment(
                    content_id=content_id,
                    name=name,
                    content_type=node.text("ContentType") or (reference.text("ContentType") if reference else ""),
                    data=data,
                    description=node.text("Description") or (reference.text("Description") if reference else ""),
                )
            )
        for content_id, reference in references.items():
            if content_id not in seen:
                self.problem(
                    f"{reference.path}/ContentId",
                    _("The attachment %(id)s listed in the manifest is missing from the package") % {"id": content_id},
                )
        return attachments

    def attachment_data(self, node: _Node, label: str) -> bytes | None:
        path = f"{node.path}/ContentTransferEncoded"
        text = node.raw_text("ContentTransferEncoded")
        limit = self.limits.max_attachment_bytes
        if len(text) // 4 * 3 > limit:
            # line breaks do not count: look closer before refusing
            payload = len(text) - sum(text.count(c) for c in " \t\r\n")
            if payload // 4 * 3 > limit:
                self.problem(
                    path,
                    _("The attachment %(name)s is larger than the limit of %(max)s MB")
                    % {"name": label, "max": round(limit / 2**20, 1)},
                )
                return None
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            pass
        try:
            return base64.b64decode("".join(text.split()), validate=True)
        except (binascii.Error, ValueError):
            self.problem(path, _("The content of the attachment %(name)s is not valid base64") % {"name": label})
            return None

    # -- packages

    def document(self, root: _Node, header: _Node, message: _Node) -> DocumentPackage:
        sender = self.organ(message.first("From"), "From", message.path)
        recipients = []
        seen = set()
        to_nodes = message.all("To")
        if not to_nodes:
            self.missing(f"{message.path}/To/OrganId")
        for node in to_nodes:
            recipient = self.organ(node, "To", message.path)
            if recipient.code in seen:
                self.problem(
                    f"{node.path}/OrganId",
                    _("The recipient %(organ)s is listed more than once") % {"organ": recipient.code},
                )
                continue
            if recipient.code:
                seen.add(recipient.code)
            recipients.append(recipient)
        code = message.first("Code")
        promulgation = message.first("PromulgationInfo")
        kind = message.first("DocumentType")
        signer = message.first("SignerInfo")
        other = message.first("OtherInfo")
        places = message.first("ToPlaces")
        appendixes = other.first("Appendixes") if other is not None else None
        number = self.required(code, "CodeNumber", f"{message.path}/Code")
        notation = self.required(code, "CodeNotation", f"{message.path}/Code")
        promulgation_date = self.date(promulgation, "PromulgationDate")
        if promulgation_date is None and not (promulgation and promulgation.text("PromulgationDate")):
            self.missing(f"{message.path}/PromulgationInfo/PromulgationDate")
        subject = self.required(message, "Subject")
        priority = self.integer(other, "Priority")
        if priority is not None and not 0 <= priority <= 4:
            self.problem(
                f"{other.path}/Priority", _("Priority must be between 0 and 4, not %(value)s") % {"value": priority}
            )
        # TraceHeader and Bussiness live in TraceHeaderList; tolerate them directly in the header too
        trace_list = header.first("TraceHeaderList")
        trace_holder = trace_list if trace_list is not None else header
        traces = []
        for trace in trace_holder.all("TraceHeader"):
            timestamp = self.timestamp(trace, "Timestamp")
            if timestamp is not None:
                traces.append(Trace(organ_code=trace.text("OrganId"), timestamp=timestamp))
        business = self.business(trace_holder.first("Bussiness") or header.first("Bussiness"))
        identifier = message.text("DocumentId") or business.document_id
        if not identifier:
            self.missing(f"{message.path}/DocumentId")
        return DocumentPackage(
            sender=sender,
            recipients=recipients,
            document_id=identifier,
            number=number,
            notation=notation,
            place=promulgation.text("Place") if promulgation else "",
            promulgation_date=promulgation_date,
            type=self.integer(kind, "Type"),
            type_detail=self.integer(kind, "TypeDetail"),
            type_name=kind.text("TypeName") if kind else "",
            subject=subject,
            content=message.text("Content"),
            signer_competence=signer.text("Competence") if signer else "",
            signer_position=signer.text("Position") if signer else "",
            signer_name=signer.text("FullName") if signer else "",
            due_date=self.date(message, "DueDate"),
            priority=priority or 0,
            sphere=other.text("SphereOfPromulgation") if other else "",
            typer_notation=other.text("TyperNotation") if other else "",
            promulgation_amount=self.integer(other, "PromulgationAmount"),
            page_amount=self.integer(other, "PageAmount"),
            direction=self.boolean(other, "Direction"),
            appendixes=[t for t in (a.own_text() for a in appendixes.all("Appendix")) if t] if appendixes else [],
            steering_type=self.integer(message, "SteeringType"),
            to_places=[t for t in (p.own_text() for p in places.all("Place")) if t] if places else [],
            response_for=[self.response_for(node) for node in message.all("ResponseFor") if node.own_text()],
            traces=traces,
            business=business,
            attachments=self.attachments(root, root.first("edXMLEnvelope").first("edXMLBody")),
        )

    def status(self, message: _Node) -> StatusPackage:
        sender = self.organ(message.first("From"), "From", message.path)
        response_node = message.first("ResponseFor")
        self.required(response_node, "OrganId", f"{message.path}/ResponseFor")
        self.required(response_node, "DocumentId", f"{message.path}/ResponseFor")
        response = self.response_for(response_node) if response_node is not None else ResponseFor(organ_code="")
        code = message.text("StatusCode")
        if code not in STATUS_CODES:
            self.problem(
                f"{message.path}/StatusCode",
                _("Unknown status code %(value)s (expected one of %(codes)s)")
                % {"value": code, "codes": ", ".join(STATUS_CODES)},
            )
        return StatusPackage(
            sender=sender,
            response_for=response,
            status_code=code,
            description=message.text("Description"),
            timestamp=self.timestamp(message, "Timestamp"),
            staff=self.staff(message.first("StaffInfo")),
        )


def _check_shape(element, limits: Limits) -> str | None:
    """The message for a too deep or too large tree, else None."""
    count = 0
    depth = 0
    for event, _element in etree.iterwalk(element, events=("start", "end")):
        if event == "start":
            depth += 1
            count += 1
            if depth > limits.max_depth:
                return _("The package is nested more than %(max)s levels deep") % {"max": limits.max_depth}
            if count > limits.max_elements:
                return _("The package has more than %(max)s elements") % {"max": limits.max_elements}
        else:
            depth -= 1
    return None


def _read(data: bytes, limits: Limits | None):
    """(package or None, problems, parsed root or None)."""
    limits = limits or Limits.from_settings()
    reader = _Reader(limits)
    if len(data) > limits.max_bytes:
        reader.problem(
            "/",
            _("The package is %(size)s MB, larger than the limit of %(max)s MB")
            % {"size": round(len(data) / 2**20, 1), "max": round(limits.max_bytes / 2**20, 1)},
        )
        return None, reader.problems, None
    try:
        element = xmlsig.parse_safely(data)
    except xmlsig.UnsafeXml:
        reader.problem("/", _("The file contains a DOCTYPE or entity declaration, which packages may not have"))
        return None, reader.problems, None
    except etree.XMLSyntaxError as error:
        line = error.lineno if error.lineno is not None else (error.position or (0,))[0]
        reader.problem(
            "/", _("The file is not well-formed XML (line %(line)s): %(error)s") % {"line": line, "error": error.msg}
        )
        return None, reader.problems, None
    shape = _check_shape(element, limits)
    if shape:
        reader.problem("/", shape)
        return None, reader.problems, None
    if element.tag not in (f"{_QNS}edXML", "edXML"):
        reader.problem("/", _("The file is not an edXML package (its root element is %(tag)s)") % {"tag": element.tag})
        return None, reader.problems, element
    root = _Node(element, "/edXML")
    envelope = root.first("edXMLEnvelope")
    header = envelope.first("edXMLHeader") if envelope is not None else None
    message = header.first("MessageHeader") if header is not None else None
    if message is None:
        reader.missing(_MESSAGE)
        return None, reader.problems, element
    package = reader.status(message) if "StatusCode" in message.children else reader.document(root, header, message)
    return package, reader.problems, element


def parse(data: bytes, *, limits: Limits | None = None) -> DocumentPackage | StatusPackage:
    """The package in `data`; raises InvalidPackage listing every problem found."""
    package, problems, _element = _read(data, limits)
    if problems:
        raise InvalidPackage(problems)
    return package


def validate(data: bytes, *, limits: Limits | None = None, trust_roots=None) -> list[Problem]:
    """Every problem of the package ([] when valid). With `trust_roots`, a signature that is present must also be
    valid and chain to one of them."""
    _package, problems, element = _read(data, limits)
    if element is not None and trust_roots is not None:
        check = xmlsig.verify_element(element, list(trust_roots))
        if check.present and not check.valid:
            problems.append(
                Problem(f"{_HEADER}/Signature", _("Invalid digital signature: %(reason)s") % {"reason": check.reason})
            )
    return problems


# ---------------------------------------------------------------------------------------------------------- summary


def _size(n: int) -> str:
    if n >= 2**20:
        return f"{n / 2**20:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} B"


def _organ_line(organ: Organ) -> str:
    return f"{organ.code} – {organ.name}" if organ.name else organ.code


def summary(package: DocumentPackage | StatusPackage) -> str:
    """A readable summary for a clerk (used by `vanphong edxml show`)."""
    lines = []
    if isinstance(package, StatusPackage):
        meaning = STATUS_MEANINGS.get(package.status_code, "?")
        response = package.response_for
        lines.append(_("Status package"))
        lines.append(_("Sender: %(organ)s") % {"organ": _organ_line(package.sender)})
        lines.append(_("Status: %(code)s – %(meaning)s") % {"code": package.status_code, "meaning": meaning})
        if package.description:
            lines.append(_("Description: %(text)s") % {"text": package.description})
        if package.timestamp:
            lines.append(_("Time: %(time)s") % {"time": f"{package.timestamp:%d/%m/%Y %H:%M:%S}"})
        if package.staff:
            lines.append(_("Staff: %(name)s") % {"name": package.staff.name or package.staff.department})
        lines.append(
            _("In response to: %(code)s of %(organ)s dated %(date)s")
            % {
                "code": response.code or "?",
                "organ": response.organ_code,
                "date": f"{response.promulgation_date:%d/%m/%Y}" if response.promulgation_date else "?",
            }
        )
        lines.append(_("Document ID: %(id)s") % {"id": response.document_id})
        return "\n".join(lines)
    p = package
    lines.append(_("Document package"))
    lines.append(_("Sender: %(organ)s") % {"organ": _organ_line(p.sender)})
    lines.append(_("Recipients:"))
    lines.extend(f"  - {_organ_line(r)}" for r in p.recipients)
    lines.append(_("Number and notation: %(number)s/%(notation)s") % {"number": p.number, "notation": p.notation})
    lines.append(
        _("Date: %(place)s, %(date)s")
        % {"place": p.place or "?", "date": f"{p.promulgation_date:%d/%m/%Y}" if p.promulgation_date else "?"}
    )
    lines.append(_("Document type: %(name)s") % {"name": p.type_name or (p.type if p.type is not None else "?")})
    lines.append(_("Subject: %(subject)s") % {"subject": p.subject})
    signer = ", ".join(x for x in (p.signer_competence, p.signer_position, p.signer_name) if x)
    lines.append(_("Signed by: %(signer)s") % {"signer": signer or "?"})
    lines.append(_("Priority: %(priority)s") % {"priority": PRIORITY_NAMES.get(p.priority, p.priority)})
    if p.due_date:
        lines.append(_("Due date: %(date)s") % {"date": f"{p.due_date:%d/%m/%Y}"})
    lines.append(_("Document ID: %(id)s") % {"id": p.document_id})
    lines.append(
        _("Business: %(type)s (%(reason)s)")
        % {"type": BUSINESS_NAMES[p.business.doc_type], "reason": p.business.reason or "-"}
    )
    lines.append(_("Attachments: %(count)s") % {"count": len(p.attachments)})
    lines.extend(f"  - {a.name} ({a.content_type}, {_size(len(a.data))})" for a in p.attachments)
    return "\n".join(lines)
