"""The test PKI (made once per run, written under pytest's temporary directory), a small official letter made with
reportlab, and the images: the signer's blue signature and the agency's red seal, transparent PNGs."""

import io

import pytest
from asn1crypto import keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from PIL import Image, ImageDraw
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from vanphong.core.placeholders import DATE, NUMBER
from vanphong.signing.pki import TEST_PASSPHRASE, build_test_pki, write_test_pki
from vanphong.signing.providers.pkcs12 import Pkcs12Signer

MARKER = "[[CHU_KY]]"


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory):
    pki = build_test_pki()
    write_test_pki(pki, tmp_path_factory.mktemp("pki"))
    return pki


@pytest.fixture(scope="session")
def key_of(test_pki):
    """key_of("person") -> the Signer of that PKCS#12 file, as the workflow would open it."""

    def open_key(name):
        return Pkcs12Signer(path=test_pki.files[f"{name}.p12"], passphrase=TEST_PASSPHRASE)

    return open_key


@pytest.fixture(scope="session")
def timestamper(test_pki):
    der = serialization.Encoding.DER
    cert = asn1_x509.Certificate.load(test_pki.tsa.cert.public_bytes(der))
    key = keys.PrivateKeyInfo.load(
        test_pki.tsa.key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    issuing_ca = asn1_x509.Certificate.load(test_pki.issuing_ca.cert.public_bytes(der))
    return DummyTimeStamper(
        tsa_cert=cert, tsa_key=key, certs_to_embed=SimpleCertificateStore.from_certs([cert, issuing_ca])
    )


def make_letter(*, encrypt: str | None = None, pages: int = 1, number_and_date: bool = False) -> bytes:
    """A decision of the Sở Tài chính with the signature place marked in the template (uncompressed streams); with
    `number_and_date`, the number and date places too, as the drafter types them: "So: [[SO]]/QD-STC" (the marker
    inside a word) and "Nghe An, [[NGAY]]"."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, pageCompression=0, encrypt=encrypt)
    for number in range(pages):
        page.setFont("Helvetica", 13)
        page.drawString(90, 760, "UBND TINH NGHE AN")
        if number_and_date and number == 0:
            page.drawString(90, 735, f"So: {NUMBER}/QD-STC")
            page.drawString(300, 735, f"Nghe An, {DATE}")
        page.drawString(90, 700, "QUYET DINH ve viec phan bo ngan sach")
        if number == pages - 1:
            page.drawString(370, 300, "GIAM DOC")
            page.drawString(385, 230, MARKER)
            page.drawString(360, 160, "Nguyen Van An")
        page.showPage()
    page.save()
    return out.getvalue()


def make_png(colour, *, seal=False, fmt="PNG") -> bytes:
    image = Image.new("RGBA" if fmt == "PNG" else "RGB", (300, 300 if seal else 150), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if seal:
        draw.ellipse((10, 10, 290, 290), outline=colour, width=12)
        draw.ellipse((60, 60, 240, 240), outline=colour, width=4)
    else:
        draw.line((20, 110, 120, 30, 160, 120, 280, 40), fill=colour, width=6)
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


@pytest.fixture(scope="session")
def letter():
    return make_letter()


@pytest.fixture(scope="session")
def signature_png():
    return make_png((20, 40, 200, 255))


@pytest.fixture(scope="session")
def seal_png():
    return make_png((220, 0, 0, 255), seal=True)


@pytest.fixture(scope="session")
def signed_by_both(letter, key_of, signature_png, seal_png):
    """The director signs at the marker, then the clerk applies the agency's signature over the left third."""
    from vanphong.signing.services import sign_pdf

    by_director = sign_pdf(
        pdf=letter,
        signer=key_of("person"),
        role="signer",
        field_name="Sig1",
        marker=MARKER,
        image_png=signature_png,
        lines=["GIÁM ĐỐC", "Nguyễn Văn An"],
    )
    return sign_pdf(
        pdf=by_director,
        signer=key_of("agency"),
        role="agency",
        field_name="SigAgency",
        over_field="Sig1",
        image_png=seal_png,
        lines=["Sở Tài chính tỉnh Nghệ An"],
    )
