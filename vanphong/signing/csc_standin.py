"""A small stand-in for a remote signing service speaking the Cloud Signature Consortium API v1 (1.0.4.0), for
tests and the demo: only the endpoints pyHanko's CSCSigner and our adapter use, over stdlib HTTP on loopback.

    POST {base}/csc/v1/info                  service description (no token needed)
    POST {base}/csc/v1/credentials/list      {"credentialIDs": [...]}
    POST {base}/csc/v1/credentials/info      key algorithms, certificate chain (base64 DER), multisign, SCAL
    POST {base}/csc/v1/credentials/authorize PIN -> SAD (opaque, short-lived, for numSignatures signatures)
    POST {base}/csc/v1/signatures/signHash   SAD + base64 hashes -> base64 raw signatures

Every call but `info` needs `Authorization: Bearer <token>`; errors are JSON {"error", "error_description"} with
HTTP 400 (or 401 for a missing or wrong token), as the specification gives them. It holds test keys only."""

import base64
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from vanphong.core.standin import LoopbackServer

SHA256_WITH_RSA = "1.2.840.113549.1.1.11"
RSA_ENCRYPTION = "1.2.840.113549.1.1.1"
HASH_ALGORITHMS = {
    "2.16.840.1.101.3.4.2.1": hashes.SHA256,
    "2.16.840.1.101.3.4.2.2": hashes.SHA384,
    "2.16.840.1.101.3.4.2.3": hashes.SHA512,
}
SIGN_ALGORITHMS = {  # signAlgo -> the hash it implies (None: take hashAlgo)
    SHA256_WITH_RSA: hashes.SHA256,
    "1.2.840.113549.1.1.12": hashes.SHA384,
    "1.2.840.113549.1.1.13": hashes.SHA512,
    RSA_ENCRYPTION: None,
}


@dataclass
class Credential:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()
    pin: str | None = None


@dataclass
class _Grant:
    credential_id: str
    remaining: int
    expires: float
    hashes: frozenset[str] | None


class CscError(Exception):
    def __init__(self, status: int, error: str, description: str):
        super().__init__(description)
        self.status, self.error, self.description = status, error, description


@dataclass
class CscStandIn(LoopbackServer):
    """`with CscStandIn(tokens={...}, credentials={...}) as service:` serves on 127.0.0.1, a free port; the base URL
    (pyHanko's `service_url`) is `service.url`."""

    tokens: set[str]
    credentials: dict[str, Credential]
    sad_lifetime: int = 300
    requests: list[tuple[str, dict]] = field(default_factory=list)
    _grants: dict[str, _Grant] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # HTTP

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        try:
            path = request.path.split("?", 1)[0]
            if not path.startswith("/csc/v1/"):
                raise CscError(404, "invalid_request", "Unknown endpoint")
            endpoint = path.removeprefix("/csc/v1/")
            length = int(request.headers.get("Content-Length") or 0)
            try:
                body = json.loads(request.rfile.read(length) or b"{}")
            except ValueError as error:
                raise CscError(400, "invalid_request", "The request body is not JSON") from error
            if not isinstance(body, dict):
                raise CscError(400, "invalid_request", "The request body must be a JSON object")
            self.requests.append((endpoint, body))
            handlers = {
                "info": self._info,
                "credentials/list": self._credentials_list,
                "credentials/info": self._credentials_info,
                "credentials/authorize": self._credentials_authorize,
                "signatures/signHash": self._sign_hash,
            }
            if endpoint not in handlers:
                raise CscError(404, "invalid_request", "Unknown endpoint")
            if endpoint != "info":
                self._check_token(request.headers.get("Authorization", ""))
            status, answer = 200, handlers[endpoint](body)
        except CscError as error:
            status, answer = error.status, {"error": error.error, "error_description": error.description}
        payload = json.dumps(answer).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(payload)))
        if status == 401:
            request.send_header("WWW-Authenticate", 'Bearer error="invalid_token"')
        request.end_headers()
        request.wfile.write(payload)

    def _check_token(self, header: str) -> None:
        scheme, _space, token = header.partition(" ")
        if scheme.lower() != "bearer" or not any(secrets.compare_digest(token, t) for t in self.tokens):
            raise CscError(401, "invalid_token", "The access token is not valid")

    def _credential(self, body: dict) -> tuple[str, Credential]:
        credential_id = body.get("credentialID")
        if not isinstance(credential_id, str) or not credential_id:
            raise CscError(400, "invalid_request", "Missing (or invalid type) string parameter credentialID")
        if credential_id not in self.credentials:
            raise CscError(400, "invalid_request", "Invalid parameter credentialID")
        return credential_id, self.credentials[credential_id]

    # endpoints

    def _info(self, body):
        return {
            "specs": "1.0.4.0",
            "name": "vanphong CSC stand-in",
            "logo": "",
            "region": "VN",
            "lang": "vi-VN",
            "description": "Test remote signing service",
            "authType": ["oauth2code"],
            "methods": ["credentials/list", "credentials/info", "credentials/authorize", "signatures/signHash"],
        }

    def _credentials_list(self, body):
        return {"credentialIDs": sorted(self.credentials)}

    def _credentials_info(self, body):
        _id, credential = self._credential(body)
        der = serialization.Encoding.DER
        wanted = body.get("certificates", "single")
        certificates = [credential.certificate]
        if wanted == "chain":
            certificates += list(credential.chain)
        elif wanted == "none":
            certificates = []
        cert = credential.certificate
        return {
            "key": {"status": "enabled", "algo": [SHA256_WITH_RSA, RSA_ENCRYPTION], "len": credential.key.key_size},
            "cert": {
                "status": "valid",
                "certificates": [base64.b64encode(c.public_bytes(der)).decode("ascii") for c in certificates],
                "issuerDN": cert.issuer.rfc4514_string(),
                "serialNumber": format(cert.serial_number, "x"),
                "subjectDN": cert.subject.rfc4514_string(),
                "validFrom": cert.not_valid_before_utc.strftime("%Y%m%d%H%M%SZ"),
                "validTo": cert.not_valid_after_utc.strftime("%Y%m%d%H%M%SZ"),
            },
            "authMode": "explicit",
            "PIN": {"presence": "true" if credential.pin else "false", "format": "N", "label": "PIN"},
            "multisign": 1,
            "SCAL": "1",
        }

    def _credentials_authorize(self, body):
        credential_id, credential = self._credential(body)
        number = body.get("numSignatures")
        if not isinstance(number, int) or number < 1:
            raise CscError(400, "invalid_request", "Missing (or invalid type) integer parameter numSignatures")
        if credential.pin is not None and not secrets.compare_digest(str(body.get("PIN", "")), credential.pin):
            raise CscError(400, "invalid_pin", "The PIN is invalid")
        pinned = body.get("hash")
        if pinned is not None and (not isinstance(pinned, list) or len(pinned) != number):
            raise CscError(400, "invalid_request", "The number of hashes does not match numSignatures")
        sad = secrets.token_urlsafe(24)
        with self._lock:
            self._grants[sad] = _Grant(
                credential_id, number, time.monotonic() + self.sad_lifetime, frozenset(pinned) if pinned else None
            )
        return {"SAD": sad, "expiresIn": self.sad_lifetime}

    def _sign_hash(self, body):
        credential_id, credential = self._credential(body)
        hashes_b64 = body.get("hash")
        if not isinstance(hashes_b64, list) or not hashes_b64 or not all(isinstance(h, str) for h in hashes_b64):
            raise CscError(400, "invalid_request", "Missing (or invalid type) array parameter hash")
        sign_algo = body.get("signAlgo")
        if sign_algo not in SIGN_ALGORITHMS:
            raise CscError(400, "invalid_request", "Invalid parameter signAlgo")
        algorithm = SIGN_ALGORITHMS[sign_algo] or HASH_ALGORITHMS.get(body.get("hashAlgo"))
        if algorithm is None:
            raise CscError(400, "invalid_request", "Missing (or invalid type) string parameter hashAlgo")
        with self._lock:
            grant = self._grants.get(str(body.get("SAD", "")))
            if grant is None or grant.credential_id != credential_id or grant.expires < time.monotonic():
                raise CscError(400, "invalid_request", "Invalid parameter SAD")
            if grant.remaining < len(hashes_b64) or (grant.hashes and not grant.hashes.issuperset(hashes_b64)):
                raise CscError(400, "invalid_request", "The SAD does not authorise these hashes")
            grant.remaining -= len(hashes_b64)
            if grant.remaining == 0:
                del self._grants[str(body["SAD"])]
        signatures = []
        for value in hashes_b64:
            try:
                digest = base64.b64decode(value, validate=True)
            except ValueError as error:
                raise CscError(400, "invalid_request", "Invalid Base64 hash string parameter") from error
            if len(digest) != algorithm.digest_size:
                raise CscError(400, "invalid_request", "Invalid digest value length")
            raw = credential.key.sign(digest, padding.PKCS1v15(), Prehashed(algorithm()))
            signatures.append(base64.b64encode(raw).decode("ascii"))
        return {"signatures": signatures}
