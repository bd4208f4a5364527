"""The test PKI command: files for the demo, written outside the source tree, keys readable by the owner only."""

import stat

import pytest
from django.core.management import CommandError, call_command
from pyhanko.sign import signers

from vanphong.signing.pki import TEST_PASSPHRASE


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
