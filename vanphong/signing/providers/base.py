"""The port every key source implements. The workflow (outgoing documents, the clerk's agency signature) only ever
sees `Signer`: a PKCS#12 file, a PKCS#11 token, a deferred plugin or a remote CSC service are adapters behind it."""

from abc import ABC, abstractmethod

from asn1crypto import x509
from pyhanko.sign import signers


class Signer(ABC):
    """A key that can sign PDFs. Adapters give pyHanko a signer object; `sign` applies a visible PAdES signature."""

    @abstractmethod
    def pyhanko_signer(self) -> signers.Signer:
        """The pyHanko signer holding (or reaching) the key, with the certificate chain to embed."""

    @property
    def certificate(self) -> x509.Certificate:
        return self.pyhanko_signer().signing_cert

    def sign(self, *, pdf: bytes, **placement) -> bytes:
        """Sign `pdf` incrementally; `placement` is what services.sign_pdf takes besides pdf and signer."""
        from vanphong.signing.services import sign_pdf

        return sign_pdf(pdf=pdf, signer=self, **placement)
