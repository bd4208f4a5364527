"""A local clamd for the demo and the tests, with a signature database the project generates (no internet).

The database holds the EICAR test signature (as a whole-file MD5, .hdb, and as a body pattern, .ndb) and a few
harmless signatures of our own that match marker strings (TEST_MARKERS). It is written at run time under the
daemon's directory, with a clamd.conf listening only on a UNIX socket there. Production runs Debian's clamav-daemon
with freshclam instead (README, "Virus scanning").

    python scripts/clamd start|stop|status        # directory: $VANPHONG_VAR_DIR/clamd (var/clamd by default)

Only the standard library: scripts/clamd runs it before Django is set up."""

import hashlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

CLAMD = os.environ.get("VANPHONG_CLAMD_BINARY", "/usr/sbin/clamd")
START_TIMEOUT = 60.0


def eicar() -> bytes:
    """The standard 68-byte EICAR anti-virus test file, built here rather than kept in a file that scanners flag."""
    return b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-" + b"TEST-FILE!$H+H*"


# Our own harmless signatures: a file containing the marker is "infected" with the named threat.
TEST_MARKERS = {
    "Vanphong.Test.Marker": b"VANPHONG-TEST-MALWARE-SIGNATURE",
    "Vanphong.Test.Macro": b"VANPHONG-TEST-MACRO-DROPPER-7f3a",
    "Vanphong.Test.Script": b"VANPHONG-TEST-SCRIPT-PAYLOAD-c41e",
}


def write_database(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    sample = eicar()
    (directory / "vanphong.hdb").write_text(f"{hashlib.md5(sample).hexdigest()}:{len(sample)}:Test.EICAR.HDB\n")  # noqa: S324
    lines = [f"Test.EICAR.NDB:0:*:{b'EICAR-STANDARD-ANTIVIRUS-TEST-FILE'.hex()}"]
    lines += [f"{name}:0:*:{marker.hex()}" for name, marker in TEST_MARKERS.items()]
    (directory / "vanphong.ndb").write_text("\n".join(lines) + "\n")


def write_config(directory: Path) -> Path:
    config = directory / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                "Foreground yes",
                f"LocalSocket {directory / 'clamd.sock'}",
                "LocalSocketMode 600",
                f"DatabaseDirectory {directory / 'db'}",
                f"TemporaryDirectory {directory / 'tmp'}",
                f"LogFile {directory / 'clamd.log'}",
                "LogTime yes",
                "StreamMaxLength 200M",
                "MaxFileSize 200M",
                "MaxScanSize 800M",
                "MaxRecursion 16",
                "AlertExceedsMax yes",
                "AlertEncrypted yes",
                "AlertBrokenExecutables no",
                "ReadTimeout 60",
                "SelfCheck 0",
                "",
            ]
        )
    )
    return config


def socket_path(directory: Path) -> Path:
    return directory / "clamd.sock"


def ping(path: Path, timeout: float = 2.0) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(timeout)
            connection.connect(str(path))
            connection.sendall(b"zPING\0")
            return connection.recv(64).rstrip(b"\0") == b"PONG"
    except OSError:
        return False


def _pid(directory: Path) -> int | None:
    try:
        pid = int((directory / "clamd.pid").read_text().strip())
        os.kill(pid, 0)
    except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
        return None
    return pid


def start(directory: Path) -> Path:
    """Start clamd in `directory` unless it answers already; returns its socket once PING answers PONG."""
    directory = Path(directory).resolve()
    path = socket_path(directory)
    if ping(path):
        return path
    stale = _pid(directory)
    if stale:  # started but not answering: give it the rest of the time, else replace it
        if _wait(path, None, START_TIMEOUT):
            return path
        stop(directory)
    write_database(directory / "db")
    (directory / "tmp").mkdir(parents=True, exist_ok=True)
    config = write_config(directory)
    path.unlink(missing_ok=True)
    log = open(directory / "clamd.out", "ab")  # noqa: SIM115 - handed to the daemon
    process = subprocess.Popen(  # noqa: S603
        [CLAMD, "-c", str(config)],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    log.close()
    (directory / "clamd.pid").write_text(str(process.pid))
    if not _wait(path, process, START_TIMEOUT):
        stop(directory)
        raise RuntimeError(f"clamd did not start; see {directory / 'clamd.out'} and {directory / 'clamd.log'}")
    return path


def _wait(path: Path, process, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ping(path, timeout=1.0):
            return True
        if process is not None and process.poll() is not None:
            return False
        time.sleep(0.1)
    return False


def stop(directory: Path) -> None:
    """Stop the clamd started in `directory` (if any) and wait until it is gone."""
    directory = Path(directory).resolve()
    pid = _pid(directory)
    if pid is not None:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                finished, _status = os.waitpid(pid, os.WNOHANG)  # our child: reap it
                if finished:
                    break
            except ChildProcessError:  # not our child: poll
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
            time.sleep(0.05)
        else:
            os.kill(pid, signal.SIGKILL)
    (directory / "clamd.pid").unlink(missing_ok=True)
    socket_path(directory).unlink(missing_ok=True)


def status(directory: Path) -> bool:
    return ping(socket_path(Path(directory).resolve()))
