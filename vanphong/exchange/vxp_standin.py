"""A small stand-in for the national document-exchange axis (VPCP's "VXP" API, standards.md §4.7, §5.1), for tests
and the demo: the calls a connected system makes, over stdlib HTTP on loopback, with packages held in memory.

    POST {base}/sendEdoc             from, to (JSON list), servicetype=eDoc, messagetype=edoc|status, hash-file;
                                     body = the package, raw (application/octet-stream) or as the SDK uploads it
                                     (multipart/form-data, part "file_doc")            -> DocId
    POST {base}/getReceivedEdocList  servicetype, messagetype  -> data: [{docId, serviceType, messageType, from, to,
                                     status, status_desc, created_time, updated_time}]
    POST {base}/getEdoc              docId                     -> data: the package in base64
    POST {base}/updateStatus         docid, status=processing|done|fail
    POST {base}/getSentEdocList      (optional docId)          -> data: per recipient {toCode, receiveStatus, ...}

Every call is checked as the axis checks the SDK's requests: `XroadVnpt-sign-header` (JSON of the `XroadVnpt-`
headers) must carry the HMAC-SHA256 in `XroadVnpt-hash-header` under the secret of the `systemid` it names, its keys
must be exactly the names in `XroadVnpt-sign-header-key`, each `XroadVnpt-<name>` header must repeat the signed value,
and a plain `<name>` header, when present, must agree with it (Content-Type excepted: the SDK signs
application/octet-stream and uploads multipart). Parameters are read from the signed values only. The `timestamp`
(ddMMyyyy'T'HHmmss+SSSS, UTC+07:00, SSSS the milliseconds; see transports/vxp.py) must be within five minutes.
Any of these wrong, or an unknown system: HTTP 401 {"ErrorCode": "401", "ErrorDesc": ...}.

`hash-file` must be the SHA-256 of the package, in the SDK's unpadded hex or in ordinary hex. A package is routed by
its `to` codes to the system that registered each agency (one delivery and one receiver docId per recipient; sendEdoc
answers the sender's DocId); the sender agency must belong to the calling system. A delivery is listed to its system
until that system calls updateStatus done or fail. Other refusals: HTTP 400 (malformed), 403 (an agency that is not
the caller's), 404 (unknown recipient, docId or call), each with the same code as ErrorCode. `outage` makes every call
answer that HTTP status (e.g. 503), to test retries. It holds test data only and never logs the secrets."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler

from vanphong.core.standin import LoopbackServer

PREFIX = "xroadvnpt-"
AXIS_TIMEZONE = timezone(timedelta(hours=7))
BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)
TIMESTAMP = re.compile(r"(\d{2})(\d{2})(\d{4})T(\d{2})(\d{2})(\d{2})\+(\d{3,4})")
MESSAGE_TYPES = ("edoc", "status")
STATUSES = ("initial", "processing", "done", "fail")
FINAL = ("done", "fail")
MAX_PACKAGE = 64 * 1024 * 1024


class AxisError(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _listed_time(moment: datetime) -> str:
    return moment.astimezone(AXIS_TIMEZONE).strftime("%Y/%m/%d %H:%M:%S")


@dataclass
class Delivery:
    """One package for one recipient agency: what the recipient's system lists, downloads and acknowledges."""

    doc_id: str  # the receiver's docId
    sender_doc_id: str  # the DocId sendEdoc answered
    message_type: str
    from_code: str
    to_code: str
    sender_system: str
    recipient_system: str
    data: bytes
    created: datetime
    updated: datetime
    status: str = "initial"


@dataclass
class VxpStandIn(LoopbackServer):
    """`with VxpStandIn(systems={system_id: secret}, agencies={agency_code: system_id}) as axis:` serves on
    127.0.0.1, a free port; the endpoint is `axis.url`."""

    systems: dict[str, str]
    agencies: dict[str, str]
    max_skew: timedelta = timedelta(minutes=5)
    clock: Callable[[], datetime] = _utcnow
    outage: int | None = None
    requests: list[tuple[str, str | None, int]] = field(default_factory=list)  # (call, system_id, HTTP status)
    _deliveries: dict[str, Delivery] = field(default_factory=dict)  # receiver docId -> delivery
    _inbox: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (to_code, messagetype) -> docIds
    _lock: threading.Lock = field(default_factory=threading.Lock)

    http_methods = ("POST", "GET")

    def deliveries(self) -> list[Delivery]:
        """Everything the axis holds, in the order it was sent (for tests)."""
        with self._lock:
            return list(self._deliveries.values())

    # HTTP

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        call, system_id = request.path.split("?", 1)[0].strip("/"), None
        try:
            length = int(request.headers.get("Content-Length") or 0)
            if length > MAX_PACKAGE:
                raise AxisError(413, "The package is too large")
            body = request.rfile.read(length) if length > 0 else b""
            if self.outage:
                raise AxisError(self.outage, "The axis is unavailable")
            handlers = {
                "sendEdoc": self._send_edoc,
                "getReceivedEdocList": self._received_list,
                "getEdoc": self._get_edoc,
                "updateStatus": self._update_status,
                "getSentEdocList": self._sent_list,
            }
            if call not in handlers:
                raise AxisError(404, "Unknown service")
            system_id, params = self._authenticate(request.headers)
            status, answer = 200, {"status": "OK", "ErrorCode": "0", "ErrorDesc": "Success"}
            answer.update(handlers[call](system_id, params, request.headers, body))
        except AxisError as error:
            status = error.status
            answer = {"status": "FAIL", "ErrorCode": str(error.status), "ErrorDesc": error.description}
        except ValueError:
            status, answer = 400, {"status": "FAIL", "ErrorCode": "400", "ErrorDesc": "Malformed request"}
        with self._lock:
            self.requests.append((call, system_id, status))
        payload = json.dumps(answer).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(payload)))
        request.end_headers()
        request.wfile.write(payload)

    def _authenticate(self, headers) -> tuple[str, dict[str, str]]:
        """The calling system and its signed parameters (names in lower case), or AxisError 401."""
        sign_header = headers.get("XroadVnpt-sign-header")
        hash_header = headers.get("XroadVnpt-hash-header")
        sign_keys = headers.get("XroadVnpt-sign-header-key")
        if not (sign_header and hash_header and sign_keys):
            raise AxisError(401, "The request is not signed")
        try:
            signed = json.loads(sign_header)
        except ValueError as error:
            raise AxisError(401, "The signed header is not JSON") from error
        if not isinstance(signed, dict) or not all(isinstance(v, str) for v in signed.values()):
            raise AxisError(401, "The signed header is not an object of strings")
        names = [name.strip().lower() for name in sign_keys.split(";")]
        if sorted(PREFIX + name for name in names) != sorted(key.lower() for key in signed):
            raise AxisError(401, "The signed names do not match the signed header")
        values = {key.lower().removeprefix(PREFIX): value for key, value in signed.items()}
        secret = self.systems.get(values.get("systemid", ""))
        if secret is None:
            raise AxisError(401, "Unknown system")
        expected = hmac.new(secret.encode("utf-8"), sign_header.encode("utf-8"), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, hash_header.strip().lower()):
            raise AxisError(401, "The signature does not match")
        for key, value in signed.items():
            if headers.get(key) != value:
                raise AxisError(401, f"The header {key} does not match what was signed")
        for name, value in values.items():
            plain = headers.get(name)
            if name != "content-type" and plain is not None and plain != value:
                raise AxisError(401, f"The header {name} was changed after signing")
        moment = self._timestamp(values.get("timestamp", ""))
        if abs(self.clock() - moment) > self.max_skew:
            raise AxisError(401, "The timestamp is too far from the axis's clock")
        return values["systemid"], values

    @staticmethod
    def _timestamp(text: str) -> datetime:
        match = TIMESTAMP.fullmatch(text)
        if not match or int(match[7]) > 999:
            raise AxisError(401, "The timestamp is missing or malformed")
        day, month, year, hour, minute, second, millis = (int(part) for part in match.groups())
        try:
            return datetime(year, month, day, hour, minute, second, millis * 1000, tzinfo=AXIS_TIMEZONE)
        except ValueError as error:
            raise AxisError(401, "The timestamp is missing or malformed") from error

    # calls

    def _send_edoc(self, system_id, params, headers, body):
        if params.get("servicetype", "").lower() != "edoc":
            raise AxisError(400, "servicetype must be eDoc")
        message_type = params.get("messagetype", "")
        if message_type not in MESSAGE_TYPES:
            raise AxisError(400, "messagetype must be edoc or status")
        from_code = params.get("from", "")
        if not from_code:
            raise AxisError(400, "The from header is missing")
        if self.agencies.get(from_code) != system_id:
            raise AxisError(403, f"The agency {from_code} is not connected through this system")
        to_codes = self._recipients(params.get("to", ""))
        unknown = [code for code in to_codes if code not in self.agencies]
        if unknown:
            raise AxisError(404, f"Unknown recipient agency: {', '.join(unknown)}")
        package = self._package(headers.get("Content-Type", ""), body)
        if not package:
            raise AxisError(400, "The package is empty")
        digest = hashlib.sha256(package).digest()
        accepted = {digest.hex(), "".join(format(byte, "x") for byte in digest)}
        if params.get("hash-file", "").strip().lower() not in accepted:
            raise AxisError(400, "hash-file does not match the package")
        sender_doc_id, now = str(uuid.uuid4()), self.clock()
        with self._lock:
            for to_code in to_codes:
                delivery = Delivery(
                    doc_id=str(uuid.uuid4()),
                    sender_doc_id=sender_doc_id,
                    message_type=message_type,
                    from_code=from_code,
                    to_code=to_code,
                    sender_system=system_id,
                    recipient_system=self.agencies[to_code],
                    data=package,
                    created=now,
                    updated=now,
                )
                self._deliveries[delivery.doc_id] = delivery
                self._inbox.setdefault((to_code, message_type), []).append(delivery.doc_id)
        return {"DocId": sender_doc_id}

    @staticmethod
    def _recipients(text: str) -> list[str]:
        try:
            codes = json.loads(text) if text.startswith("[") else [text] if text else []
        except ValueError as error:
            raise AxisError(400, "The to header is not a JSON list") from error
        if not isinstance(codes, list) or not all(isinstance(code, str) and code for code in codes):
            raise AxisError(400, "The to header is not a list of agency codes")
        if not codes:
            raise AxisError(400, "The to header is missing (this stand-in does not read the edXML header)")
        return list(dict.fromkeys(codes))

    @staticmethod
    def _package(content_type: str, body: bytes) -> bytes:
        """The raw body, or the `file_doc` part of a multipart/form-data upload (as the SDK sends it)."""
        if not content_type.lower().startswith("multipart/form-data"):
            return body
        # Read by hand: the SDK's boundary ("===<millis>===") is not a valid unquoted MIME parameter.
        found = BOUNDARY.search(content_type)
        if not found:
            raise AxisError(400, "The multipart upload has no boundary")
        delimiter = b"--" + found[1].encode("latin-1")
        for part in body.split(delimiter)[1:]:
            if part.startswith(b"--"):
                break
            head, _blank, content = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
            if re.search(rb'(?im)^content-disposition:.*\bname="?file_doc"?', head):
                return content.removesuffix(b"\r\n")
        raise AxisError(400, "The upload has no file_doc part")

    def _received_list(self, system_id, params, headers, body):
        message_type = params.get("messagetype", "edoc")
        if message_type not in MESSAGE_TYPES:
            raise AxisError(400, "messagetype must be edoc or status")
        items = []
        with self._lock:
            for (to_code, kind), doc_ids in self._inbox.items():
                if kind != message_type or self.agencies.get(to_code) != system_id:
                    continue
                for doc_id in doc_ids:
                    d = self._deliveries[doc_id]
                    items.append(
                        {
                            "docId": d.doc_id,
                            "serviceType": "eDoc",
                            "messageType": d.message_type,
                            "from": d.from_code,
                            "to": d.to_code,
                            "status": d.status,
                            "status_desc": d.status,
                            "created_time": _listed_time(d.created),
                            "updated_time": _listed_time(d.updated),
                        }
                    )
        return {"data": items}

    def _own_delivery(self, system_id, doc_id) -> Delivery:
        delivery = self._deliveries.get(doc_id)
        if delivery is None or delivery.recipient_system != system_id:
            raise AxisError(404, "No such document")  # another system's document is not disclosed
        return delivery

    def _get_edoc(self, system_id, params, headers, body):
        with self._lock:
            delivery = self._own_delivery(system_id, params.get("docid", ""))
            data = delivery.data
        return {"data": base64.b64encode(data).decode("ascii")}

    def _update_status(self, system_id, params, headers, body):
        status = params.get("status", "")
        if status not in STATUSES:
            raise AxisError(400, "status must be one of " + ", ".join(STATUSES))
        with self._lock:
            delivery = self._own_delivery(system_id, params.get("docid", ""))
            delivery.status, delivery.updated = status, self.clock()
            inbox = self._inbox.get((delivery.to_code, delivery.message_type), [])
            if status in FINAL and delivery.doc_id in inbox:
                inbox.remove(delivery.doc_id)
        return {}

    def _sent_list(self, system_id, params, headers, body):
        wanted = params.get("docid")
        with self._lock:
            sent = [
                d
                for d in self._deliveries.values()
                if d.sender_system == system_id and (not wanted or d.sender_doc_id == wanted)
            ]
            items = [
                {
                    "serviceType": "eDoc",
                    "messageType": d.message_type,
                    "fromCode": d.from_code,
                    "toCode": d.to_code,
                    "senderDocId": d.sender_doc_id,
                    "receiverDocId": d.doc_id,
                    "sendStatus": "done",
                    "sendStatusDesc": "done",
                    "receiveStatus": d.status,
                    "receiveStatusDesc": d.status,
                    "sentTime": _listed_time(d.created),
                    "receivedTime": _listed_time(d.updated) if d.status in FINAL else "",
                }
                for d in sent
            ]
        return {"data": items}


def start_standin(systems: dict[str, str], agencies: dict[str, str], **options) -> tuple[VxpStandIn, str]:
    """Start an axis on 127.0.0.1, a free port: `systems` maps each system_id to its secret, `agencies` each agency
    code to the system_id it is connected through. Returns the stand-in (stop it with `.stop()`) and its URL."""
    axis = VxpStandIn(systems=dict(systems), agencies=dict(agencies), **options).start()
    return axis, axis.url
