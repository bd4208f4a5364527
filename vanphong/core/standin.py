"""What every local stand-in for a remote service shares (the CSC signing service, the national exchange axis):
served on 127.0.0.1 at a free port, in a thread, started and stopped by the test that needs it."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LoopbackServer:
    """Mixed into a stand-in that answers each request in `_handle(request)`; `with Service(...) as service:` or
    start()/stop(); `service.url` is its base address."""

    host = "127.0.0.1"
    http_methods: tuple[str, ...] = ("POST",)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        service = self
        answers = {f"do_{method}": lambda request: service._handle(request) for method in self.http_methods}
        handler = type("Handler", (BaseHTTPRequestHandler,), {**answers, "log_message": lambda *args: None})
        self._server = ThreadingHTTPServer((self.host, 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=type(self).__name__,
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if getattr(self, "_server", None) is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
