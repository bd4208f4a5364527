"""The national document-exchange axis (Trục liên thông văn bản quốc gia, run by VPCP) through its "VXP" HTTP API, as
the VNPT Java SDK (com.vpcp.services, SDKVXP 2.0.x) speaks it (standards.md §4.7, §5.1):

    POST {endpoint}/sendEdoc             from, to (JSON list), servicetype=eDoc, messagetype=edoc|status, hash-file;
                                         body = the edXML package                       -> ErrorCode, DocId
    POST {endpoint}/getReceivedEdocList  servicetype=eDoc, messagetype=edoc|status      -> data: [{docId, from, to..}]
    POST {endpoint}/getEdoc              docId                                          -> data: base64 edXML
    POST {endpoint}/updateStatus         docid, status=processing|done|fail

Every parameter travels as an HTTP header and is signed: each one is re-sent as `XroadVnpt-<name>`, together with
`systemid` and `timestamp`; the compact JSON object of those prefixed headers goes in `XroadVnpt-sign-header`, its
HMAC-SHA256 under the system's secret (lower-case hex) in `XroadVnpt-hash-header`, and the signed names, ";"-separated,
in `XroadVnpt-sign-header-key`. We send each parameter under its plain name as well (the SDK sends only the prefixed
copy; an X-Road-style gateway strips the prefix): the axis must take a parameter from the signed copy only.

The timestamp. The SDK formats `new Date()` with Java's SimpleDateFormat("ddMMyyyy'T'HHmmss+SSSS"). In that pattern
`S` is the millisecond (zero-padded to four digits by `SSSS`), and `+` is not a pattern letter, so it is printed as
is: "+SSSS" is *not* a zone offset but "+" and the milliseconds, e.g. 05032025T143015+0042. The time is the JVM's
default zone, which on a Vietnamese server is Asia/Ho_Chi_Minh (UTC+07:00, no summer time); the string carries no
zone. We therefore write the current time in UTC+07:00 in that form (AXIS_TIMEZONE), whatever the host's zone. (The
SDK computes the timestamp once, when its service object is built; we compute it for every request.)

The `hash-file` quirk: the SDK builds the hex of the SHA-256 with Integer.toHexString(0xFF & b), which drops the
leading zero of every byte below 0x10 (a digest byte 0x0a becomes "a", not "0a"). `hash_file(pad=False)` reproduces
that; the axis compares what the SDK sends, so it is the default.

Which failures are worth retrying (TransportError) and which are final (PermanentFailure):
- no connection, a timeout, a broken or non-JSON answer, HTTP 5xx, 408, 429: TransportError;
- HTTP 401/403 (unknown system, wrong secret, bad signature, clock off): PermanentFailure, as is any other HTTP 4xx;
- an answer with ErrorCode other than "0": TransportError when the code reads as a server-side or throttling
  condition (RETRYABLE_ERROR_CODES: 5xx-like codes, "408", "429", and "-1", "100" that the SDK itself uses for a call
  it could not complete), PermanentFailure for everything else (invalid package, unknown recipient, no such docId).
  VPCP has not published its list of ErrorCodes; this reading is ours and errs towards not resending a refused
  package forever."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import http.client
import json
import logging
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

from .base import Envelope, PermanentFailure, TransportError

logger = logging.getLogger(__name__)

AXIS_TIMEZONE = timezone(timedelta(hours=7), "ICT")  # the SDK writes the JVM's local time; VN servers run UTC+07:00
SIGN_PREFIX = "XroadVnpt-"
VERSION = "3.0.201608"
USER_AGENT = "JAVASDKAgent/1.0.0 XRoad/VPCP"
SERVICE_TYPE = "eDoc"
KINDS = ("edoc", "status")  # the axis's messagetype values, and our Envelope.kind
RETRYABLE_ERROR_CODES = frozenset({"-1", "100", "408", "429"})


def axis_timestamp(now: datetime | None = None) -> str:
    """The `timestamp` header: ddMMyyyy'T'HHmmss+SSSS of the time in UTC+07:00, SSSS being the milliseconds."""
    now = (now or datetime.now(AXIS_TIMEZONE)).astimezone(AXIS_TIMEZONE)
    return f"{now:%d%m%Y}T{now:%H%M%S}+{now.microsecond // 1000:04d}"


def hash_file(data: bytes, *, pad_hash: bool = False) -> str:
    """The `hash-file` header: SHA-256 of the package in hex; without zero-padding each byte unless `pad_hash`."""
    digest = hashlib.sha256(data).digest()
    return digest.hex() if pad_hash else "".join(format(byte, "x") for byte in digest)


def sign_headers(params: dict[str, str], *, system_id: str, secret: str, now: datetime | None = None) -> dict[str, str]:
    """The headers of one call: the parameters (plain and `XroadVnpt-` prefixed), systemid, timestamp, the signed
    JSON, its HMAC, the signed names, the version and the SDK's User-Agent."""
    signed = {**params, "systemid": system_id, "timestamp": axis_timestamp(now)}
    prefixed = {SIGN_PREFIX + name: value for name, value in signed.items()}
    sign_header = json.dumps(prefixed, separators=(",", ":"))
    digest = hmac.new(secret.encode(), sign_header.encode(), hashlib.sha256).hexdigest()
    return {
        **params,
        **prefixed,
        SIGN_PREFIX + "sign-header-key": ";".join(signed),
        SIGN_PREFIX + "sign-header": sign_header,
        SIGN_PREFIX + "hash-header": digest,
        SIGN_PREFIX + "version": VERSION,
        "User-Agent": USER_AGENT,
    }


def _failure(message: str, *, http_status: int | None = None, code: str | None = None) -> TransportError:
    if http_status in (401, 403):
        return PermanentFailure(message)
    if http_status is not None and (http_status >= 500 or http_status in (408, 429)):
        return TransportError(message)
    if code is not None and (code in RETRYABLE_ERROR_CODES or (len(code) == 3 and code.startswith("5"))):
        return TransportError(message)
    return PermanentFailure(message)


def _first_code(value) -> str:
    """The `to` of a received item: a code, a list of codes, or a list written as JSON."""
    if isinstance(value, str) and value.startswith("["):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return "" if value is None else str(value)


class VxpTransport:
    """One system's connection to the axis (`system_id` is its mã trung tâm liên thông, `secret` the key VPCP gave
    it). `verify` is True (system CAs), False, or the path of a CA bundle."""

    def __init__(self, *, endpoint: str, system_id: str, secret: str, timeout: float = 30, verify: bool | str = True):
        if not endpoint.lower().startswith(("https://", "http://")):
            raise ValueError("The national axis endpoint must be an http(s) URL")
        self.endpoint = endpoint.rstrip("/")
        self.system_id = system_id
        self._secret = secret
        self.timeout = timeout
        context = ssl.create_default_context(cafile=verify if isinstance(verify, str) else None)
        if verify is False:  # the operator asked for it explicitly (a test axis with a self-signed certificate)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        self._opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context))

    def __repr__(self) -> str:  # never show the secret
        return f"VxpTransport(endpoint={self.endpoint!r}, system_id={self.system_id!r})"

    # the port

    def send(self, envelope: Envelope) -> None:
        if envelope.kind not in KINDS:
            raise PermanentFailure(f"The national axis carries edoc and status packages, not {envelope.kind!r}")
        params = {
            "Content-Type": "application/octet-stream",
            "from": envelope.sender_code,
            "to": json.dumps([envelope.to_code]),
            "servicetype": SERVICE_TYPE,
            "messagetype": envelope.kind,
            "hash-file": hash_file(envelope.payload),
        }
        answer = self._call("sendEdoc", params, body=envelope.payload)
        sent = (envelope.message_id, envelope.sender_code, envelope.to_code, answer.get("DocId"))
        logger.info("VXP sendEdoc %s %s -> %s: DocId %s", *sent)

    def fetch(self) -> Iterator[Envelope]:
        for kind in KINDS:
            params = {"Content-Type": "application/json", "servicetype": SERVICE_TYPE, "messagetype": kind}
            answer = self._call("getReceivedEdocList", params)
            items = answer.get("data") or []
            if not isinstance(items, list):
                raise TransportError("The national axis answered getReceivedEdocList without a list")
            for item in items:
                envelope = self._download(kind, item)
                if envelope is not None:
                    yield envelope

    def acknowledge(self, envelope: Envelope, *, ok: bool, reason: str = "") -> None:
        doc_id = envelope.meta.get("doc_id") or envelope.message_id.removeprefix("vxp:")
        status = "done" if ok else "fail"
        self._call("updateStatus", {"Content-Type": "application/json", "docid": str(doc_id), "status": status})
        logger.info("VXP updateStatus %s %s%s", doc_id, status, f" ({reason})" if reason else "")

    # calls

    def _download(self, kind: str, item) -> Envelope | None:
        """getEdoc for one listed item. A refusal that concerns only this document (gone, not ours, not base64) is
        logged and skipped, so one bad item cannot stop the others; it stays on the list for the next poll."""
        doc_id = str(item.get("docId") or "") if isinstance(item, dict) else ""
        if not doc_id:
            logger.warning("VXP getReceivedEdocList gave an item without a docId")
            return None
        try:
            answer = self._call("getEdoc", {"Content-Type": "application/json", "docId": doc_id})
            payload = base64.b64decode(answer.get("data") or "", validate=True)
        except PermanentFailure as error:
            if isinstance(error.__cause__, urllib.error.HTTPError) and error.__cause__.code in (401, 403):
                raise
            logger.warning("VXP getEdoc %s refused: %s", doc_id, error)
            return None
        except (binascii.Error, ValueError):
            logger.warning("VXP getEdoc %s: the data is not base64", doc_id)
            return None
        return Envelope(
            message_id=f"vxp:{doc_id}",
            kind=str(item.get("messageType") or kind),
            sender_code=str(item.get("from") or ""),
            to_code=_first_code(item.get("to")),
            payload=payload,
            meta={"doc_id": doc_id},
        )

    def _call(self, name: str, params: dict[str, str], *, body: bytes = b"") -> dict:
        """POST one signed call; the JSON answer when ErrorCode is "0", else the error the module docstring names."""
        headers = sign_headers(params, system_id=self.system_id, secret=self._secret)
        url = f"{self.endpoint}/{name}"  # http(s) only, checked in __init__
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, _read_quietly(error)
            answer = _json_or_none(raw) or {}
            code, desc = str(answer.get("ErrorCode", "")), str(answer.get("ErrorDesc", "")) or error.reason
            raise _failure(
                f"The national axis refused {name} (HTTP {status}, {code}): {desc}", http_status=status
            ) from error
        except UnicodeEncodeError as error:  # HTTP headers are Latin-1; agency codes and docIds are ASCII
            raise PermanentFailure(f"A parameter of {name} cannot travel in an HTTP header") from error
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            reason = getattr(error, "reason", None) or error
            raise TransportError(f"The national axis cannot be reached ({name}): {reason}") from error
        answer = _json_or_none(raw)
        if not isinstance(answer, dict):
            raise TransportError(f"The national axis gave an answer to {name} that is not JSON (HTTP {status})")
        code = str(answer.get("ErrorCode", ""))
        if code != "0":
            desc = answer.get("ErrorDesc", "")
            raise _failure(f"The national axis refused {name} (ErrorCode {code}): {desc}", code=code)
        return answer


def _read_quietly(error: urllib.error.HTTPError) -> bytes:
    try:
        return error.read()
    except (OSError, http.client.HTTPException):
        return b""
    finally:
        error.close()


def _json_or_none(raw: bytes):
    try:
        return json.loads(raw)
    except ValueError:
        return None
