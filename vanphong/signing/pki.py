"""A test PKI made at run time: a root, an issuing CA, a person's and an agency's signing certificates, an expired
and a revoked certificate with the issuing CA's CRL, a time-stamping authority, and an unrelated second root.

It stands in for the Government CA (Ban Cơ yếu Chính phủ) and the public CAs in tests and the demo. Nothing here is
ever written into the repository: tests write under pytest's temporary directory, and `vanphong pki init-test`
under settings.VAR_DIR / "pki" (or a directory outside the source tree)."""

import datetime
import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

TEST_PASSPHRASE = b"vanphong-test"  # the PKCS#12 files of the test PKI only; never a real key's
CRL_BASE_URL = "http://pki.vanphong.invalid"  # distribution points are declared (pyHanko checks CRLs only then)
ORGANISATION = "Sở Tài chính tỉnh Nghệ An"


@dataclass
class Issued:
    """A key and its certificate, with the chain up to (not including) the root."""

    name: str
    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    def pkcs12(self, passphrase: bytes = TEST_PASSPHRASE) -> bytes:
        return pkcs12.serialize_key_and_certificates(
            self.name.encode(),
            self.key,
            self.cert,
            list(self.chain) or None,
            serialization.BestAvailableEncryption(passphrase),
        )

    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )


@dataclass
class TestPki:
    root: Issued
    issuing_ca: Issued
    person: Issued  # Nguyễn Văn An, Giám đốc
    agency: Issued  # the agency's own certificate (chữ ký số của cơ quan)
    expired: Issued
    revoked: Issued
    tsa: Issued
    other_root: Issued  # an unrelated root: a chain to it is untrusted
    stranger: Issued  # a person certified under other_root
    issuing_crl: x509.CertificateRevocationList
    root_crl: x509.CertificateRevocationList
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def crls_der(self) -> tuple[bytes, ...]:
        return tuple(c.public_bytes(serialization.Encoding.DER) for c in (self.issuing_crl, self.root_crl))


def _name(common_name: str, organisation: str | None = None, title: str | None = None) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    if title:
        attributes.append(x509.NameAttribute(NameOID.TITLE, title))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _cdp(slug: str, base_url: str) -> x509.CRLDistributionPoints:
    uri = x509.UniformResourceIdentifier(f"{base_url}/{slug}.crl")
    return x509.CRLDistributionPoints([x509.DistributionPoint([uri], None, None, None)])


def _issue(
    name,
    subject,
    *,
    issuer: Issued | None,
    ca=False,
    tsa=False,
    not_before,
    not_after,
    crl_slug=None,
    services_url=None,
):
    key = _key()
    issuer_name = issuer.cert.subject if issuer else subject
    issuer_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    )
    usage = dict.fromkeys(
        (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    if ca:
        usage.update(key_cert_sign=True, crl_sign=True, digital_signature=True)
    else:
        usage.update(digital_signature=True, content_commitment=not tsa)
    builder = builder.add_extension(x509.KeyUsage(**usage), critical=True)
    if tsa:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    if crl_slug:
        builder = builder.add_extension(_cdp(crl_slug, services_url or CRL_BASE_URL), critical=False)
    if services_url and not ca:  # where the OCSP responder of `vanphong pki serve` answers
        ocsp = x509.UniformResourceIdentifier(f"{services_url}/ocsp")
        access = x509.AccessDescription(AuthorityInformationAccessOID.OCSP, ocsp)
        builder = builder.add_extension(x509.AuthorityInformationAccess([access]), critical=False)
    cert = builder.sign(issuer_key, hashes.SHA256())
    return Issued(name=name, key=key, cert=cert)


def _crl(
    issuer: Issued, revoked: list[tuple[x509.Certificate, datetime.datetime]], now
) -> x509.CertificateRevocationList:
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.cert.subject)
        .last_update(now - datetime.timedelta(hours=1))
        .next_update(now + datetime.timedelta(days=30))
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    )
    for cert, when in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(cert.serial_number)
            .revocation_date(when)
            .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False)
            .build()
        )
    return builder.sign(issuer.key, hashes.SHA256())


def build_test_pki(now: datetime.datetime | None = None, *, services_url: str | None = None) -> TestPki:
    """Every key and certificate of the test PKI, made fresh (RSA-2048, SHA-256). With `services_url` (where
    `vanphong pki serve` listens, e.g. http://127.0.0.1:8001) the certificates point there for their CRLs and OCSP;
    without it, at a host that does not resolve (revocation then cannot be checked)."""
    now = now or datetime.datetime.now(datetime.UTC)
    day, year = datetime.timedelta(days=1), datetime.timedelta(days=365)
    root = _issue(
        "root",
        _name("Vanphong Test Root CA", "Vanphong (thử nghiệm)"),
        issuer=None,
        ca=True,
        not_before=now - 10 * year,
        not_after=now + 20 * year,
    )
    issuing = _issue(
        "issuing-ca",
        _name("Vanphong Test Issuing CA", "Vanphong (thử nghiệm)"),
        issuer=root,
        ca=True,
        not_before=now - 5 * year,
        not_after=now + 10 * year,
        crl_slug="root",
        services_url=services_url,
    )
    current = {
        "not_before": now - day,
        "not_after": now + 2 * year,
        "crl_slug": "issuing-ca",
        "services_url": services_url,
    }

    def leaf(name, subject, **overrides):
        issued = _issue(name, subject, issuer=issuing, **{**current, **overrides})
        issued.chain = (issuing.cert,)
        return issued

    person = leaf("person", _name("Nguyễn Văn An", ORGANISATION, "Giám đốc"))
    agency = leaf("agency", _name(ORGANISATION, ORGANISATION))
    expired = leaf(
        "expired", _name("Trần Thị Bình", ORGANISATION, "Phó Giám đốc"), not_before=now - 3 * year, not_after=now - year
    )
    revoked = leaf("revoked", _name("Lê Văn Cường", ORGANISATION, "Chánh Văn phòng"))
    tsa = leaf("tsa", _name("Vanphong Test TSA", "Vanphong (thử nghiệm)"), tsa=True, crl_slug=None)
    other_root = _issue(
        "other-root",
        _name("Unrelated Root CA", "Không liên quan"),
        issuer=None,
        ca=True,
        not_before=now - year,
        not_after=now + 10 * year,
    )
    stranger = _issue(
        "stranger",
        _name("Phạm Văn Dũng", "Không liên quan"),
        issuer=other_root,
        not_before=now - day,
        not_after=now + year,
    )
    return TestPki(
        root=root,
        issuing_ca=issuing,
        person=person,
        agency=agency,
        expired=expired,
        revoked=revoked,
        tsa=tsa,
        other_root=other_root,
        stranger=stranger,
        issuing_crl=_crl(issuing, [(revoked.cert, now - day)], now),
        root_crl=_crl(root, [], now),
    )


def write_test_pki(pki: TestPki, directory: Path, *, passphrase: bytes = TEST_PASSPHRASE) -> dict[str, Path]:
    """Write the test PKI as files: CA certificates and CRLs in PEM, each signing key as a PKCS#12 file, the TSA key
    in PEM. The directory and the key files are readable by the owner only."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = serialization.Encoding.PEM
    files = {}

    def write(filename: str, data: bytes, *, secret=False):
        path = directory / filename
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if secret else 0o644)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        files[filename] = path

    for ca in (pki.root, pki.issuing_ca, pki.other_root):
        write(f"{ca.name}.pem", ca.cert_pem())
    write("issuing-ca.crl.pem", pki.issuing_crl.public_bytes(pem))
    write("root.crl.pem", pki.root_crl.public_bytes(pem))
    for issued in (pki.person, pki.agency, pki.expired, pki.revoked, pki.stranger):
        write(f"{issued.name}.p12", issued.pkcs12(passphrase), secret=True)
        write(f"{issued.name}.pem", issued.cert_pem())
    write("tsa.pem", pki.tsa.cert_pem())
    write("tsa.key.pem", pki.tsa.key_pem(), secret=True)
    for ca in (pki.root, pki.issuing_ca):  # `vanphong pki serve` signs OCSP answers and CRLs with them
        write(f"{ca.name}.key.pem", ca.key_pem(), secret=True)
    pki.files = files
    return files


def read_test_pki(directory: Path, *, passphrase: bytes = TEST_PASSPHRASE) -> TestPki:
    """The test PKI as `write_test_pki` left it in `directory` (the unrelated root's key is not kept)."""
    directory = Path(directory)

    def cert(name):
        return x509.load_pem_x509_certificate((directory / f"{name}.pem").read_bytes())

    def key(name):
        return serialization.load_pem_private_key((directory / f"{name}.key.pem").read_bytes(), password=None)

    def from_pkcs12(name, chain):
        loaded_key, loaded_cert, _extra = pkcs12.load_key_and_certificates(
            (directory / f"{name}.p12").read_bytes(), passphrase
        )
        return Issued(name=name, key=loaded_key, cert=loaded_cert, chain=chain)

    root = Issued("root", key("root"), cert("root"))
    issuing = Issued("issuing-ca", key("issuing-ca"), cert("issuing-ca"))
    other_root = Issued("other-root", None, cert("other-root"))
    pem_crl = x509.load_pem_x509_crl
    pki = TestPki(
        root=root,
        issuing_ca=issuing,
        person=from_pkcs12("person", (issuing.cert,)),
        agency=from_pkcs12("agency", (issuing.cert,)),
        expired=from_pkcs12("expired", (issuing.cert,)),
        revoked=from_pkcs12("revoked", (issuing.cert,)),
        tsa=Issued("tsa", key("tsa"), cert("tsa"), (issuing.cert,)),
        other_root=other_root,
        stranger=from_pkcs12("stranger", ()),
        issuing_crl=pem_crl((directory / "issuing-ca.crl.pem").read_bytes()),
        root_crl=pem_crl((directory / "root.crl.pem").read_bytes()),
    )
    pki.files = {path.name: path for path in directory.iterdir()}
    return pki
