"""A key held by a remote signing service speaking the Cloud Signature Consortium API v1 (1.0.4.0), through pyHanko's
CSCSigner (signing-security.md §1.6): the certificate chain comes from credentials/info, each signature is
authorised by credentials/authorize (the SAD, with the PIN or OTP when the service asks for one) and made by
signatures/signHash. Getting the OAuth access token is the caller's business (the service's login flow).

pyHanko's synchronous entry points run their own event loop (asyncio.run) and an aiohttp session belongs to one loop,
so the adapter opens a short-lived aiohttp session per request, in whatever loop makes it."""

import asyncio
import contextlib

import aiohttp
from django.utils.translation import gettext as _
from pyhanko.sign.general import SigningError as PyhankoSigningError
from pyhanko.sign.signers.csc_signer import (
    CSCAuthorizationInfo,
    CSCAuthorizationManager,
    CSCServiceSessionInfo,
    CSCSigner,
    fetch_certs_in_csc_credential,
)

from vanphong.signing.errors import SigningError

from .base import Signer

TIMEOUT = 30


class _SessionPerRequest:
    """Quacks like the part of aiohttp.ClientSession that CSCSigner uses (`post` as an async context manager), with
    a fresh session in the running loop for each request, closed with it."""

    def __init__(self, **session_options):
        self.session_options = session_options

    @contextlib.asynccontextmanager
    async def post(self, url, **options):
        async with aiohttp.ClientSession(**self.session_options) as session, session.post(url, **options) as response:
            yield response


def _refusal(error: BaseException) -> SigningError:
    """Our user-facing error for a failed call to the service (pyHanko wraps aiohttp's error as __cause__)."""
    cause = error
    while cause is not None and not isinstance(cause, aiohttp.ClientError):
        cause = cause.__cause__
    if isinstance(cause, aiohttp.ClientResponseError) and cause.status in (401, 403):
        return SigningError(
            _("The remote signing service refused the access token: sign in to the signing service again.")
        )
    if isinstance(cause, aiohttp.ClientResponseError):
        return SigningError(
            _("The remote signing service refused the request (HTTP %(status)d): check the account and the PIN.")
            % {"status": cause.status}
        )
    if isinstance(cause, aiohttp.ClientError | asyncio.TimeoutError):
        return SigningError(_("The remote signing service cannot be reached: try again later."))
    return SigningError(_("The remote signing service gave an answer that cannot be used."))


class _AuthorizeEachSignature(CSCAuthorizationManager):
    """Calls credentials/authorize for every batch (hashes pinned when the credential is SCAL 2)."""

    def __init__(self, session_info, credential_info, *, session, pin=None, otp=None, description=None):
        super().__init__(session_info, credential_info)
        self.session, self.pin, self.otp, self.description = session, pin, otp, description

    async def authorize_signature(self, hash_b64s: list[str]) -> CSCAuthorizationInfo:
        request = self.format_csc_auth_request(
            num_signatures=len(hash_b64s),
            pin=self.pin,
            otp=self.otp,
            hash_b64s=hash_b64s if self.credential_info.hash_pinning_required else None,
            description=self.description,
        )
        try:
            async with self.session.post(
                self.csc_session_info.endpoint_url("credentials/authorize"),
                headers=self.auth_headers,
                json=request,
                raise_for_status=True,
                timeout=aiohttp.ClientTimeout(total=TIMEOUT),
            ) as response:
                answer = await response.json()
        except (TimeoutError, aiohttp.ClientError) as error:
            raise _refusal(error) from error
        try:
            return self.parse_csc_auth_response(answer)
        except PyhankoSigningError as error:
            raise _refusal(error) from error


class CscSigner(Signer):
    """`CscSigner(service_url=..., credential_id=..., token=...)`; `service_url` is the part before `/csc/v1/...`."""

    def __init__(
        self,
        *,
        service_url: str,
        credential_id: str,
        token: str,
        pin: str | None = None,
        otp: str | None = None,
        description: str | None = None,
        sign_timeout: int = 300,
    ):
        self.session_info = CSCServiceSessionInfo(
            service_url=service_url.rstrip("/"), credential_id=credential_id, oauth_token=token
        )
        self.pin, self.otp, self.description, self.sign_timeout = pin, otp, description, sign_timeout
        self.session = _SessionPerRequest()
        self._signer = None

    async def async_pyhanko_signer(self) -> CSCSigner:
        if self._signer is None:
            try:
                credential_info = await fetch_certs_in_csc_credential(self.session, self.session_info, timeout=TIMEOUT)
            except PyhankoSigningError as error:
                raise _refusal(error) from error
            manager = _AuthorizeEachSignature(
                self.session_info,
                credential_info,
                session=self.session,
                pin=self.pin,
                otp=self.otp,
                description=self.description,
            )
            self._signer = CSCSigner(self.session, manager, sign_timeout=self.sign_timeout)
        return self._signer

    def pyhanko_signer(self) -> CSCSigner:
        if self._signer is None:
            asyncio.run(self.async_pyhanko_signer())
        return self._signer

    def sign(self, *, pdf: bytes, **placement) -> bytes:
        """As Signer.sign, with the service's refusals during signing (signHash) turned into our errors."""
        try:
            return super().sign(pdf=pdf, **placement)
        except PyhankoSigningError as error:
            raise _refusal(error) from error
