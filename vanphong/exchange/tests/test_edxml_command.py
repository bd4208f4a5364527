"""`vanphong edxml validate FILE` and `vanphong edxml show FILE`, as an operator runs them."""

import io

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.management import CommandError, call_command

from vanphong.exchange import edxml
from vanphong.exchange.tests.test_edxml import SAMPLES, a_document
from vanphong.exchange.xmlsig import PackageSigner
from vanphong.signing.pki import build_test_pki


def run(*args) -> str:
    out = io.StringIO()
    call_command("edxml", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def pki():
    return build_test_pki()


def test_validate_a_valid_package(tmp_path):
    path = tmp_path / "goi-tin.edxml"
    path.write_bytes(edxml.build(a_document()))
    assert run("validate", str(path)).strip() == "Gói tin hợp lệ"


def test_validate_lists_every_problem(tmp_path):
    path = tmp_path / "hong.edxml"
    twice = [edxml.Organ(code="000.00.00.G22"), edxml.Organ(code="000.00.00.G22")]
    path.write_bytes(edxml.build(a_document(recipients=twice, subject="", number="")))
    with pytest.raises(CommandError) as caught:
        run("validate", str(path))
    assert caught.value.returncode == 1
    text = str(caught.value)
    assert "Gói tin không hợp lệ (3 lỗi)" in text
    assert (
        "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/To[2]/OrganId: Nơi nhận 000.00.00.G22 bị ghi nhiều lần" in text
    )
    assert "MessageHeader/Subject: Thiếu thành phần bắt buộc Subject" in text
    assert "Thiếu thành phần bắt buộc Code/CodeNumber" in text


def test_validate_checks_the_signature_with_trust_roots(tmp_path, pki):
    signer = PackageSigner(key=pki.agency.key, certificate=pki.agency.cert, chain=pki.agency.chain)
    package = tmp_path / "ky.edxml"
    package.write_bytes(edxml.build(a_document(), signer=signer))
    roots = tmp_path / "roots.pem"
    roots.write_bytes(pki.root.cert.public_bytes(serialization.Encoding.PEM))
    assert run("validate", str(package), "--trust-roots", str(roots)).strip() == "Gói tin hợp lệ"
    assert "Chữ ký gói tin: hợp lệ (Sở Tài chính tỉnh Nghệ An)" in run(
        "show", str(package), "--trust-roots", str(roots)
    )
    roots.write_bytes(pki.other_root.cert.public_bytes(serialization.Encoding.PEM))
    with pytest.raises(CommandError) as caught:
        run("validate", str(package), "--trust-roots", str(roots))
    assert "Chữ ký số không hợp lệ" in str(caught.value)


def test_show_a_status_package():
    text = run("show", str(SAMPLES / "status_processing_05.edxml"))
    assert "Gói tin trạng thái" in text
    assert "Nơi gửi: 000.00.00.H41 – UBND Tỉnh Nghệ An" in text
    assert "05 – Đang xử lý" in text
    assert "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT" in text
    assert "Chữ ký gói tin: không có" in text


def test_show_a_document_package():
    text = run("show", str(SAMPLES / "edoc_new.edxml"))
    assert "Nơi gửi: 000.00.11.H53" in text
    assert "000.00.01.A53 – Văn phòng tỉnh ủy" in text
    assert "Trích yếu: Báo cáo tài chính tỉnh" in text
    assert "Loại văn bản: Công văn" in text
    assert "Nghiệp vụ: Văn bản mới" in text
    assert "1896_QD-TTg_m_294779.doc (application/zip" in text
    assert "Chữ ký gói tin: KHÔNG hợp lệ" in text  # the VPCP dummy signature


def test_missing_file_is_refused_clearly(tmp_path):
    for subcommand in ("validate", "show"):
        with pytest.raises(CommandError) as caught:
            run(subcommand, str(tmp_path / "khong-co.edxml"))
        assert "Không tìm thấy tệp" in str(caught.value)
        assert caught.value.returncode != 0
