"""A key on a PKCS#11 token: the agency's seal on an HSM, or a token the server can reach. Tested against SoftHSM2
(Debian's softhsm2), which stands in for a USB token. Officials' personal USB tokens sit on their own PCs: those
sign through the deferred ("hash out, signature back") adapter instead."""

from django.utils.translation import gettext as _
from pkcs11.exceptions import PKCS11Error
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

from vanphong.signing.errors import SigningError

from .base import Signer

SOFTHSM2_MODULE = "/usr/lib/softhsm/libsofthsm2.so"  # where Debian's softhsm2 installs its module


class Pkcs11Signer(Signer):
    """Opens a session on first use; close() (or a `with` block) ends it. The key never leaves the token."""

    def __init__(
        self,
        *,
        module_path: str,
        token_label: str,
        pin: str,
        key_label: str,
        cert_label: str | None = None,
        other_cert_labels: tuple[str, ...] = (),
    ):
        self.module_path, self.token_label, self.pin = module_path, token_label, pin
        self.key_label, self.cert_label, self.other_cert_labels = key_label, cert_label or key_label, other_cert_labels
        self._session = None
        self._signer = None

    def pyhanko_signer(self) -> PKCS11Signer:
        if self._signer is None:
            try:
                self._session = open_pkcs11_session(
                    self.module_path, token_criteria=TokenCriteria(label=self.token_label), user_pin=self.pin
                )
            except (PKCS11Error, OSError) as error:
                raise SigningError(
                    _("The token «%(token)s» cannot be opened: check that it is plugged in and the PIN.")
                    % {"token": self.token_label}
                ) from error
            # generous room for the signature: issue #515 in signing-security.md (ByteRange payload with a stamp)
            self._signer = PKCS11Signer(
                self._session,
                cert_label=self.cert_label,
                key_label=self.key_label,
                other_certs_to_pull=self.other_cert_labels,
            )
        return self._signer

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
        self._session = self._signer = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
