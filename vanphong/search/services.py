"""Every write to the search index. A document is indexed in the transaction that saves it (receivers.py), so it is
findable the moment that transaction commits, without a background task. Documents with a secrecy mark are indexed
by their metadata only: the text of their files never enters the index."""

from django.db import transaction
from django.db.models import Q

from vanphong.intake.services import latest_text

from .backends import get_backend
from .folding import fold
from .models import Kind, SearchEntry


def _body(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def _save(*, kind: str, document, title, reference, issuer, date, document_type, state, body) -> SearchEntry:
    backend = get_backend()
    entry, _created = SearchEntry.objects.update_or_create(
        kind=kind,
        object_id=document.pk,
        defaults={
            "agency_id": document.agency_id,
            "title": title[:500],
            "reference": reference[:60],
            "issuer": issuer[:250],
            "issuer_folded": fold(issuer)[:250],
            "document_date": date,
            "document_type": document_type,
            "state": state,
            "secrecy": document.secrecy,
            "body": body,
            "folded": fold(body) if backend.stores_folded_text else "",
        },
    )
    backend.index(entry)
    return entry


def index_incoming(*, document) -> SearchEntry:
    reference = "/".join(part for part in (document.number, document.notation) if part)
    texts = []
    if not document.is_secret:
        texts = [latest_text(a.stored_file) for a in document.attachments.select_related("stored_file")]
    body = _body(
        document.summary,
        reference,
        document.issuer_name,
        document.signer,
        document.get_document_type_display(),
        *texts,
    )
    return _save(
        kind=Kind.INCOMING,
        document=document,
        title=document.summary,
        reference=reference,
        issuer=document.issuer_name,
        date=document.document_date,
        document_type=document.document_type,
        state=document.state,
        body=body,
    )


def _outgoing_files(document):
    if document.issued_file_id:
        yield document.issued_file
    latest = document.versions.order_by("-number").select_related("pdf_file", "source_file").first()
    if latest is not None:
        yield latest.pdf_file
        yield latest.source_file
    for attachment in document.attachments.select_related("stored_file"):
        yield attachment.stored_file


def index_outgoing(*, document) -> SearchEntry:
    """Indexed from the draft on: who may see it is decided at search time (outgoing's own rule)."""
    reference = f"{document.number_text}/{document.notation}" if document.number is not None else ""
    texts = []
    if not document.is_secret:
        seen, texts = set(), []
        for stored in _outgoing_files(document):
            if stored.pk not in seen:
                seen.add(stored.pk)
                texts.append(latest_text(stored))
    agency = document.agency
    body = _body(
        document.summary,
        reference,
        agency.name,
        document.get_document_type_display(),
        str(document.signer) if document.signer_id else "",
        *texts,
    )
    return _save(
        kind=Kind.OUTGOING,
        document=document,
        title=document.summary,
        reference=reference,
        issuer=agency.name,
        date=document.issued_on or document.created_at.date(),
        document_type=document.document_type,
        state=document.state,
        body=body,
    )


def remove(*, kind: str, pk: int) -> None:
    get_backend().remove(kind, pk)


def reindex_file(*, stored_file) -> int:
    """The text of a file was read: re-index every document that carries it. Returns how many."""
    from vanphong.incoming.models import IncomingDocument
    from vanphong.outgoing.models import OutgoingDocument

    count = 0
    for document in IncomingDocument.objects.filter(attachments__stored_file=stored_file).distinct():
        index_incoming(document=document)
        count += 1
    carries = (
        Q(issued_file=stored_file)
        | Q(versions__pdf_file=stored_file)
        | Q(versions__source_file=stored_file)
        | Q(attachments__stored_file=stored_file)
    )
    outgoing = OutgoingDocument.objects.filter(carries).values("pk")
    for document in OutgoingDocument.objects.filter(pk__in=outgoing).select_related("agency"):
        index_outgoing(document=document)
        count += 1
    return count


@transaction.atomic
def rebuild() -> int:
    """Re-index every document. Returns the number of rows indexed."""
    from vanphong.incoming.models import IncomingDocument
    from vanphong.outgoing.models import OutgoingDocument

    SearchEntry.objects.all().delete()
    count = 0
    for document in IncomingDocument.objects.iterator(chunk_size=500):
        index_incoming(document=document)
        count += 1
    for document in OutgoingDocument.objects.select_related("agency", "signer").iterator(chunk_size=500):
        index_outgoing(document=document)
        count += 1
    get_backend().rebuild()
    return count
