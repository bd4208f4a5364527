"""Checking every signature of a PDF: integrity, what changed after it (pyHanko's difference analysis), who signed,
the chain to the configured roots, the timestamp and revocation, with a verdict in Vietnamese per signature.

A signature is reported valid only when pyHanko's overall judgement (`bottom_line`) holds: `intact` and `valid`
alone say nothing about content added after signing (signing-security.md §1.9). A file that cannot be read
(not a PDF, encrypted, a broken cross-reference table) gets a verdict of its own; nothing here raises on bad input."""

import asyncio
import datetime
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509 as pyca_x509
from cryptography.hazmat.primitives import serialization
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, RevokedError, ValidationError
from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, RevocationCheckingPolicy, RevocationCheckingRule

from .services import VIETNAM

logger = logging.getLogger(__name__)

# revocation
REVOKED, GOOD, UNKNOWN = "revoked", "good", "could not check"
# per-signature verdicts, most serious first
BROKEN, MODIFIED, REVOKED_CERT, EXPIRED, UNTRUSTED, INVALID, VALID = (
    "broken",
    "modified",
    "revoked",
    "expired",
    "untrusted",
    "invalid",
    "valid",
)
# document verdicts
NOT_PDF, ENCRYPTED, DAMAGED, UNSIGNED, PROBLEMS, ALL_VALID = (
    "not_pdf",
    "encrypted",
    "damaged",
    "unsigned",
    "problems",
    "valid",
)
ACCEPTABLE_CHANGES = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)


@dataclass
class SignatureReport:
    field_name: str
    kind: str  # "signature" or "document timestamp"
    signer_name: str
    signing_time: datetime.datetime | None  # Vietnam time
    intact: bool
    valid: bool
    trusted: bool
    modification_level: str | None  # NONE, LTA_UPDATES, FORM_FILLING, ANNOTATIONS, OTHER
    docmdp_ok: bool | None
    bottom_line: bool
    timestamp: bool  # an RFC 3161 signature timestamp is embedded (PAdES B-T or higher)
    timestamp_time: datetime.datetime | None
    revocation: str  # REVOKED, GOOD or UNKNOWN
    verdict: str
    summary: str  # the Vietnamese line shown beside the viewer
    details: str = ""  # pyHanko's own report, for the technical view

    @property
    def ok(self) -> bool:
        return self.verdict == VALID


@dataclass
class Report:
    verdict: str
    summary: str
    signatures: list[SignatureReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.verdict == ALL_VALID


def _cert(value) -> asn1_x509.Certificate:
    if isinstance(value, asn1_x509.Certificate):
        return value
    if isinstance(value, pyca_x509.Certificate):
        return asn1_x509.Certificate.load(value.public_bytes(serialization.Encoding.DER))
    data = bytes(value)
    if pem.detect(data):
        data = pem.unarmor(data)[2]
    return asn1_x509.Certificate.load(data)


def _crl(value) -> bytes:
    if isinstance(value, pyca_x509.CertificateRevocationList):
        return value.public_bytes(serialization.Encoding.DER)
    data = bytes(value)
    return pem.unarmor(data)[2] if pem.detect(data) else data


def _common_name(cert) -> str:
    if cert is None:
        return _("unknown signer")
    native = cert.subject.native
    return native.get("common_name") or native.get("organization_name") or cert.subject.human_friendly


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    return moment.astimezone(VIETNAM) if moment else None


def _document_verdict(verdict: str, summary: str) -> Report:
    return Report(verdict=verdict, summary=summary)


@dataclass
class EmbeddedRevocationData:
    """What a PAdES B-LT/B-LTA document carries in its Document Security Store: certificates, OCSP answers and CRLs
    gathered when it was signed, so that revocation can still be judged once the responders are gone."""

    certs: list = field(default_factory=list)
    ocsps: list = field(default_factory=list)
    crls: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.ocsps or self.crls)


def _embedded_revocation_data(reader) -> EmbeddedRevocationData:
    try:
        dss = DocumentSecurityStore.read_dss(reader)
        certs = list(dss.load_certs())
        context = dss.as_validation_context({})  # parses the OCSP answers and CRLs the store refers to
    except NoDSSFoundError:
        return EmbeddedRevocationData()
    except Exception as error:  # a damaged store is no revocation data, not a crash
        logger.info("unreadable document security store: %r", error)
        return EmbeddedRevocationData()
    return EmbeddedRevocationData(certs=certs, ocsps=list(context.ocsps), crls=list(context.crls))


def _signer_revoked(embedded, *, roots, others, crls, ocsps=(), allow_fetching, moment=None) -> str:
    policy = CertRevTrustPolicy(
        RevocationCheckingPolicy(
            ee_certificate_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
            intermediate_ca_cert_rule=RevocationCheckingRule.CHECK_IF_DECLARED_SOFT,
        )
    )
    options = {"moment": moment, "retroactive_revinfo": True} if moment else {}
    context = ValidationContext(
        trust_roots=roots,
        other_certs=others,
        crls=crls,
        ocsps=ocsps,
        allow_fetching=allow_fetching,
        revinfo_policy=policy,
        **options,
    )
    validator = CertificateValidator(
        embedded.signer_cert,
        intermediate_certs=[*embedded.other_embedded_certs, *others],
        validation_context=context,
    )
    try:
        asyncio.run(validator.async_validate_usage(set()))
    except RevokedError:
        return REVOKED
    except (PathValidationError, PathBuildingError, ValidationError):
        return UNKNOWN
    return GOOD


def _revocation(embedded, status, *, roots, others, crls, allow_fetching, stored, timestamp_time) -> str:
    """Whether the signer's certificate is revoked. The main validation soft-fails when no revocation data is at
    hand; this second look requires a CRL or OCSP answer for the signer's certificate to say "good": fetched now
    where reachable, else the answers the document itself stored when it was signed (long-term validation),
    judged at the time its timestamp proves."""
    if status is not None and status.revocation_details is not None:
        return REVOKED
    if status is None or not status.trusted:
        return UNKNOWN
    others = [*others, *stored.certs]
    now = _signer_revoked(
        embedded,
        roots=roots,
        others=others,
        crls=[*crls, *stored.crls],
        ocsps=stored.ocsps,
        allow_fetching=allow_fetching,
    )
    if now != UNKNOWN or not stored or timestamp_time is None:
        return now
    return _signer_revoked(
        embedded,
        roots=roots,
        others=others,
        crls=[*crls, *stored.crls],
        ocsps=stored.ocsps,
        allow_fetching=False,
        moment=timestamp_time,
    )


def _expired(cert, moment: datetime.datetime) -> bool:
    return cert is not None and cert["tbs_certificate"]["validity"]["not_after"].native < moment


def _judge(*, name, field_name, intact, valid, trusted, level, docmdp_ok, bottom_line, revocation, expired, indic):
    """The verdict code and its Vietnamese line; "valid" only when pyHanko's bottom line holds as well."""
    names = {"field": field_name, "name": name}
    if not intact or not valid:
        return BROKEN, _("The signature «%(field)s» of %(name)s is broken: the signed content was altered.") % names
    if (level is not None and level not in ACCEPTABLE_CHANGES) or docmdp_ok is False:
        return MODIFIED, _("The document was modified after the signature «%(field)s» of %(name)s.") % names
    if revocation == REVOKED:
        return REVOKED_CERT, _("The signature «%(field)s» of %(name)s: the certificate has been revoked.") % names
    if expired or indic in (AdESIndeterminate.OUT_OF_BOUNDS_NO_POE, AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED):
        return EXPIRED, _("The signature «%(field)s» of %(name)s: the certificate has expired.") % names
    if not trusted:
        return UNTRUSTED, _(
            "The signature «%(field)s» of %(name)s: the certificate does not chain to a trusted root."
        ) % names
    if not bottom_line:
        return INVALID, _("The signature «%(field)s» of %(name)s is not valid.") % names
    if revocation == UNKNOWN:
        return VALID, _("Signature «%(field)s» of %(name)s: valid, trusted; revocation could not be checked") % names
    return VALID, _("Signature «%(field)s» of %(name)s: valid, trusted") % names


def _check(embedded, context, *, roots, others, crls, allow_fetching, stored) -> SignatureReport:
    field_name = embedded.field_name or "?"
    is_timestamp = embedded.sig_object_type == "/DocTimeStamp"
    try:
        cert = embedded.signer_cert
    except Exception:  # a CMS structure pyHanko cannot parse
        cert = None
    name = _common_name(cert)
    try:
        if is_timestamp:
            status = validate_pdf_timestamp(embedded, validation_context=context)
        else:
            status = validate_pdf_signature(embedded, signer_validation_context=context, ts_validation_context=context)
    except Exception as error:  # pyHanko raises many kinds on malformed signatures: a verdict, never a crash
        logger.info("signature %s could not be validated: %r", field_name, error)
        summary = _("The signature «%(field)s» of %(name)s could not be checked: its data is damaged.") % {
            "field": field_name,
            "name": name,
        }
        return SignatureReport(
            field_name=field_name,
            kind="document timestamp" if is_timestamp else "signature",
            signer_name=name,
            signing_time=None,
            intact=False,
            valid=False,
            trusted=False,
            modification_level=None,
            docmdp_ok=None,
            bottom_line=False,
            timestamp=False,
            timestamp_time=None,
            revocation=UNKNOWN,
            verdict=BROKEN,
            summary=summary,
            details=repr(error),
        )
    if is_timestamp:
        signing_time = status.timestamp
        ts_status = status
    else:
        ts_status = status.timestamp_validity
        signing_time = ts_status.timestamp if ts_status else status.signer_reported_dt
    revocation = _revocation(
        embedded,
        status,
        roots=roots,
        others=others,
        crls=crls,
        allow_fetching=allow_fetching,
        stored=stored,
        timestamp_time=ts_status.timestamp if ts_status else None,
    )
    level = status.modification_level
    if is_timestamp:
        # A document timestamp's status has no overall verdict of its own: it holds when it is intact, valid and
        # trusted, and only archival updates (DSS, later timestamps) came after it.
        bottom_line = bool(status.intact and status.valid and status.trusted) and level in (
            None,
            ModificationLevel.NONE,
            ModificationLevel.LTA_UPDATES,
        )
    else:
        bottom_line = status.bottom_line
    docmdp_ok = getattr(status, "docmdp_ok", None)
    verdict, summary = _judge(
        name=name,
        field_name=field_name,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        level=level,
        docmdp_ok=docmdp_ok,
        bottom_line=bottom_line,
        revocation=revocation,
        # a time the signer claims proves nothing: only a timestamp moves the check into the past
        expired=_expired(cert, ts_status.timestamp if ts_status else datetime.datetime.now(datetime.UTC)),
        indic=getattr(status, "trust_problem_indic", None),
    )
    try:
        details = status.pretty_print_details()
    except Exception:  # the technical text is a courtesy; the verdict stands without it
        details = ""
    return SignatureReport(
        field_name=field_name,
        kind="document timestamp" if is_timestamp else "signature",
        signer_name=name,
        signing_time=_local(signing_time),
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        modification_level=level.name if level is not None else None,
        docmdp_ok=docmdp_ok,
        bottom_line=bool(bottom_line),
        timestamp=ts_status is not None,
        timestamp_time=_local(ts_status.timestamp) if ts_status else None,
        revocation=revocation,
        verdict=verdict,
        summary=summary,
        details=details,
    )


def verify_pdf(
    *,
    pdf: bytes,
    trust_roots: Iterable,
    other_certs: Iterable = (),
    crls: Iterable = (),
    allow_fetching: bool = False,
) -> Report:
    """Check every signature of `pdf` against `trust_roots` (certificates: cryptography or asn1crypto objects, PEM or
    DER bytes). `crls` are CRLs known beforehand; with `allow_fetching` the CRLs and OCSP answers the certificates
    point to are fetched (on the government network, only where reachable)."""
    if b"%PDF-" not in pdf[:1024]:
        return _document_verdict(NOT_PDF, _("The file is not a PDF document."))
    try:
        reader = PdfFileReader(io.BytesIO(pdf))  # strict parsing: a broken cross-reference table is refused
    except Exception as error:  # PdfReadError, PdfStrictReadError, and worse on garbage
        logger.info("unreadable PDF: %r", error)
        return _document_verdict(
            DAMAGED, _("The PDF file is damaged (broken structure); its signatures cannot be checked.")
        )
    if reader.encrypted:
        return _document_verdict(ENCRYPTED, _("The PDF file is encrypted; its signatures cannot be checked."))
    try:
        embedded = list(reader.embedded_signatures)
    except (PdfError, KeyError, TypeError, ValueError, IndexError) as error:
        logger.info("unreadable signature fields: %r", error)
        return _document_verdict(
            DAMAGED, _("The PDF file is damaged (broken structure); its signatures cannot be checked.")
        )
    if not embedded:
        return _document_verdict(UNSIGNED, _("The document has no digital signature."))
    roots = [_cert(c) for c in trust_roots]
    others = [_cert(c) for c in other_certs]
    crl_data = [_crl(c) for c in crls]
    stored = _embedded_revocation_data(reader)
    context = ValidationContext(
        trust_roots=roots,
        other_certs=[*others, *stored.certs],
        crls=[*crl_data, *stored.crls],
        ocsps=stored.ocsps,
        allow_fetching=allow_fetching,
    )
    signatures = [
        _check(es, context, roots=roots, others=others, crls=crl_data, allow_fetching=allow_fetching, stored=stored)
        for es in embedded
    ]
    if all(s.ok for s in signatures):
        return Report(
            ALL_VALID,
            _("Every signature is valid (%(count)d).") % {"count": len(signatures)},
            signatures,
        )
    return Report(PROBLEMS, " ".join(s.summary for s in signatures if not s.ok), signatures)
