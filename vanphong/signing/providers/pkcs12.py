"""A key kept in a PKCS#12 file (.p12/.pfx): the agency's seal key on the server, the demo and the tests."""

from pathlib import Path

from django.utils.translation import gettext as _
from pyhanko.sign import signers

from vanphong.signing.errors import SigningError

from .base import Signer


class Pkcs12Signer(Signer):
    def __init__(self, *, data: bytes | None = None, path: str | Path | None = None, passphrase: bytes | None = None):
        if (data is None) == (path is None):
            raise TypeError("give exactly one of data or path")
        self._data = data if data is not None else Path(path).read_bytes()
        self._passphrase = passphrase
        self._signer = None

    def pyhanko_signer(self) -> signers.SimpleSigner:
        if self._signer is None:
            try:
                self._signer = signers.SimpleSigner.load_pkcs12_data(
                    self._data, other_certs=(), passphrase=self._passphrase
                )
            except ValueError as error:
                raise SigningError(_("The key file could not be opened: check the file and its password.")) from error
        return self._signer
