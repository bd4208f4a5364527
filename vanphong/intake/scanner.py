"""The virus scanner port and its clamd adapter.

    result = scanner().scan(data_or_stream)  # ScanResult(True, "") or (False, "Test.EICAR.NDB.UNOFFICIAL")

A scanner that cannot answer (not running, timed out, said anything but OK or FOUND) raises ScannerUnavailable: the
caller fails closed. The adapter is chosen by VANPHONG_VIRUS_SCANNER (a dotted path; ClamdScanner by default)."""

import os
import socket
import struct
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

CHUNK_SIZE = 64 * 1024
DEFAULT_SCANNER = "vanphong.intake.scanner.ClamdScanner"
DEFAULT_TIMEOUT = 60.0


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    threat: str = ""


class ScannerUnavailable(Exception):
    """The scanner did not give a verdict; the file is neither accepted nor issued."""


class VirusScanner(ABC):
    @abstractmethod
    def scan(self, data) -> ScanResult:
        """`data`: bytes or a binary stream (read from where it is to its end). Raises ScannerUnavailable."""


def default_socket() -> Path:
    return Path(settings.VAR_DIR) / "clamd" / "clamd.sock"


class ClamdScanner(VirusScanner):
    """clamd's INSTREAM command over its UNIX socket (VANPHONG_CLAMD_SOCKET), or over TCP when VANPHONG_CLAMD_TCP
    is "host:port". Every call opens its own connection, with a timeout (VANPHONG_CLAMD_TIMEOUT seconds)."""

    def __init__(self, *, socket_path=None, tcp=None, timeout=None):
        self.tcp = tcp if tcp is not None else getattr(settings, "VANPHONG_CLAMD_TCP", "")
        self.socket_path = str(socket_path or getattr(settings, "VANPHONG_CLAMD_SOCKET", "") or default_socket())
        self.timeout = float(timeout or getattr(settings, "VANPHONG_CLAMD_TIMEOUT", DEFAULT_TIMEOUT))

    def _connect(self) -> socket.socket:
        if self.tcp:
            host, _, port = self.tcp.rpartition(":")
            return socket.create_connection((host, int(port)), timeout=self.timeout)
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(self.timeout)
        try:
            connection.connect(self.socket_path)
        except OSError:
            connection.close()
            raise
        return connection

    def scan(self, data) -> ScanResult:
        where = self.tcp or self.socket_path
        try:
            with self._connect() as connection:
                connection.sendall(b"zINSTREAM\0")
                for chunk in _chunks(data):
                    connection.sendall(struct.pack("!L", len(chunk)) + chunk)
                connection.sendall(struct.pack("!L", 0))
                reply = b""
                while not reply.endswith(b"\0") and len(reply) < 4096:
                    part = connection.recv(4096)
                    if not part:
                        break
                    reply += part
        except OSError as error:  # refused, missing socket, timeout, reset (clamd closes when a stream is too long)
            raise ScannerUnavailable(f"clamd at {where}: {error}") from error
        answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
        if answer == "stream: OK":
            return ScanResult(clean=True)
        if answer.startswith("stream: ") and answer.endswith(" FOUND"):
            return ScanResult(clean=False, threat=answer[len("stream: ") : -len(" FOUND")].strip() or "unknown")
        raise ScannerUnavailable(f"clamd at {where} answered {answer!r}")

    def ping(self) -> bool:
        try:
            with self._connect() as connection:
                connection.sendall(b"zPING\0")
                return connection.recv(64).rstrip(b"\0") == b"PONG"
        except OSError:
            return False


def _chunks(data):
    if isinstance(data, bytes | bytearray | memoryview):
        view = memoryview(data)
        for start in range(0, len(view), CHUNK_SIZE):
            yield bytes(view[start : start + CHUNK_SIZE])
        return
    if isinstance(data, str | os.PathLike):
        with open(data, "rb") as stream:
            yield from _chunks(stream)
        return
    while chunk := data.read(CHUNK_SIZE):
        yield chunk


def scanner() -> VirusScanner:
    return import_string(getattr(settings, "VANPHONG_VIRUS_SCANNER", DEFAULT_SCANNER))()
