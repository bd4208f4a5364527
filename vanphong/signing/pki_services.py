"""The online services of the test PKI, served over HTTP on 127.0.0.1 for tests and the demo: an OCSP responder
(RFC 6960, answers "good" or "revoked" from a set of revoked serials, signed by the issuing CA itself) that also
serves the CRLs, and an RFC 3161 time-stamping authority (pyHanko's DummyTimeStamper behind a small HTTP server).

The certificates of pki.build_test_pki point their CRL distribution points at an unresolvable host. `LoopbackPki`
issues, with the test PKI's own root and issuing CA keys, an issuing CA certificate whose CRL lives on the loopback
responder and leaf certificates (a person, a revoked person, a TSA) whose OCSP URL (Authority Information Access)
is the loopback responder. Nothing listens on anything but 127.0.0.1; every port is a free one picked by the OS."""

import datetime
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID
from pyhanko.sign import signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .pki import ORGANISATION, Issued, TestPki, _crl, _key, _name

LOOPBACK = "127.0.0.1"
MAX_REQUEST = 64 * 1024


class _Server:
    """A ThreadingHTTPServer on a free loopback port, run in a daemon thread; `stop()` closes the port, so clients
    then get "connection refused" (the service is down)."""

    handler_class: type[BaseHTTPRequestHandler]

    def __init__(self):
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port: int | None = None

    def start(self):
        service = self

        class Handler(self.handler_class):
            owner = service

        self._httpd = ThreadingHTTPServer((LOOPBACK, self.port or 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name=type(self).__name__, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(timeout=5)
            self._httpd = self._thread = None

    @property
    def running(self) -> bool:
        return self._httpd is not None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    owner = None
    protocol_version = "HTTP/1.0"

    def log_message(self, format, *args):  # quiet in tests
        pass

    def _reply(self, status: int, content_type: str, body: bytes):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 < length <= MAX_REQUEST:
            self._reply(400, "text/plain", b"bad request")
            return None
        return self.rfile.read(length)


class _OcspHandler(_Handler):
    def do_POST(self):
        body = self._body()
        if body is not None:
            self._reply(200, "application/ocsp-response", self.owner.answer(body))

    def do_GET(self):
        crl = self.owner.crl(self.path.strip("/"))
        if crl is None:
            self._reply(404, "text/plain", b"not found")
        else:
            self._reply(200, "application/pkix-crl", crl)


class _TsaHandler(_Handler):
    def do_POST(self):
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/timestamp-query":
            self._reply(415, "text/plain", b"expected application/timestamp-query")
            return
        body = self._body()
        if body is not None:
            self._reply(200, "application/timestamp-reply", self.owner.answer(body))


class OcspResponder(_Server):
    """OCSP for the certificates `issuer` issued (those it was told about), plus CRLs at GET /<slug>.crl.

    Answers are signed by the issuing CA itself (no delegated responder certificate). A serial in `revoked` is
    answered "revoked" (key compromise), one in `known` "good", any other gets "unauthorized"."""

    handler_class = _OcspHandler

    def __init__(self, issuer: Issued, *, root: Issued | None = None):
        super().__init__()
        self.issuer = issuer
        self.root = root
        self.known: dict[int, x509.Certificate] = {}
        self.revoked: dict[int, datetime.datetime] = {}
        self.requests = 0

    def add(self, *certs: x509.Certificate):
        for cert in certs:
            self.known[cert.serial_number] = cert

    def revoke(self, cert: x509.Certificate, when: datetime.datetime | None = None):
        self.add(cert)
        self.revoked[cert.serial_number] = when or datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/ocsp"

    def crl_url(self, slug: str) -> str:
        return f"http://{LOOPBACK}:{self.port}/{slug}.crl"

    def answer(self, body: bytes) -> bytes:
        self.requests += 1
        try:
            request = ocsp.load_der_ocsp_request(body)
        except ValueError:
            return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST).public_bytes(
                serialization.Encoding.DER
            )
        cert = self.known.get(request.serial_number)
        if cert is None or request.issuer_key_hash != _key_hash(self.issuer.cert, request.hash_algorithm):
            return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED).public_bytes(
                serialization.Encoding.DER
            )
        now = datetime.datetime.now(datetime.UTC)
        revoked_at = self.revoked.get(cert.serial_number)
        builder = ocsp.OCSPResponseBuilder().add_response(
            cert=cert,
            issuer=self.issuer.cert,
            algorithm=request.hash_algorithm,
            cert_status=ocsp.OCSPCertStatus.REVOKED if revoked_at else ocsp.OCSPCertStatus.GOOD,
            this_update=now - datetime.timedelta(minutes=5),
            next_update=now + datetime.timedelta(hours=1),
            revocation_time=revoked_at,
            revocation_reason=x509.ReasonFlags.key_compromise if revoked_at else None,
        )
        builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, self.issuer.cert)
        for extension in request.extensions:
            if isinstance(extension.value, x509.OCSPNonce):
                builder = builder.add_extension(extension.value, critical=False)
        response = builder.sign(self.issuer.key, hashes.SHA256())
        return response.public_bytes(serialization.Encoding.DER)

    def crl(self, name: str) -> bytes | None:
        now = datetime.datetime.now(datetime.UTC)
        if name == "issuing-ca.crl":
            issued = self.issuer
            revoked = [(self.known[serial], when) for serial, when in self.revoked.items()]
        elif name == "root.crl" and self.root is not None:
            issued, revoked = self.root, []
        else:
            return None
        return _crl(issued, revoked, now).public_bytes(serialization.Encoding.DER)


def _key_hash(cert: x509.Certificate, algorithm: hashes.HashAlgorithm) -> bytes:
    """OCSP's issuerKeyHash: the hash of the subjectPublicKey BIT STRING's value (without the unused-bits byte)."""
    info = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)).public_key
    digest = hashes.Hash(algorithm)
    digest.update(bytes(info["public_key"].contents[1:]))
    return digest.finalize()


class TimeStampAuthority(_Server):
    """RFC 3161 over HTTP: POST application/timestamp-query, reply application/timestamp-reply."""

    handler_class = _TsaHandler

    def __init__(self, tsa: Issued):
        super().__init__()
        der = serialization.Encoding.DER
        cert = asn1_x509.Certificate.load(tsa.cert.public_bytes(der))
        chain = [asn1_x509.Certificate.load(c.public_bytes(der)) for c in tsa.chain]
        key = keys.PrivateKeyInfo.load(
            tsa.key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        )
        self._stamper = DummyTimeStamper(
            tsa_cert=cert, tsa_key=key, certs_to_embed=SimpleCertificateStore.from_certs([cert, *chain])
        )
        self._lock = threading.Lock()
        self.requests = 0

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/tsa"

    def answer(self, body: bytes) -> bytes:
        self.requests += 1
        try:
            request = tsp.TimeStampReq.load(body)
            request.native  # parse it all now: a malformed request is refused, not half-answered  # noqa: B018
            with self._lock:
                return self._stamper.request_tsa_response(request).dump()
        except (ValueError, TypeError, KeyError):
            status = tsp.PKIStatusInfo({"status": tsp.PKIStatus("rejection")})
            return tsp.TimeStampResp({"status": status}).dump()


def _issue(subject: x509.Name, issuer: Issued, *, ca=False, tsa=False, ocsp_url=None, crl_url=None, now) -> Issued:
    key = _key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * (5 if ca else 2)))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=not (ca or tsa),
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    if tsa:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    if ocsp_url:
        access = x509.AccessDescription(AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url))
        builder = builder.add_extension(x509.AuthorityInformationAccess([access]), critical=False)
    if crl_url:
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    return Issued(name=subject.rfc4514_string(), key=key, cert=builder.sign(issuer.key, hashes.SHA256()))


@dataclass
class LoopbackPki:
    """Certificates whose revocation data is served on loopback, with the running responder and TSA."""

    test_pki: TestPki
    ocsp: OcspResponder
    tsa_service: TimeStampAuthority
    issuing_ca: Issued  # the test PKI's issuing CA key, re-certified with a loopback CRL distribution point
    person: Issued
    revoked: Issued
    tsa: Issued
    extra: dict = field(default_factory=dict)

    @property
    def trust_roots(self) -> list[x509.Certificate]:
        return [self.test_pki.root.cert]

    @property
    def other_certs(self) -> list[x509.Certificate]:
        return [self.issuing_ca.cert]

    def signer(self, issued: Issued) -> signers.SimpleSigner:
        """A pyHanko signer for one of these certificates, with the chain embedded."""
        der = serialization.Encoding.DER
        chain = [asn1_x509.Certificate.load(c.public_bytes(der)) for c in issued.chain]
        return signers.SimpleSigner(
            signing_cert=asn1_x509.Certificate.load(issued.cert.public_bytes(der)),
            signing_key=keys.PrivateKeyInfo.load(
                issued.key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
            ),
            cert_registry=SimpleCertificateStore.from_certs(chain),
        )

    def stop(self):
        self.ocsp.stop()
        self.tsa_service.stop()


def start_loopback_pki(test_pki: TestPki, *, now: datetime.datetime | None = None) -> LoopbackPki:
    """Start the OCSP/CRL responder and the TSA on free loopback ports and issue the certificates pointing at them.
    Call `.stop()` when done (the pytest fixture does)."""
    now = now or datetime.datetime.now(datetime.UTC)
    responder = OcspResponder(test_pki.issuing_ca, root=test_pki.root).start()
    issuing = Issued(
        name="issuing-ca",
        key=test_pki.issuing_ca.key,
        cert=_recertify(test_pki, responder.crl_url("root"), now),
    )
    responder.issuer = issuing

    def leaf(subject, **options):
        issued = _issue(subject, issuing, ocsp_url=responder.url, now=now, **options)
        issued.chain = (issuing.cert,)
        responder.add(issued.cert)
        return issued

    person = leaf(_name("Nguyễn Văn An", ORGANISATION, "Giám đốc"))
    revoked = leaf(_name("Lê Văn Cường", ORGANISATION, "Chánh Văn phòng"))
    responder.revoke(revoked.cert)
    tsa = leaf(_name("Vanphong Test TSA", "Vanphong (thử nghiệm)"), tsa=True)
    tsa_service = TimeStampAuthority(tsa).start()
    return LoopbackPki(
        test_pki=test_pki,
        ocsp=responder,
        tsa_service=tsa_service,
        issuing_ca=issuing,
        person=person,
        revoked=revoked,
        tsa=tsa,
    )


def _recertify(test_pki: TestPki, crl_url: str, now) -> x509.Certificate:
    """The issuing CA's subject and key, certified again by the root, with its CRL on the loopback responder."""
    old, root = test_pki.issuing_ca.cert, test_pki.root
    builder = (
        x509.CertificateBuilder()
        .subject_name(old.subject)
        .issuer_name(root.cert.subject)
        .public_key(old.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(old.not_valid_before_utc)
        .not_valid_after(old.not_valid_after_utc)
    )
    for extension in old.extensions:
        if not isinstance(extension.value, x509.CRLDistributionPoints):
            builder = builder.add_extension(extension.value, critical=extension.critical)
    point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
    builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    return builder.sign(root.key, hashes.SHA256())


def serve_test_pki(test_pki: TestPki, *, ocsp_port: int, tsa_port: int) -> tuple[OcspResponder, TimeStampAuthority]:
    """The demo's revocation and time services for a test PKI made with `services_url` pointing at `ocsp_port`:
    OCSP and CRLs for every certificate the issuing CA gave (the revoked one answered "revoked"), and the TSA."""
    responder = OcspResponder(test_pki.issuing_ca, root=test_pki.root)
    responder.port = ocsp_port
    responder.add(test_pki.person.cert, test_pki.agency.cert, test_pki.expired.cert, test_pki.tsa.cert)
    responder.revoke(
        test_pki.revoked.cert,
        test_pki.issuing_crl.get_revoked_certificate_by_serial_number(
            test_pki.revoked.cert.serial_number
        ).revocation_date_utc,
    )
    tsa = TimeStampAuthority(test_pki.tsa)
    tsa.port = tsa_port
    return responder.start(), tsa.start()
