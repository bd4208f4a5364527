"""Every write on outgoing documents: drafts and their versions, the review route, signing, numbering with the
agency's signature, issuance to recipients on and off the platform, tracking, recall and replacement. Each checks
who acts, fires a transition of states.py, writes the audit log and notifies the people concerned."""

import datetime
import io
from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.audit.services import record
from vanphong.core import pdftext
from vanphong.core.conversion import ConversionError, convert_draft
from vanphong.core.document_types import WITHOUT_ABBREVIATION, Secrecy
from vanphong.core.files import PDF, read_stored, store
from vanphong.core.placeholders import NUMBER, SIGNATURE, Place
from vanphong.core.sequences import take_next
from vanphong.core.state_machine import TransitionNotAllowed
from vanphong.intake.checks import assert_clean
from vanphong.intake.services import read_once
from vanphong.notifications.services import notify
from vanphong.organizations.models import Agency, Role, Unit
from vanphong.organizations.selectors import acting_holders, current_positions
from vanphong.signing.credentials import credential_of, image_of, open_signer
from vanphong.signing.errors import SigningError
from vanphong.signing.levels import configured_timestamper
from vanphong.signing.places import fill_places, find_places, prepare_places
from vanphong.signing.services import sign_pdf

from . import permissions
from .errors import NotVisible, OutgoingError
from .models import (
    Attachment,
    OutgoingCounter,
    OutgoingDocument,
    OutgoingRegister,
    Recipient,
    ReviewRoute,
    ReviewStep,
    Version,
)
from .states import DocumentState, RecipientState, StepState, document, recipient, step

D, S, R = DocumentState, StepState, RecipientState
SIGNER_FIELD, AGENCY_FIELD = "ChuKyNguoiKy", "ChuKyCoQuan"
DRAFT_FIELDS = (
    "document_type",
    "summary",
    "drafting_unit",
    "signer",
    "authority",
    "signer_title",
    "urgency",
    "secrecy",
    "paper_only",
    "reply_deadline",
    "page_count",
    "copies",
    "other_recipients",
    "in_reply_to",
    "replaces",
)
DOCX_LIKE = (".docx", ".odt")
SIGNATURE_BOX = (160, 70)  # the signer's stamp, centred on the signature place


def _url(doc) -> str:
    return reverse("outgoing:detail", args=[doc.pk])


def _audit(action, obj, *, by, before=None, after=None):
    record(f"outgoing.{action}", obj=obj, actor=by, before=before, after=after)


def _notify(people, title, doc, *, kind="outgoing"):
    for person in {p.pk: p for p in people if p is not None}.values():
        notify(recipient=person, title=title, url=_url(doc), kind=kind)


def _keep(data: bytes, filename: str):
    """A file the platform made (a PDF rendering, a signed PDF) passes the same intake checks as an upload."""
    return store(upload=io.BytesIO(data), filename=filename)


# Drafts and versions (dự thảo)


def _check_people(agency, *, by, drafting_unit, signer):
    if not current_positions(by).filter(agency=agency).exists():
        raise NotVisible(_("Only the agency's staff draft its documents."))
    if drafting_unit.agency_id != agency.pk:
        raise OutgoingError(_("Choose a unit of your agency as the drafting unit."))
    if not current_positions(signer).filter(agency=agency).exists():
        raise OutgoingError(_("The signer must hold a position in the agency."))


def _add_version(doc, *, upload, by, note="") -> Version:
    """Keep the uploaded main file; a DOCX/ODT is converted to PDF (LibreOffice) and its place markers found."""
    if doc.is_secret:
        raise OutgoingError(_("A document with a secrecy mark is drafted on paper: no electronic file is kept."))
    name = upload.name
    data = upload.read()
    upload.seek(0)
    source = store(upload=upload, filename=name)  # FileRefused: nothing kept
    converted_before = Version.objects.filter(source_file=source).exclude(pdf_file=source).first()
    if converted_before is not None:  # the same file uploaded again: its rendering is the same
        pdf_file, places = converted_before.pdf_file, _places(converted_before)
    elif name.lower().endswith(DOCX_LIKE):
        try:
            converted = convert_draft(data, name)
        except ConversionError as error:
            raise OutgoingError(str(error)) from error
        pdf_file, places = _keep(converted.pdf, name.rsplit(".", 1)[0] + ".pdf"), converted.places
    elif source.content_type == PDF:
        pdf_file, places = source, find_places(data)
    else:
        raise OutgoingError(_("Upload the draft as a Word (.docx) or PDF file."))
    printed_notation = _printed_notation(read_stored(pdf_file), places, marker_left=pdf_file == source)
    number = (doc.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = Version.objects.create(
        document=doc,
        number=number,
        source_file=source,
        source_name=name,
        pdf_file=pdf_file,
        places={key: place.as_dict() for key, place in places.items()},
        printed_notation=printed_notation,
        note=note,
        uploaded_by=by,
    )
    _audit("version_uploaded", doc, by=by, after={"version": number, "file": name})
    return version


def _printed_notation(pdf: bytes, places: dict[str, Place], *, marker_left: bool) -> str:
    """The notation printed after the number place ("/STC-VP" → "STC-VP"), or "" when the template has none."""
    if "number" not in places:
        return ""
    try:
        after = pdftext.text_after(pdf, places["number"], marker=NUMBER if marker_left else None)
    except pdftext.PdfTextUnavailable:
        return ""
    return after[1:31] if after.startswith("/") and len(after) > 1 else ""


def latest_version(doc) -> Version | None:
    return doc.versions.order_by("-number").first()


def create_draft(
    *, agency: Agency, by, data: dict, main_file=None, attachments: Iterable = (), recipients: Iterable = ()
) -> OutgoingDocument:
    """A new draft (dự thảo), optionally the reply to an incoming document. `recipients`: Recipient fields as
    dicts (kind, agency or unit, name). Nothing is kept when any check fails."""
    data = {k: data.get(k) for k in DRAFT_FIELDS if data.get(k) is not None}
    _check_people(agency, by=by, drafting_unit=data["drafting_unit"], signer=data["signer"])
    if data.get("secrecy", Secrecy.NONE) != Secrecy.NONE:
        data["paper_only"] = True
    with transaction.atomic():
        doc = OutgoingDocument(agency=agency, drafter=by, **data)
        doc.full_clean(exclude=["register", "year", "number", "issued_file"])
        doc.save()
        if main_file is not None:
            _add_version(doc, upload=main_file, by=by)
        elif not doc.is_secret:
            raise OutgoingError(_("Upload the draft (Word or PDF)."))
        for upload in attachments:
            _add_attachment(doc, upload=upload, by=by)
        set_recipients(doc, recipients, by=by, audit=False)
        _audit("drafted", doc, by=by, after={"summary": doc.summary, "type": doc.document_type})
    return doc


def _add_attachment(doc, *, upload, by) -> Attachment:
    if doc.is_secret:
        raise OutgoingError(_("A document with a secrecy mark is drafted on paper: no electronic file is kept."))
    return Attachment.objects.create(
        document=doc, stored_file=store(upload=upload, filename=upload.name), filename=upload.name, added_by=by
    )


def set_recipients(doc, recipients: Iterable[dict], *, by, audit=True) -> None:
    """Replace the recipient list of a document not yet issued."""
    if doc.state in (D.ISSUED, D.RECALLED, D.REPLACED):
        raise OutgoingError(_("The recipients of an issued document cannot be changed."))
    doc.recipients.all().delete()
    for item in recipients:
        kind = item["kind"]
        target = item.get("agency") or item.get("unit")
        name = (item.get("name") or (target.name if target else "")).strip()
        if not name:
            raise OutgoingError(_("Each recipient needs a name."))
        if kind == Recipient.Kind.UNIT and (item.get("unit") is None or item["unit"].agency_id != doc.agency_id):
            raise OutgoingError(_("Choose a unit of your agency."))
        if kind in (Recipient.Kind.HOSTED, Recipient.Kind.EXTERNAL):
            agency = item.get("agency")
            if agency is None:
                raise OutgoingError(_("Choose the agency from the directory."))
            kind = Recipient.Kind.HOSTED if agency.is_hosted else Recipient.Kind.EXTERNAL
        if doc.signed_electronically is False and kind != Recipient.Kind.UNIT:
            kind = Recipient.Kind.PAPER  # a paper-only document travels on paper
        Recipient.objects.create(
            document=doc, kind=kind, agency=item.get("agency"), unit=item.get("unit"), name=name[:250]
        )
    if audit:
        _audit("recipients_set", doc, by=by, after={"count": doc.recipients.count()})


def upload_version(*, doc: OutgoingDocument, by, upload, note: str = "") -> Version:
    """A new version of the main file: the drafter while it is a draft, or a reviewer who edits it in review."""
    if not (
        (doc.state == D.DRAFT and permissions.drafts(by, doc))
        or (doc.state in (D.IN_REVIEW, D.TO_SIGN) and permissions.reviews_now(by, doc))
    ):
        raise NotVisible(_("You cannot upload a new version of this document now."))
    with transaction.atomic():
        return _add_version(doc, upload=upload, by=by, note=note)


# The review route (trình duyệt)


def route_for(doc) -> list:
    """The steps of the agency's route for this type: the most specific route wins; by default the drafting
    unit's head."""
    routes = list(ReviewRoute.objects.filter(agency=doc.agency))
    for route in routes:
        if doc.document_type in (route.document_types or []):
            return route.steps
    for route in routes:
        if not route.document_types:
            return route.steps
    return ["unit_head"]


def _unit_head(unit: Unit):
    for role in (Role.UNIT_HEAD, Role.UNIT_DEPUTY):
        person = acting_holders(agency=unit.agency, role=role, unit=unit).first()
        if person is not None:
            return person
    return None


@transaction.atomic
def submit(
    *, doc: OutgoingDocument, by, consult_units: Iterable[Unit] = (), consult_deadline: datetime.date | None = None
) -> OutgoingDocument:
    """Trình: the draft goes along the route (steps of one order run in parallel), the signer last."""
    if not doc.is_secret and latest_version(doc) is None:
        raise OutgoingError(_("Upload the draft (Word or PDF)."))
    consult_units = list(consult_units)
    if consult_units and consult_deadline is None:
        raise OutgoingError(_("Give the deadline for the consulted units' opinions."))
    before, after = document.fire(doc, "submit", by=by)
    round_ = (doc.steps.order_by("-round").values_list("round", flat=True).first() or 0) + 1
    order = 0
    route = list(route_for(doc))
    kinds = [item if isinstance(item, str) else item.get("kind") for item in route]
    if consult_units and ReviewStep.Kind.CONSULT not in kinds:
        route.append(ReviewStep.Kind.CONSULT)  # units chosen on the draft are consulted even where the route is silent
    for item in route:
        kind, unit_id = (item, None) if isinstance(item, str) else (item["kind"], item.get("unit"))
        if kind == ReviewStep.Kind.UNIT_HEAD:
            head = _unit_head(doc.drafting_unit)
            if head is not None and head.pk not in (by.pk, doc.signer_id):
                order += 1
                ReviewStep.objects.create(document=doc, round=round_, order=order, kind=kind, reviewer=head)
        elif kind == ReviewStep.Kind.OFFICE_CHIEF and unit_id:
            chief = _unit_head(Unit.objects.get(pk=unit_id, agency=doc.agency))
            if chief is not None and chief.pk != doc.signer_id:
                order += 1
                ReviewStep.objects.create(document=doc, round=round_, order=order, kind=kind, reviewer=chief)
        elif kind == ReviewStep.Kind.CONSULT and consult_units:
            order += 1
            for unit in consult_units:
                if unit.agency_id != doc.agency_id:
                    raise OutgoingError(_("Choose a unit of your agency."))
                ReviewStep.objects.create(
                    document=doc, round=round_, order=order, kind=kind, unit=unit, deadline=consult_deadline
                )
    ReviewStep.objects.create(
        document=doc, round=round_, order=order + 1, kind=ReviewStep.Kind.SIGNER, reviewer=doc.signer
    )
    doc.save(update_fields=["state", "updated_at"])
    _audit("submitted", doc, by=by, before={"state": before}, after={"state": after, "round": round_})
    _open_next(doc, round_)
    return doc


def _open_next(doc, round_) -> None:
    """Open the next order of steps of the round; when only the signer is left the document waits for signing."""
    waiting = doc.steps.filter(round=round_, state=S.WAITING).order_by("order")
    first = waiting.first()
    if first is None:
        return
    opened = list(waiting.filter(order=first.order))
    for item in opened:
        step.fire(item, "open")
        item.version = latest_version(doc)
        item.save(update_fields=["state", "version"])
    if first.kind == ReviewStep.Kind.SIGNER:
        document.fire(doc, "reviewed")
        doc.save(update_fields=["state", "updated_at"])
        _notify([doc.signer], _("Document to sign: %(summary)s") % {"summary": doc.summary[:120]}, doc)
        return
    people = []
    for item in opened:
        people += [item.reviewer] if item.reviewer else [_unit_head(item.unit)]
    _notify(people, _("Draft to review: %(summary)s") % {"summary": doc.summary[:120]}, doc)


def _open_step_of(doc, by) -> ReviewStep:
    for item in doc.steps.filter(state=S.PENDING).select_related("reviewer", "unit", "document__agency"):
        if permissions.acts_on_step(by, item):
            return item
    raise NotVisible(_("This document is not waiting for your review."))


@transaction.atomic
def approve(*, doc: OutgoingDocument, by, comment: str = "") -> ReviewStep:
    """Đồng ý: the reviewer agrees (a consulted unit gives its opinion); the route moves on when all the steps
    of this order agree."""
    item = _open_step_of(doc, by)
    if item.kind == ReviewStep.Kind.SIGNER:
        raise OutgoingError(_("The signer approves by signing the document."))
    before, after = step.fire(item, "approve", by=by)
    item.comment, item.decided_by, item.decided_at = comment.strip(), by, timezone.now()
    item.save(update_fields=["state", "comment", "decided_by", "decided_at"])
    _audit("approved", doc, by=by, before={"step": before}, after={"step": after, "comment": item.comment})
    if not doc.steps.filter(round=item.round, order=item.order, state=S.PENDING).exists():
        _open_next(doc, item.round)
    return item


@transaction.atomic
def return_draft(*, doc: OutgoingDocument, by, comment: str) -> OutgoingDocument:
    """Trả lại: back to the drafter with the reviewer's (or signer's) comments; the rest of the round ends."""
    if not comment.strip():
        raise OutgoingError(_("Write what should be changed."))
    item = _open_step_of(doc, by)
    before, after = document.fire(doc, "return", by=by)
    step.fire(item, "return", by=by)
    item.comment, item.decided_by, item.decided_at = comment.strip(), by, timezone.now()
    item.save(update_fields=["state", "comment", "decided_by", "decided_at"])
    for other in doc.steps.filter(round=item.round, state__in=[S.WAITING, S.PENDING]):
        step.fire(other, "skip")
        other.save(update_fields=["state"])
    doc.save(update_fields=["state", "updated_at"])
    _audit("returned", doc, by=by, before={"state": before}, after={"state": after, "comment": item.comment})
    _notify([doc.drafter], _("Draft returned with comments: %(summary)s") % {"summary": doc.summary[:120]}, doc)
    return doc


# Signing (ký số) and the paper path


def _signature_box(place: Place) -> tuple[float, float, float, float]:
    x1, y1, x2, y2 = place.box
    middle_x, middle_y = (x1 + x2) / 2, (y1 + y2) / 2
    width, height = SIGNATURE_BOX
    return middle_x - width / 2, middle_y - height / 2, middle_x + width / 2, middle_y + height / 2


def _places(version) -> dict[str, Place]:
    return {key: Place.from_dict(value) for key, value in (version.places or {}).items()}


@transaction.atomic
def sign(*, doc: OutgoingDocument, by, secret: str, timestamper=None) -> OutgoingDocument:
    """The signer signs the approved version with their own key (PAdES), at the signature place the template
    marked; the number and date places are laid out as empty fields first, for the clerk."""
    if not doc.signed_electronically:
        raise OutgoingError(_("This document is signed on paper; record the signed paper copy instead."))
    if doc.state != D.TO_SIGN or not permissions.signs(by, doc):
        raise NotVisible(_("This document is not waiting for your signature."))
    version = latest_version(doc)
    places = _places(version)
    credential = credential_of(person=doc.signer)
    pdf = read_stored(version.pdf_file)
    try:
        prepared = prepare_places(pdf, {k: v for k, v in places.items() if k in ("number", "date")})
        where = (
            {"page": places["signature"].page, "box": _signature_box(places["signature"])}
            if "signature" in places
            else {"marker": SIGNATURE}
        )
        signed = sign_pdf(
            pdf=prepared,
            signer=open_signer(credential, secret=secret),
            role="signer",
            field_name=SIGNER_FIELD,
            image_png=image_of(credential),
            timestamper=timestamper or configured_timestamper(),
            **where,
        )
    except SigningError as error:
        raise OutgoingError(str(error)) from error
    item = doc.steps.get(state=S.PENDING, kind=ReviewStep.Kind.SIGNER)
    step.fire(item, "approve", by=by)
    item.decided_by, item.decided_at, item.version = by, timezone.now(), version
    item.save(update_fields=["state", "decided_by", "decided_at", "version"])
    before, after = document.fire(doc, "signed")
    doc.issued_file = _keep(signed, f"{doc.pk}-signed.pdf")
    doc.signed_by, doc.signed_at = by, timezone.now()
    doc.save(update_fields=["state", "issued_file", "signed_by", "signed_at", "updated_at"])
    _audit("signed", doc, by=by, before={"state": before}, after={"state": after, "certificate": credential.label})
    _notify(_clerks(doc.agency), _("Document to number and issue: %(summary)s") % {"summary": doc.summary[:120]}, doc)
    return doc


@transaction.atomic
def approve_paper(*, doc: OutgoingDocument, by, comment: str = "") -> OutgoingDocument:
    """A document that is not signed electronically: the signer signed the paper copy; the clerk numbers it."""
    if doc.signed_electronically:
        raise OutgoingError(_("This document is signed digitally."))
    item = doc.steps.filter(state=S.PENDING, kind=ReviewStep.Kind.SIGNER).first()
    before, after = document.fire(doc, "approve_paper", by=by)
    if item is not None:
        step.fire(item, "approve")
        item.decided_by, item.decided_at, item.comment = by, timezone.now(), comment
        item.save(update_fields=["state", "decided_by", "decided_at", "comment"])
    doc.signed_by, doc.signed_at = by, timezone.now()
    doc.save(update_fields=["state", "signed_by", "signed_at", "updated_at"])
    _audit("signed_on_paper", doc, by=by, before={"state": before}, after={"state": after})
    _notify(_clerks(doc.agency), _("Document to number and issue: %(summary)s") % {"summary": doc.summary[:120]}, doc)
    return doc


def _clerks(agency):
    return list(acting_holders(agency=agency, role=Role.CLERK))


# Numbering (cấp số) and the agency's signature


def register_for(doc) -> OutgoingRegister:
    """The register a document's number comes from: the secret register for a secrecy mark; else one that lists
    its type; else the agency's general register."""
    registers = list(
        OutgoingRegister.objects.filter(agency=doc.agency, is_active=True, for_secret_documents=doc.is_secret)
    )
    for register in registers:
        if doc.document_type in (register.document_types or []):
            return register
    for register in registers:
        if not register.document_types:
            return register
    if doc.is_secret:
        raise OutgoingError(_("The agency has no register for documents with a secrecy mark."))
    raise OutgoingError(_("The agency has no outgoing register for this document type."))


def notation_for(doc) -> str:
    """Ký hiệu (standards.md §1.2): QĐ-UBND for a typed document; UBND-VP for a công văn (issuer and drafting
    unit)."""
    issuer = doc.agency.short_name or doc.agency.name
    if doc.document_type in WITHOUT_ABBREVIATION:
        unit = doc.drafting_unit.short_name
        return f"{issuer}-{unit}" if unit else issuer
    return f"{doc.document_type}-{issuer}"


def date_line(day: datetime.date) -> str:
    """'ngày 05 tháng 3 năm 2026': days below 10 and the months 1 and 2 with a leading zero."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


@transaction.atomic
def number(*, doc: OutgoingDocument, by, secret: str = "", timestamper=None) -> OutgoingDocument:
    """Cấp số: the next number of the register in this year, the notation and today's date; written into the
    signed PDF's number and date places (the signer's signature stays valid), then the agency's signature with
    its seal over the left third of the signer's, and each appendix signed at the top right of its first page."""
    OutgoingDocument.objects.select_for_update().filter(pk=doc.pk).first()  # one clerk at a time per document
    doc.refresh_from_db()
    before, after = document.fire(doc, "number", by=by)
    today = timezone.localdate()
    doc.register = register_for(doc)
    doc.year = today.year
    doc.number = take_next(OutgoingCounter, register=doc.register, year=doc.year)
    version = latest_version(doc)
    doc.notation = (version.printed_notation if version else "") or notation_for(doc)
    doc.issued_on = today
    doc.numbered_by = by
    if doc.signed_electronically:
        try:
            _seal(doc, secret=secret, timestamper=timestamper or configured_timestamper())
        except SigningError as error:
            raise OutgoingError(str(error)) from error
    doc.save()
    _audit(
        "numbered",
        doc,
        by=by,
        before={"state": before},
        after={"state": after, "register": doc.register.pk, "number": doc.number, "notation": doc.notation},
    )
    return doc


def _seal(doc, *, secret, timestamper) -> None:
    credential = credential_of(agency=doc.agency)
    signer = open_signer(credential, secret=secret)
    seal = image_of(credential)
    pdf = fill_places(read_stored(doc.issued_file), {"number": doc.number_text, "date": date_line(doc.issued_on)})
    pdf = sign_pdf(
        pdf=pdf,
        signer=signer,
        role="agency",
        field_name=AGENCY_FIELD,
        over_field=SIGNER_FIELD,
        image_png=seal,
        lines=[doc.agency.name],
        timestamper=timestamper,
    )
    doc.issued_file = _keep(pdf, f"{doc.reference}.pdf".replace("/", "-"))
    for attachment in doc.attachments.all():
        if attachment.stored_file.content_type != PDF:
            continue  # only PDFs carry a signature; other formats go as they are
        signed = sign_pdf(
            pdf=read_stored(attachment.stored_file),
            signer=signer,
            role="attachment",
            field_name=AGENCY_FIELD,
            lines=[f"{doc.reference}"],
            timestamper=timestamper,
        )
        attachment.issued_file = _keep(signed, attachment.filename)
        attachment.save(update_fields=["issued_file"])


# Issuance (phát hành) and tracking


def _set_recipient_state(item: Recipient, transition: str) -> None:
    try:
        recipient.fire(item, transition)
    except TransitionNotAllowed:  # a late or repeated status (a status message after completion) changes nothing
        return
    item.state_changed_at = timezone.now()
    item.save(update_fields=["state", "state_changed_at"])


def issue(*, doc: OutgoingDocument, by) -> OutgoingDocument:
    """Phát hành, the same day: agencies on this platform receive it at once, waiting for their clerk; agencies
    elsewhere wait in the outbox (chờ gửi) for the interconnection; paper recipients are recorded as sent.

    Every file is scanned for viruses again first, outside the issuing transaction, so that a file found infected
    stays in quarantine and in the audit log although nothing is issued (Infected, ScanPending: FileRefused)."""
    if not permissions.is_clerk_of_document(by, doc):
        raise NotVisible(_("This step is not possible for this document now."))
    files = [doc.issued_file, *(a.issued_file or a.stored_file for a in doc.attachments.all())]
    assert_clean(files, agency=doc.agency, detail=doc.reference)
    return _issue(doc=doc, by=by)


@transaction.atomic
def _issue(*, doc: OutgoingDocument, by) -> OutgoingDocument:
    from vanphong.exchange import services as exchange
    from vanphong.incoming import services as incoming

    before, after = document.fire(doc, "issue", by=by)
    if not doc.recipients.exists():
        raise OutgoingError(_("Add at least one recipient before issuing."))
    doc.issued_at = timezone.now()
    doc.save(update_fields=["state", "issued_at", "updated_at"])
    # agencies, here or elsewhere, receive the same edXML package (exchange): those here at once, waiting for
    # their clerk; the others through the outbox (chờ gửi until the next hop takes it)
    agencies = doc.recipients.filter(kind__in=[Recipient.Kind.HOSTED, Recipient.Kind.EXTERNAL])
    try:
        exchange.send_document(doc=doc, items=agencies.select_related("agency"))
    except exchange.Rejected as refusal:
        raise OutgoingError(str(refusal)) from refusal
    for item in doc.recipients.filter(kind__in=[Recipient.Kind.UNIT, Recipient.Kind.PAPER]).select_related("unit"):
        if item.kind == Recipient.Kind.UNIT:
            _set_recipient_state(item, "sent")
            _notify(
                [_unit_head(item.unit)],
                _("Issued document for your unit: %(summary)s") % {"summary": doc.summary[:120]},
                doc,
            )
        else:
            recipient.fire(item, "sent")
            item.state = R.ON_PAPER
            item.state_changed_at = timezone.now()
            item.save(update_fields=["state", "state_changed_at"])
    if doc.replaces_id:
        _withdraw(doc.replaces, by=by, transition="replaced", reason=_("Replaced by %(ref)s") % {"ref": doc.reference})
    if doc.in_reply_to_id:
        incoming.complete_by_reply(document=doc.in_reply_to, by=doc.drafter, reply_reference=doc.reference)
    files = [(doc.issued_file, f"{doc.reference}.pdf".replace("/", "-"))] if doc.issued_file else []
    files += [(a.issued_file or a.stored_file, a.filename) for a in doc.attachments.all()]
    for stored_file, filename in files:  # the issued text is read for search, in the background
        read_once(stored_file=stored_file, filename=filename, agency=doc.agency, by=by)
    _audit("issued", doc, by=by, before={"state": before}, after={"state": after, "recipients": doc.recipients.count()})
    _notify([doc.drafter], _("Issued: %(ref)s %(summary)s") % {"ref": doc.reference, "summary": doc.summary[:100]}, doc)
    return doc


# Recall and replacement (thu hồi, thay thế)


def _withdraw(doc, *, by, transition, reason) -> None:
    from vanphong.exchange import services as exchange

    before, after = document.fire(doc, transition, by=by if transition == "recall" else None)
    doc.recall_reason = reason
    doc.save(update_fields=["state", "recall_reason", "updated_at"])
    for item in doc.recipients.all():
        _set_recipient_state(item, "recalled")
        exchange.recall(item=item, reason=reason)  # the agency, here or elsewhere, is asked to give it back (13)
    _audit(
        "recalled" if transition == "recall" else "replaced",
        doc,
        by=by,
        before={"state": before},
        after={"state": after, "reason": reason},
    )


@transaction.atomic
def recall(*, doc: OutgoingDocument, by, reason: str) -> OutgoingDocument:
    """Thu hồi: recipients on this platform see at once that the document is withdrawn, with the reason."""
    if not reason.strip():
        raise OutgoingError(_("Give the reason."))
    _withdraw(doc, by=by, transition="recall", reason=reason.strip())
    return doc


# Following up (theo dõi)


def on_recipient_status(item: Recipient, transition: str) -> None:
    """The recipient agency reported a step with the document (a status of the exchange): its tracking line
    follows. A status proves the document left, even if the next hop's acknowledgement was lost."""
    if item.state == R.QUEUED and transition != "sent":
        _set_recipient_state(item, "sent")
    _set_recipient_state(item, transition)


def late_recipients(doc, today: datetime.date | None = None) -> list[Recipient]:
    """Recipients that owe a report past the deadline and have not replied."""
    if doc.reply_deadline is None or doc.reply_deadline >= (today or timezone.localdate()):
        return []
    # only agencies' replies can be matched: paper recipients (the file copy "Lưu: VT") and units are not chased
    owing = doc.recipients.filter(kind__in=[Recipient.Kind.HOSTED, Recipient.Kind.EXTERNAL], reply__isnull=True)
    return list(owing.exclude(state__in=[R.RECALLED, R.REFUSED]))


def urge_late_recipients(*, today: datetime.date | None = None) -> int:
    """Daily: the lead specialist (the drafter) hears of each document whose recipients are late with their
    report, and the signer gets the list."""
    today = today or timezone.localdate()
    count = 0
    due = OutgoingDocument.objects.filter(state=D.ISSUED, reply_deadline__lt=today).exclude(reminded_on=today)
    for doc in due.select_related("signer", "drafter"):
        late = late_recipients(doc, today)
        if not late:
            continue
        names = ", ".join(item.name for item in late)
        title = _("Reports overdue for %(ref)s: %(names)s") % {"ref": doc.reference, "names": names[:200]}
        _notify([doc.drafter, doc.signer], title, doc, kind="outgoing_late")
        doc.reminded_on = today
        doc.save(update_fields=["reminded_on"])
        count += 1
    return count
