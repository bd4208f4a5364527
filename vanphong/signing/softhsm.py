"""A SoftHSM2 token loaded with a key from the test PKI, standing in for a USB token or an HSM in the tests, the
benchmark and a demo. Uses Debian's softhsm2 and opensc (pkcs11-tool), as an operator would."""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from .providers.pkcs11 import SOFTHSM2_MODULE


@dataclass(frozen=True)
class Token:
    config: Path  # the SOFTHSM2_CONF file naming the token directory
    label: str
    pin: str
    key_label: str
    ca_label: str


def create_token(
    directory: Path,
    *,
    issued,
    ca_cert,
    label="VANPHONG-TEST",
    pin="246810",
    so_pin="13579113",
    key_label="seal",
    ca_label="issuing-ca",
) -> Token:
    """Initialise a token in `directory` and write `issued`'s key and certificate (id 01) and `ca_cert` (id 02).
    Set SOFTHSM2_CONF to the returned config before opening the token."""
    if not os.path.exists(SOFTHSM2_MODULE) or not shutil.which("pkcs11-tool"):
        raise RuntimeError(
            "SoftHSM2 and pkcs11-tool are missing: install Debian's softhsm2 and opensc (make test does)."
        )
    directory = Path(directory)
    (directory / "tokens").mkdir(parents=True, exist_ok=True)
    config = directory / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {directory / 'tokens'}\nobjectstore.backend = file\n")
    env = {**os.environ, "SOFTHSM2_CONF": str(config)}

    def run(*command):
        subprocess.run(command, check=True, capture_output=True, env=env)  # noqa: S603 (fixed tools, our arguments)

    run("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", so_pin)
    der = serialization.Encoding.DER
    objects = [
        (
            "privkey",
            key_label,
            "01",
            issued.key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
        ),
        ("cert", key_label, "01", issued.cert.public_bytes(der)),
        ("cert", ca_label, "02", ca_cert.public_bytes(der)),
    ]
    tool = ["pkcs11-tool", "--module", SOFTHSM2_MODULE, "--token-label", label, "--login", "--pin", pin]
    for kind, object_label, object_id, data in objects:
        path = directory / f"{object_label}-{kind}.der"
        path.write_bytes(data)
        try:
            run(*tool, "--write-object", str(path), "--type", kind, "--label", object_label, "--id", object_id)
        finally:
            path.unlink()  # the key now lives only on the token
    return Token(config=config, label=label, pin=pin, key_label=key_label, ca_label=ca_label)
