"""Signing speed (issue: digital signatures, point 6).

Signs a 20-page PDF of about 1 MB with a PKCS#12 file key and with the same kind of key on a SoftHSM2 token, and
compares each signature with one bare RSA-2048 signing operation with the same key. Prints sign_file_ms,
sign_pkcs11_ms and sign_file_ratio_to_rsa.

    .venv/bin/python bench/signing.py [--scale 0.5]     # --scale shrinks the PDF (pages and size)
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanphong.settings.test")


def big_pdf(pages: int, target_bytes: int) -> bytes:
    """A letter of `pages` pages padded with a scanned-looking image so that the file weighs about `target_bytes`."""
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    side = max(64, int((target_bytes / max(pages, 1) / 3) ** 0.5))
    noise = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))  # incompressible, like a scan
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    for number in range(pages):
        page.setFont("Helvetica", 12)
        page.drawString(72, 800, f"Trang {number + 1}: bao cao quyet toan ngan sach nam 2026")
        page.drawImage(ImageReader(noise), 72, 300, width=450, height=450)
        page.showPage()
    page.save()
    return out.getvalue()


def timed(action, rounds: int) -> float:
    action()  # warm-up: imports, font loading, session set-up
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=10)
    options = parser.parse_args()

    import django

    django.setup()
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    from vanphong.signing.pki import TEST_PASSPHRASE, build_test_pki, write_test_pki
    from vanphong.signing.providers.pkcs11 import SOFTHSM2_MODULE, Pkcs11Signer
    from vanphong.signing.providers.pkcs12 import Pkcs12Signer
    from vanphong.signing.softhsm import create_token

    pdf = big_pdf(max(1, round(20 * options.scale)), int(1_000_000 * options.scale))
    print(f"  PDF: {len(pdf) / 1e6:.2f} MB", file=sys.stderr)
    pki = build_test_pki()
    with tempfile.TemporaryDirectory() as folder:
        files = write_test_pki(pki, Path(folder) / "pki")
        file_key = Pkcs12Signer(path=files["agency.p12"], passphrase=TEST_PASSPHRASE)

        def sign_with(signer):
            return lambda: signer.sign(pdf=pdf, role="attachment", field_name="CoQuan", lines=["Số: 12/QĐ-STC"])

        file_ms = timed(sign_with(file_key), options.rounds)
        digest = b"x" * 32
        rsa_ms = timed(lambda: pki.agency.key.sign(digest, padding.PKCS1v15(), hashes.SHA256()), options.rounds * 10)
        token = create_token(Path(folder) / "softhsm", issued=pki.agency, ca_cert=pki.issuing_ca.cert)
        os.environ["SOFTHSM2_CONF"] = str(token.config)
        with Pkcs11Signer(
            module_path=SOFTHSM2_MODULE,
            token_label=token.label,
            pin=token.pin,
            key_label=token.key_label,
            other_cert_labels=(token.ca_label,),
        ) as token_key:
            pkcs11_ms = timed(sign_with(token_key), options.rounds)
    print(f"sign_file_ms: {file_ms:.1f}")
    print(f"sign_pkcs11_ms: {pkcs11_ms:.1f}")
    print(f"sign_file_ratio_to_rsa: {file_ms / rsa_ms:.1f}")


if __name__ == "__main__":
    main()
