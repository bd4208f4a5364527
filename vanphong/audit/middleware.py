from .context import acting


def client_address(request) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is set by clients too. A deployment behind a proxy sets REMOTE_ADDR from the
    # proxy's header in the proxy itself (e.g. nginx real_ip), where it can be trusted.
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user if request.user.is_authenticated else None
        with acting(actor=user, ip_address=client_address(request)):
            return self.get_response(request)
