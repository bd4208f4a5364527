"""The package signature: the agency signs a package with its certificate; the receiver checks it against the roots it
trusts and sees, in Vietnamese, why a signature does not hold."""

import pytest
from lxml import etree

from vanphong.exchange import edxml, xmlsig
from vanphong.exchange.tests.test_edxml import SAMPLES, a_document, a_status
from vanphong.exchange.xmlsig import DS_NS, PackageSigner, SignatureCheck
from vanphong.signing.pki import TEST_PASSPHRASE, build_test_pki

SUBJECT = "V/v quyết toán ngân sách năm 2025".encode()


@pytest.fixture(scope="module")
def pki():
    return build_test_pki()


@pytest.fixture(scope="module")
def agency_key(pki):
    return PackageSigner(key=pki.agency.key, certificate=pki.agency.cert, chain=pki.agency.chain)


@pytest.fixture(scope="module")
def signed(agency_key):
    return edxml.build(a_document(), signer=agency_key)


def test_signed_package_verifies_against_the_root(pki, signed):
    check = xmlsig.verify(signed, [pki.root.cert])
    assert check == SignatureCheck(present=True, valid=True, signer="Sở Tài chính tỉnh Nghệ An", intact=True)
    assert edxml.validate(signed, trust_roots=[pki.root.cert]) == []


def test_signature_sits_in_the_header_after_the_trace(signed):
    root = etree.fromstring(signed, etree.XMLParser(huge_tree=True))
    header = root[0][0]
    assert [etree.QName(child).localname for child in header] == ["MessageHeader", "TraceHeaderList", "Signature"]
    signature = header[2]
    assert etree.QName(signature).namespace == DS_NS
    ns = {"ds": DS_NS}
    assert signature.find("ds:SignedInfo/ds:Reference", ns).get("URI") == ""
    transforms = [t.get("Algorithm") for t in signature.iterfind("ds:SignedInfo/ds:Reference/ds:Transforms/*", ns)]
    assert transforms == [
        "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
        "http://www.w3.org/2001/10/xml-exc-c14n#",
    ]
    assert signature.find("ds:SignedInfo/ds:SignatureMethod", ns).get("Algorithm").endswith("rsa-sha256")
    assert signature.find("ds:SignedInfo/ds:Reference/ds:DigestMethod", ns).get("Algorithm").endswith("sha256")
    assert len(signature.findall("ds:KeyInfo/ds:X509Data/ds:X509Certificate", ns)) == 2  # agency + issuing CA


def test_signed_packages_still_parse(signed):
    assert edxml.parse(signed) == a_document()


def test_signed_status_package(pki, agency_key):
    data = edxml.build(a_status(), signer=agency_key)
    assert xmlsig.verify(data, [pki.root.cert]).valid
    assert edxml.parse(data) == a_status()


def test_one_changed_character_breaks_the_signature(pki, signed):
    assert SUBJECT in signed
    tampered = signed.replace(SUBJECT, SUBJECT.replace(b"2025", b"2026"))
    check = xmlsig.verify(tampered, [pki.root.cert])
    assert check.present and not check.valid
    assert check.reason == "Gói tin đã bị thay đổi sau khi ký."
    [problem] = edxml.validate(tampered, trust_roots=[pki.root.cert])
    assert problem.message == "Chữ ký số không hợp lệ: Gói tin đã bị thay đổi sau khi ký."
    assert problem.path.endswith("/edXMLHeader/Signature")


def test_untrusted_root(pki, signed):
    check = xmlsig.verify(signed, [pki.other_root.cert])
    assert check.present and not check.valid
    assert "không do tổ chức chứng thực tin cậy cấp" in check.reason
    assert check.intact  # as its signer signed it, only the signer is not known to us
    assert not xmlsig.verify(signed, []).valid
    tampered = signed.replace(SUBJECT, SUBJECT.replace(b"2025", b"2026"))
    assert not xmlsig.verify(tampered, [pki.other_root.cert]).intact


def test_certificate_of_another_root(pki):
    stranger = PackageSigner(key=pki.stranger.key, certificate=pki.stranger.cert, chain=pki.stranger.chain)
    data = edxml.build(a_status(), signer=stranger)
    assert not xmlsig.verify(data, [pki.root.cert]).valid
    assert xmlsig.verify(data, [pki.other_root.cert]).valid


def test_package_without_signature(pki):
    check = xmlsig.verify(edxml.build(a_status()), [pki.root.cert])
    assert check == SignatureCheck(present=False, valid=False)


def test_forged_signature_value(pki, signed):
    forged = signed.replace(b"<ds:SignatureValue>", b"<ds:SignatureValue>AAAA")
    check = xmlsig.verify(forged, [pki.root.cert])
    assert not check.valid and check.reason == "Giá trị chữ ký không khớp với gói tin."


def test_second_signature_is_refused(pki, agency_key, signed):
    with pytest.raises(ValueError):
        xmlsig.sign(signed, agency_key)


def test_from_pkcs12(pki):
    signer = PackageSigner.from_pkcs12(pki.agency.pkcs12(), TEST_PASSPHRASE)
    assert signer.certificate == pki.agency.cert
    assert xmlsig.verify(edxml.build(a_status(), signer=signer), [pki.root.cert]).valid


@pytest.mark.parametrize("name", ["edoc_new.edxml", "edoc_update.edxml"])
def test_dummy_signatures_of_the_vpcp_samples(pki, name):
    data = (SAMPLES / name).read_bytes()
    check = xmlsig.verify(data, [pki.root.cert])
    assert check.present and not check.valid
    assert check.reason == "Chữ ký không phải chữ ký số XML (thiếu không gian tên XML-DSig)."
    # with the XML-DSig namespace the truncated certificate is found damaged, still without a crash
    namespaced = data.replace(b"<Signature>", f'<Signature xmlns="{DS_NS}">'.encode())
    check = xmlsig.verify(namespaced, [pki.root.cert])
    assert check.present and not check.valid
    assert check.reason == "Chứng thư số của người ký trong gói tin bị hỏng."
    assert edxml.validate(data) == []  # without trust roots the signature is not checked
    assert len(edxml.validate(data, trust_roots=[pki.root.cert])) == 1


def test_unreadable_file(pki):
    check = xmlsig.verify(b"<not xml", [pki.root.cert])
    assert not check.present and not check.valid and check.reason
