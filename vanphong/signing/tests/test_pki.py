"""The test PKI command: files for the demo, written outside the source tree, keys readable by the owner only."""

import socket
import stat

import pytest
from django.core.management import CommandError, call_command
from pyhanko.sign import signers

from vanphong.signing import validation
from vanphong.signing.levels import http_timestamper
from vanphong.signing.pki import TEST_PASSPHRASE, read_test_pki
from vanphong.signing.pki_services import serve_test_pki
from vanphong.signing.providers.pkcs12 import Pkcs12Signer
from vanphong.signing.services import sign_pdf
from vanphong.signing.tests.conftest import MARKER
from vanphong.signing.validation import verify_pdf


def test_init_test_writes_the_pki_where_asked(tmp_path):
    call_command("pki", "init-test", "--dir", str(tmp_path / "pki"))

    written = {path.name for path in (tmp_path / "pki").iterdir()}
    assert {"root.pem", "issuing-ca.pem", "issuing-ca.crl.pem", "person.p12", "agency.p12", "tsa.key.pem"} <= written
    assert stat.S_IMODE((tmp_path / "pki" / "person.p12").stat().st_mode) == 0o600
    signer = signers.SimpleSigner.load_pkcs12(str(tmp_path / "pki" / "agency.p12"), passphrase=TEST_PASSPHRASE)
    assert signer.signing_cert.subject.native["organization_name"] == "Sở Tài chính tỉnh Nghệ An"


def test_init_test_refuses_to_write_keys_into_the_source_tree(settings):
    with pytest.raises(CommandError):
        call_command("pki", "init-test", "--dir", str(settings.BASE_DIR / "vanphong" / "signing"))


def test_the_people_and_agencies_of_the_test_pki(test_pki):
    assert test_pki.person.cert.subject.rfc4514_string().startswith("CN=Nguyễn Văn An")
    assert test_pki.expired.cert.not_valid_after_utc < test_pki.person.cert.not_valid_before_utc
    revoked = test_pki.issuing_crl.get_revoked_certificate_by_serial_number(test_pki.revoked.cert.serial_number)
    assert revoked is not None
    assert test_pki.issuing_crl.get_revoked_certificate_by_serial_number(test_pki.person.cert.serial_number) is None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_demo_pki_answers_for_its_own_certificates(tmp_path, letter, signature_png):
    """What `make demo` runs: `pki init-test --services-url` then `pki serve`; a document signed with the demo's
    keys gets a timestamp from its TSA, and its OCSP responder vouches for the signer and revokes the revoked."""
    port, tsa_port = _free_port(), _free_port()
    call_command("pki", "init-test", "--dir", str(tmp_path), "--services-url", f"http://127.0.0.1:{port}")
    call_command("pki", "init-test", "--dir", str(tmp_path), "--if-missing")  # a second `make demo` keeps the keys
    pki = read_test_pki(tmp_path)
    responder, tsa = serve_test_pki(pki, ocsp_port=port, tsa_port=tsa_port)
    try:
        reports = {}
        for who in ("person", "revoked"):
            signed = sign_pdf(
                pdf=letter,
                signer=Pkcs12Signer(path=tmp_path / f"{who}.p12", passphrase=TEST_PASSPHRASE),
                role="signer",
                field_name="Sig1",
                marker=MARKER,
                image_png=signature_png,
                timestamper=http_timestamper(tsa.url),
            )
            reports[who] = verify_pdf(
                pdf=signed, trust_roots=[(tmp_path / "root.pem").read_bytes()], allow_fetching=True
            )
    finally:
        responder.stop()
        tsa.stop()
    (good,) = reports["person"].signatures
    assert good.timestamp and good.revocation == validation.GOOD and reports["person"].ok
    (bad,) = reports["revoked"].signatures
    assert bad.verdict == validation.REVOKED_CERT
