"""PAdES levels above B-B: B-T (a signature timestamp from an RFC 3161 TSA), B-LT (the certificates, CRLs and OCSP
answers needed to validate the signature later, in the document security store, DSS) and B-LTA (a document
timestamp over the whole file, DSS included), signing-security.md §1.2 and §1.8.

The signature itself is made by services.sign_pdf (same appearance, same incremental update); B-LT adds the
validation data in a further incremental update (as pyHanko's `ltvfix` does) and B-LTA a document timestamp after
it. Revocation data is fetched from the OCSP responders and CRL distribution points the certificates declare."""

import io
from collections.abc import Iterable
from typing import Literal

from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.validation import add_validation_info
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, ValidationError

from .errors import SigningError
from .services import _open, sign_pdf
from .validation import _cert, _crl

Level = Literal["B-B", "B-T", "B-LT", "B-LTA"]
LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")


def http_timestamper(url: str, *, timeout: int = 10) -> HTTPTimeStamper:
    """An RFC 3161 client for the deployment's TSA (settings), or the loopback TSA in tests."""
    return HTTPTimeStamper(url, timeout=timeout)


def configured_timestamper() -> HTTPTimeStamper | None:
    """The deployment's TSA (VANPHONG_TSA_URL): signatures made by the workflow are B-T with it, B-B without."""
    url = settings.VANPHONG_TSA_URL
    return http_timestamper(url) if url else None


def revocation_context(
    *, trust_roots: Iterable, other_certs: Iterable = (), crls: Iterable = (), allow_fetching: bool = True
) -> ValidationContext:
    """The validation context that collects the revocation data embedded at B-LT."""
    return ValidationContext(
        trust_roots=[_cert(c) for c in trust_roots],
        other_certs=[_cert(c) for c in other_certs],
        crls=[_crl(c) for c in crls],
        allow_fetching=allow_fetching,
    )


def _last_signature(pdf: bytes):
    reader = PdfFileReader(io.BytesIO(pdf))
    regular = reader.embedded_regular_signatures
    if not regular:
        raise SigningError(_("The document has no digital signature."))
    return regular[-1]


def add_validation_data(pdf: bytes, validation_context: ValidationContext) -> bytes:
    """B-T to B-LT: the certificates, CRLs and OCSP answers of the last signature (and of its timestamp) in the DSS."""
    output = io.BytesIO()
    try:
        add_validation_info(_last_signature(pdf), validation_context, output=output, force_write=True)
    except (PathValidationError, PathBuildingError, ValidationError) as error:
        raise SigningError(
            _("The revocation data for the signature could not be collected: %(reason)s") % {"reason": error}
        ) from error
    return output.getvalue()


def add_document_timestamp(pdf: bytes, timestamper: TimeStamper, validation_context: ValidationContext) -> bytes:
    """B-LT to B-LTA: a document timestamp after the DSS (the TSA's own validation data goes in the DSS too)."""
    output = io.BytesIO()
    try:
        signers.PdfTimeStamper(timestamper).timestamp_pdf(
            _open(pdf), "sha256", validation_context=validation_context, output=output
        )
    except (PathValidationError, PathBuildingError, ValidationError) as error:
        raise SigningError(
            _("The revocation data for the timestamp could not be collected: %(reason)s") % {"reason": error}
        ) from error
    except PyHankoSigningError as error:
        raise SigningError(_("The document timestamp could not be made: %(reason)s") % {"reason": error}) from error
    return output.getvalue()


def sign_pdf_at_level(
    *,
    level: Level,
    timestamper: TimeStamper | None = None,
    validation_context: ValidationContext | None = None,
    **sign_kwargs,
) -> bytes:
    """services.sign_pdf at the PAdES level asked for. B-T and above need `timestamper`; B-LT and above need
    `validation_context` (see revocation_context) to collect the revocation data."""
    if level not in LEVELS:
        raise ValueError(f"unknown PAdES level {level!r}")
    if level != "B-B" and timestamper is None:
        raise SigningError(_("A timestamp authority is needed for PAdES level %(level)s.") % {"level": level})
    if level in ("B-LT", "B-LTA") and validation_context is None:
        raise SigningError(_("Revocation data is needed for PAdES level %(level)s.") % {"level": level})
    pdf = sign_pdf(timestamper=timestamper if level != "B-B" else None, **sign_kwargs)
    if level in ("B-LT", "B-LTA"):
        pdf = add_validation_data(pdf, validation_context)
    if level == "B-LTA":
        pdf = add_document_timestamp(pdf, timestamper, validation_context)
    return pdf


def pades_level(pdf: bytes) -> Level | None:
    """The PAdES level of the document's last signature as far as its structure shows (not whether it validates)."""
    reader = PdfFileReader(io.BytesIO(pdf))
    embedded = reader.embedded_signatures
    regular = [es for es in embedded if es.sig_object_type != "/DocTimeStamp"]
    if not regular:
        return None
    last = regular[-1]
    unsigned = last.signer_info["unsigned_attrs"].native or []
    if not any(attribute["type"] == "signature_time_stamp_token" for attribute in unsigned):
        return "B-B"
    dss = reader.root.get("/DSS")
    dss = dss.get_object() if dss is not None else None
    if dss is None or not any(key in dss for key in ("/OCSPs", "/CRLs")):
        return "B-T"
    stamps_after = [
        es for es in embedded if es.sig_object_type == "/DocTimeStamp" and es.signed_revision > last.signed_revision
    ]
    return "B-LTA" if stamps_after else "B-LT"
