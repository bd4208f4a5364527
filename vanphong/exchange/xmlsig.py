"""The package signature of an edXML package (QCVN 102:2016 §4.5): an enveloped XML-DSig over the whole package,
placed inside `edXML:edXMLHeader` after `TraceHeaderList` (after `MessageHeader` in a status package).

Reference URI="" with the enveloped-signature and exclusive c14n transforms, RSA-SHA256 over SHA-256 digests, and the
signer's certificate with its chain in KeyInfo/X509Data. This is the package signature only; the signatures on the
documents themselves (PAdES, NĐ 30 Phụ lục I) are separate and checked by vanphong.signing.

Verification trusts only the roots it is given (the Government CA and the public CAs the agency accepts), never the
system's web PKI store, and only a signature that covers the whole package (URI="") at its expected place."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.utils.translation import gettext as _
from lxml import etree
from signxml import (
    CanonicalizationMethod,
    DigestAlgorithm,
    SignatureConfiguration,
    SignatureMethod,
    XMLSigner,
    XMLVerifier,
)
from signxml.exceptions import InvalidCertificate, InvalidDigest, InvalidInput, InvalidSignature, SignXMLException
from signxml.util import X509CertChainVerifier

QCVN_NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
_Q = "{" + QCVN_NS + "}"
_CONFIG = SignatureConfiguration(expect_references=1)
_HUGE_TEXT = 10_000_000  # libxml2 refuses longer text nodes (a base64 attachment) unless XML_PARSE_HUGE is set


@dataclass(frozen=True)
class PackageSigner:
    """The agency's signing key (the certificate of the organisation, chữ ký số của cơ quan) and its chain."""

    key: PrivateKeyTypes
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    @classmethod
    def from_pkcs12(cls, data: bytes, passphrase: bytes) -> PackageSigner:
        key, certificate, additional = pkcs12.load_key_and_certificates(data, passphrase)
        if key is None or certificate is None:
            raise ValueError("the PKCS#12 file holds no private key with its certificate")
        return cls(key=key, certificate=certificate, chain=tuple(additional or ()))


@dataclass(frozen=True)
class SignatureCheck:
    present: bool
    valid: bool
    signer: str = ""
    reason: str = ""  # in the user's language when not valid
    intact: bool = False  # the package is as signed (valid, or only the signer's certificate is not trusted)


class UnsafeXml(ValueError):
    """A DOCTYPE, an entity or a document that is not well-formed."""


def safe_parser(*, huge: bool = False) -> etree.XMLParser:
    """The hardened parser: no DTD, no entity resolution, no network. A new one per call (parsers are not shared
    between threads). `huge` lifts libxml2's 10 MB limit on one text node, which a large base64 attachment exceeds;
    callers only set it after rejecting any DOCTYPE, so no entity can be expanded either way."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=huge,
        remove_comments=True,
    )


_PROLOG_SKIP = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)", re.DOTALL)


def has_doctype(data: bytes) -> bool:
    """True when the prolog (what precedes the root element) holds a DOCTYPE, looked at before any parsing. Files in
    UTF-16/32 (NUL bytes in the first characters) are treated as suspect: the byte scan cannot see into them."""
    head = data[:4]
    if b"\x00" in head or head.startswith((b"\xfe\xff", b"\xff\xfe")):
        return True
    position = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while True:
        match = _PROLOG_SKIP.match(data, position)
        if not match:
            break
        position = match.end()
    while position < len(data) and data[position : position + 1].isspace():
        position += 1
    return data.startswith(b"<!", position)


def parse_safely(data: bytes) -> etree._Element:
    """Parse with the hardened parser; raise UnsafeXml on a DOCTYPE/entity, etree.XMLSyntaxError when malformed."""
    if has_doctype(data):
        raise UnsafeXml("DOCTYPE")
    root = etree.fromstring(data, parser=safe_parser(huge=len(data) > _HUGE_TEXT))
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise UnsafeXml("DOCTYPE")
    for _entity in root.iter(etree.Entity):
        raise UnsafeXml("entity")
    return root


def _local(tag) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _header(root: etree._Element) -> etree._Element | None:
    for envelope in root:
        if _local(envelope.tag) == "edXMLEnvelope":
            for header in envelope:
                if _local(header.tag) == "edXMLHeader":
                    return header
    return None


def _signatures(root: etree._Element) -> list[etree._Element]:
    """Every element named Signature, whatever its namespace (the VPCP samples put an un-prefixed one in the QCVN
    default namespace)."""
    return [element for element in root.iter("{*}Signature") if isinstance(element.tag, str)]


def sign(xml: bytes, signer: PackageSigner) -> bytes:
    """Return the package with an enveloped signature in edXMLHeader, after TraceHeaderList (or MessageHeader)."""
    root = parse_safely(xml)
    header = _header(root)
    if header is None:
        raise ValueError("not an edXML package: no edXMLEnvelope/edXMLHeader")
    if _signatures(root):
        raise ValueError("the package is already signed")
    anchor = None
    for child in header:
        if _local(child.tag) in ("MessageHeader", "TraceHeaderList"):
            anchor = child
    placeholder = etree.Element(f"{{{DS_NS}}}Signature", nsmap={"ds": DS_NS}, Id="placeholder")
    if anchor is None:
        header.insert(0, placeholder)
    else:
        anchor.addnext(placeholder)
        # keep the indentation of the builder's output
        placeholder.tail, anchor.tail = anchor.tail, anchor.tail
    signed = XMLSigner(
        signature_algorithm=SignatureMethod.RSA_SHA256,
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    ).sign(root, key=signer.key, cert=[signer.certificate, *signer.chain])
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


def _require_ca(policy, certificate, constraints):
    if not constraints.ca:
        raise ValueError("the issuer is not a certification authority")


class _RootsChainVerifier(X509CertChainVerifier):
    """signxml's chain check against the given roots instead of a PEM file or certifi's web roots. CA certificates
    are checked with a permissive policy: government CAs do not follow the web PKI profile."""

    def __init__(self, roots, verification_time=None, ee_policy=None):
        self._roots = list(roots)
        super().__init__(
            ca_pem_file="-",
            verification_time=verification_time,
            ee_policy=ee_policy,
            ca_policy=x509.verification.ExtensionPolicy.permit_all().require_present(
                x509.BasicConstraints, x509.verification.Criticality.AGNOSTIC, _require_ca
            ),
        )

    @property
    def store(self):
        return x509.verification.Store(self._roots)


class _Verifier(XMLVerifier):
    def __init__(self, roots):
        super().__init__()
        self._roots = roots

    def get_cert_chain_verifier(self, ca_pem_file, ee_policy, ca_policy):
        return _RootsChainVerifier(
            self._roots, verification_time=self._get_cert_verification_time(), ee_policy=ee_policy
        )


def _describe(certificate: x509.Certificate) -> str:
    names = [a.value for a in certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    organisations = [a.value for a in certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    text = ", ".join(dict.fromkeys(str(v) for v in names + organisations))
    return text or certificate.subject.rfc4514_string()


def untrusted_reason() -> str:
    """The reason given when everything but the trust in the signer's certificate holds."""
    return _("The signer's certificate is not issued by a trusted certification authority, or is not valid now.")


def _invalid(reason: str, signer: str = "") -> SignatureCheck:
    return SignatureCheck(present=True, valid=False, signer=signer, reason=reason)


def verify(xml: bytes, trust_roots: list[x509.Certificate]) -> SignatureCheck:
    """Check the package signature against `trust_roots`. Never raises on a bad package or signature."""
    try:
        root = parse_safely(xml)
    except (UnsafeXml, etree.XMLSyntaxError):
        return SignatureCheck(present=False, valid=False, reason=_("The file is not a readable edXML package."))
    return verify_element(root, trust_roots)


def verify_element(root: etree._Element, trust_roots: list[x509.Certificate]) -> SignatureCheck:
    """verify() on an already parsed package (parsed by parse_safely)."""
    signatures = _signatures(root)
    if not signatures:
        return SignatureCheck(present=False, valid=False)
    if len(signatures) > 1:
        return _invalid(_("The package carries more than one signature."))
    signature = signatures[0]
    if etree.QName(signature).namespace != DS_NS:
        return _invalid(_("The signature is not an XML digital signature (XML-DSig namespace missing)."))
    header = _header(root)
    if header is None or signature.getparent() is not header:
        return _invalid(_("The signature is not in its place in the package header."))
    references = signature.findall(f"{{{DS_NS}}}SignedInfo/{{{DS_NS}}}Reference")
    if len(references) != 1 or references[0].get("URI") != "":
        return _invalid(_("The signature does not cover the whole package."))
    certificates = signature.findall(f"{{{DS_NS}}}KeyInfo/{{{DS_NS}}}X509Data/{{{DS_NS}}}X509Certificate")
    signer = ""
    if certificates:
        try:
            text = "".join((certificates[0].text or "").split())
            signer = _describe(x509.load_der_x509_certificate(base64.b64decode(text)))
        except ValueError:
            return _invalid(_("The signer's certificate in the package is damaged."))
    if not trust_roots:  # nothing to trust: only whether the package is as signed can be said
        return SignatureCheck(
            present=True,
            valid=False,
            signer=signer,
            reason=untrusted_reason(),
            intact=bool(certificates) and _intact(root, certificates[0]),
        )
    try:
        result = _Verifier(list(trust_roots)).verify(root, expect_config=_CONFIG)
    except InvalidDigest:
        return _invalid(_("The package was changed after it was signed."), signer)
    except InvalidCertificate:
        return SignatureCheck(
            present=True,
            valid=False,
            signer=signer,
            reason=untrusted_reason(),
            intact=bool(certificates) and _intact(root, certificates[0]),
        )
    except InvalidSignature:
        return _invalid(_("The signature value does not match the package."), signer)
    except InvalidInput as error:
        if "SHA1" in str(error) or "algorithm" in str(error).lower():
            return _invalid(_("The signature uses a weak or unsupported algorithm."), signer)
        return _invalid(_("The signature cannot be checked: it is incomplete or damaged."), signer)
    except (SignXMLException, ValueError, etree.Error):
        return _invalid(_("The signature cannot be checked: it is incomplete or damaged."), signer)
    if result.signed_xml is None or _local(result.signed_xml.tag) != "edXML":
        return _invalid(_("The signature does not cover the whole package."), signer)
    return SignatureCheck(present=True, valid=True, signer=signer, intact=True)


def _intact(root: etree._Element, certificate: etree._Element) -> bool:
    """Whether the package is as its (untrusted) signer signed it: checked with the certificate it carries."""
    pem = "-----BEGIN CERTIFICATE-----\n" + "".join((certificate.text or "").split()) + "\n-----END CERTIFICATE-----\n"
    try:
        XMLVerifier().verify(root, x509_cert=pem, expect_config=_CONFIG)
    except (SignXMLException, ValueError, etree.Error):
        return False
    return True
