"""Real channels for tests: an SMTP server (aiosmtpd) and an enterprise IM robot's webhook
(a local HTTP server), each on 127.0.0.1, with Django's settings pointed at them. A pytest
plugin of the suite (``tests/conftest.py``): any test may ask for ``smtp_sink`` or ``robot``.
"""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """An SMTP server's mailbox: every message it accepted, as raw bytes."""

    def __init__(self):
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.original_content or envelope.content)
        return "250 OK"


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on 127.0.0.1 (aiosmtpd) and Django's SMTP backend pointed at it."""
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield sink
    finally:
        controller.stop()


class Robot:
    """A group robot's webhook: records each POST's JSON and answers ``status`` / ``answer``."""

    def __init__(self):
        self.posts: list[dict] = []
        self.paths: list[str] = []
        self.status = 200
        self.answer: dict = {"errcode": 0, "errmsg": "ok"}
        self.headers: dict = {}


@pytest.fixture
def robot(settings):
    state = Robot()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            state.posts.append(json.loads(self.rfile.read(length)))
            state.paths.append(self.path)
            body = json.dumps(state.answer).encode()
            self.send_response(state.status)
            for name, value in state.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/webhook/send?key=k"
    settings.NOTIFY_WEBHOOK_URL = state.url
    settings.NOTIFY_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.NOTIFY_WEBHOOK_STYLE = "wecom"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
