"""PAdES B-T, B-LT and B-LTA against the loopback OCSP responder and TSA (pki_services), and revocation as
verify_pdf reports it: good, revoked (by OCSP), and "could not check" when the responders are down.

The network stays on 127.0.0.1: every test here refuses connections and name look-ups for any other host."""

import datetime
import io
import ipaddress
import socket

import pytest
import time_machine
from cryptography import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp

from vanphong.signing import validation
from vanphong.signing.errors import SigningError
from vanphong.signing.levels import (
    add_validation_data,
    http_timestamper,
    pades_level,
    revocation_context,
    sign_pdf_at_level,
)
from vanphong.signing.pki_services import LOOPBACK, start_loopback_pki
from vanphong.signing.tests.conftest import MARKER


def _loopback(host) -> bool:
    if host in (None, "localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.socket.connect

    def getaddrinfo(host, *args, **kwargs):
        if not _loopback(host.decode() if isinstance(host, bytes) else host):
            raise socket.gaierror(socket.EAI_NONAME, f"blocked in tests: {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
            raise ConnectionRefusedError(f"blocked in tests: {address[0]}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture(scope="module")
def loopback(test_pki):
    services = start_loopback_pki(test_pki)
    yield services
    services.stop()


@pytest.fixture
def context(loopback):
    return revocation_context(trust_roots=loopback.trust_roots, other_certs=loopback.other_certs)


def _sign(loopback, letter, signature_png, *, level, who="person", context=None):
    return sign_pdf_at_level(
        level=level,
        timestamper=http_timestamper(loopback.tsa_service.url),
        validation_context=context,
        pdf=letter,
        signer=loopback.signer(getattr(loopback, who)),
        role="signer",
        field_name="Sig1",
        marker=MARKER,
        image_png=signature_png,
        lines=["GIÁM ĐỐC", "Nguyễn Văn An"],
    )


def _verify(loopback, pdf):
    return validation.verify_pdf(pdf=pdf, trust_roots=loopback.trust_roots, allow_fetching=True)


def _dss(pdf):
    dss = PdfFileReader(io.BytesIO(pdf)).root.get("/DSS")
    return dss.get_object() if dss is not None else None


def test_services_listen_on_loopback_only(loopback):
    assert loopback.ocsp.url.startswith(f"http://{LOOPBACK}:")
    assert loopback.tsa_service.url.startswith(f"http://{LOOPBACK}:")
    ocsp_urls = [
        d.access_location.value
        for d in loopback.person.cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    ]
    assert ocsp_urls == [loopback.ocsp.url]


def test_tsa_refuses_other_content_types(loopback):
    import urllib.request

    request = urllib.request.Request(  # noqa: S310 - a loopback URL of our own
        loopback.tsa_service.url, data=b"x", headers={"Content-Type": "text/plain"}
    )
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=5)  # noqa: S310 - a loopback URL of our own
    assert raised.value.code == 415


def test_b_t_with_the_http_tsa(loopback, letter, signature_png):
    before = loopback.tsa_service.requests
    pdf = _sign(loopback, letter, signature_png, level="B-T")
    assert loopback.tsa_service.requests > before  # pyHanko also asks once to size the token
    assert pades_level(pdf) == "B-T"
    assert _dss(pdf) is None
    report = _verify(loopback, pdf)
    assert report.ok, report.summary
    (sig,) = report.signatures
    assert sig.timestamp and sig.timestamp_time is not None
    assert sig.trusted and sig.intact and sig.bottom_line
    assert sig.revocation == validation.GOOD


def test_b_lt_embeds_ocsp_and_crl(loopback, context, letter, signature_png):
    pdf = _sign(loopback, letter, signature_png, level="B-LT", context=context)
    assert pades_level(pdf) == "B-LT"
    dss = _dss(pdf)
    assert dss is not None and len(dss["/OCSPs"]) >= 1 and len(dss["/CRLs"]) >= 1
    report = _verify(loopback, pdf)
    assert report.ok, report.summary
    (sig,) = report.signatures
    assert sig.kind == "signature" and sig.intact and sig.trusted and sig.timestamp
    assert sig.modification_level in ("NONE", "LTA_UPDATES")
    assert sig.revocation == validation.GOOD


def test_b_lta_adds_a_document_timestamp(loopback, context, letter, signature_png):
    pdf = _sign(loopback, letter, signature_png, level="B-LTA", context=context)
    assert pades_level(pdf) == "B-LTA"
    assert _dss(pdf) is not None
    reader = PdfFileReader(io.BytesIO(pdf))
    sig, stamp = reader.embedded_signatures
    assert stamp.sig_object_type == "/DocTimeStamp" and stamp.signed_revision > sig.signed_revision
    checked = validate_pdf_signature(sig, signer_validation_context=context, ts_validation_context=context)
    assert checked.bottom_line and checked.intact and checked.trusted and checked.revocation_details is None
    assert checked.modification_level.name in ("NONE", "LTA_UPDATES")
    stamped = validate_pdf_timestamp(stamp, validation_context=context)
    assert stamped.intact and stamped.valid and stamped.trusted and stamped.revocation_details is None


def test_verify_pdf_reports_b_lta(loopback, context, letter, signature_png):
    pdf = _sign(loopback, letter, signature_png, level="B-LTA", context=context)
    report = _verify(loopback, pdf)
    assert report.ok, report.summary
    sig, stamp = report.signatures
    assert sig.kind == "signature" and sig.intact and sig.trusted and sig.revocation == validation.GOOD
    assert stamp.kind == "document timestamp" and stamp.intact and stamp.trusted


def test_revoked_by_ocsp_is_reported_revoked(loopback, letter, signature_png):
    pdf = _sign(loopback, letter, signature_png, level="B-T", who="revoked")
    report = _verify(loopback, pdf)
    assert not report.ok
    (sig,) = report.signatures
    assert sig.revocation == validation.REVOKED
    assert sig.verdict == validation.REVOKED_CERT


def test_b_lt_refused_for_a_revoked_certificate(loopback, context, letter, signature_png):
    pdf = _sign(loopback, letter, signature_png, level="B-T", who="revoked")
    with pytest.raises(SigningError):
        add_validation_data(pdf, context)


def test_b_lt_needs_a_timestamper_and_revocation_data(loopback, letter, signature_png):
    with pytest.raises(SigningError):
        sign_pdf_at_level(
            level="B-LT",
            pdf=letter,
            signer=loopback.signer(loopback.person),
            role="signer",
            field_name="Sig1",
            marker=MARKER,
            image_png=signature_png,
        )


def test_responders_down_means_could_not_check(test_pki, letter, signature_png):
    services = start_loopback_pki(test_pki)
    try:
        pdf = _sign(services, letter, signature_png, level="B-T")
    finally:
        services.stop()
    report = _verify(services, pdf)  # OCSP and CRL endpoints now refuse connections
    (sig,) = report.signatures
    assert sig.intact and sig.trusted
    assert sig.revocation == validation.UNKNOWN
    assert sig.verdict == validation.VALID  # the signature itself holds; only revocation is unknown
    assert "chưa kiểm tra được tình trạng thu hồi" in sig.summary


def test_b_lt_still_checks_revocation_offline_months_later(test_pki, letter, signature_png):
    """Long-term validation: the OCSP answer and CRL stored in the document vouch for the signer's certificate at
    the time its timestamp proves, after the responders are gone and the stored answers are long out of date."""
    services = start_loopback_pki(test_pki)
    try:
        context = revocation_context(trust_roots=services.trust_roots, other_certs=services.other_certs)
        pdf = _sign(services, letter, signature_png, level="B-LT", context=context)
    finally:
        services.stop()
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=120)):
        report = _verify(services, pdf)
    (sig,) = report.signatures
    assert sig.revocation == validation.GOOD, sig.details
    assert report.ok, report.summary
