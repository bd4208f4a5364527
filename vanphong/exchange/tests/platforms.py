"""Several vanphong platforms on one machine, each its own processes and database, talking over loopback: what the
interconnection tests run against. A platform here is a web server (the inbox), an outbox sender and, where a
test asks, its clerks (platform_script.py)."""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from django.conf import settings

PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def migrated_database(directory: Path) -> Path:
    """One migrated SQLite file, copied for each platform, and kept between runs while the migrations stay the
    same (migrating three times would triple the wait)."""
    migrations = sorted(Path(settings.BASE_DIR, "vanphong").glob("*/migrations/0*.py"))
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in migrations)).hexdigest()[:16]
    path = Path(settings.VAR_DIR) / f"exchange-test-template-{digest}.sqlite3"
    if not path.exists():
        building = directory / "template.sqlite3"
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "vanphong.exchange.tests.platform_settings",
            "VANPHONG_VAR_DIR": str(directory),
            "VANPHONG_DATABASE_URL": f"sqlite:///{building}",
        }
        subprocess.run([PYTHON, "-m", "vanphong.cli", "migrate", "-v0"], env=environment, check=True)
        for stale in path.parent.glob("exchange-test-template-*.sqlite3"):
            stale.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(building, path)
    return path


class Platform:
    def __init__(self, name: str, root: Path, template: Path):
        self.name = name
        self.directory = root / name
        self.directory.mkdir(parents=True)
        shutil.copy(template, self.directory / "db.sqlite3")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.processes: dict[str, subprocess.Popen] = {}
        self.environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "vanphong.exchange.tests.platform_settings",
            "VANPHONG_VAR_DIR": str(self.directory),
            "VANPHONG_DATABASE_URL": f"sqlite:///{self.directory / 'db.sqlite3'}",
            "VANPHONG_SECRET_KEY": secrets.token_urlsafe(40),
            "VANPHONG_EXCHANGE_NAME": name,
            "VANPHONG_EXCHANGE_RETRY_BASE": "0.2",
            "VANPHONG_EXCHANGE_RETRY_MAX": "1",
            "VANPHONG_EXCHANGE_TIMEOUT": "5",
            "VANPHONG_TASK_BACKEND": "inprocess",
            "VANPHONG_TSA_URL": "",
            "VANPHONG_CLAMD_SOCKET": settings.VANPHONG_CLAMD_SOCKET,
            "VANPHONG_QUARANTINE_DIR": str(self.directory / "quarantine"),
            "VANPHONG_LOG_LEVEL": "WARNING",
        }

    def script(self, *arguments: str) -> str:
        """Run a platform_script action to its end; returns what it printed."""
        done = subprocess.run(
            [PYTHON, "-m", "vanphong.exchange.tests.platform_script", *arguments],
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"{self.name} {arguments[0]}: {done.stderr[-3000:]}"
        return done.stdout

    def query(self, sql: str) -> list[tuple]:
        """Read this platform's database directly: cheaper than starting a process to ask it."""
        with closing(sqlite3.connect(self.directory / "db.sqlite3", timeout=20)) as connection:
            return connection.execute(sql).fetchall()

    def report(self) -> dict:
        """What this platform holds: its messages by (direction, kind, state, status), its arrivals, its
        recipients' tracking states."""
        return {
            "messages": [
                list(row)
                for row in self.query(
                    "SELECT direction, kind, state, status_code, count(*) FROM exchange_message GROUP BY 1, 2, 3, 4"
                )
            ],
            "arrivals": [
                list(row)
                for row in self.query(
                    "SELECT a.code, d.number, d.notation, d.state FROM incoming_incomingdocument d "
                    "LEFT JOIN organizations_agency a ON a.id = d.issuer_id"
                )
            ],
            "recipients": [
                list(row)
                for row in self.query(
                    "SELECT d.number, r.state FROM outgoing_recipient r JOIN outgoing_outgoingdocument d "
                    "ON d.id = r.document_id"
                )
            ],
        }

    def start(self, role: str, *command: str) -> None:
        log = open(self.directory / f"{role}.log", "ab")  # noqa: SIM115 (kept open by the child)
        self.processes[role] = subprocess.Popen(
            [PYTHON, "-m", *command],
            env={**self.environment, "VANPHONG_TASK_BACKEND": "thread"},  # a request never waits for the outbox
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def up(self, *, clerks: bool = False) -> None:
        """Start the platform (platform_script serve) and wait until its inbox answers."""
        self.start(
            "platform",
            "vanphong.exchange.tests.platform_script",
            "serve",
            str(self.port),
            *(["--clerks"] if clerks else []),
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"{self.name} did not start: {(self.directory / 'platform.log').read_text()[-2000:]}")

    def kill(self, *roles: str) -> None:
        """Killed, not stopped: what a power cut or a crash does."""
        for role in roles or list(self.processes):
            process = self.processes.pop(role, None)
            if process is not None:
                process.send_signal(signal.SIGKILL)
                process.wait()


def shared_secret(directory: Path, name: str) -> str:
    """A secret two operators agree on, in a file readable by its owner only."""
    path = directory / f"{name}.secret"
    path.write_text(secrets.token_hex(32))
    path.chmod(0o600)
    return str(path)
