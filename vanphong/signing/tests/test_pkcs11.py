"""Signing with a key on a PKCS#11 token: SoftHSM2 stands in for the USB token or the HSM."""

import pytest

from vanphong.signing.errors import SigningError
from vanphong.signing.providers.pkcs11 import SOFTHSM2_MODULE, Pkcs11Signer
from vanphong.signing.softhsm import create_token
from vanphong.signing.tests.conftest import make_letter
from vanphong.signing.validation import verify_pdf


@pytest.fixture(scope="module")
def token(test_pki, tmp_path_factory):
    """A fresh SoftHSM2 token holding the test PKI's agency key and certificate, and the issuing CA's certificate."""
    made = create_token(tmp_path_factory.mktemp("softhsm"), issued=test_pki.agency, ca_cert=test_pki.issuing_ca.cert)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOFTHSM2_CONF", str(made.config))
        yield made


def test_the_agency_seals_a_letter_with_the_key_on_its_token(test_pki, token):
    with Pkcs11Signer(
        module_path=SOFTHSM2_MODULE,
        token_label=token.label,
        pin=token.pin,
        key_label=token.key_label,
        other_cert_labels=(token.ca_label,),
    ) as seal:
        signed = seal.sign(pdf=make_letter(), role="attachment", field_name="CoQuan", lines=["Số: 12/QĐ-STC"])
    report = verify_pdf(pdf=signed, trust_roots=[test_pki.root.cert], crls=test_pki.crls_der)
    assert report.ok, report.summary
    [signature] = report.signatures
    assert signature.signer_name == "Sở Tài chính tỉnh Nghệ An"
    assert signature.trusted and signature.intact


def test_a_wrong_pin_is_a_clear_error(token):
    with pytest.raises(SigningError, match="PIN"):  # noqa: SIM117
        with Pkcs11Signer(
            module_path=SOFTHSM2_MODULE, token_label=token.label, pin="000000", key_label=token.key_label
        ) as seal:
            seal.sign(pdf=make_letter(), role="attachment", field_name="CoQuan", lines=["Số: 12/QĐ-STC"])
