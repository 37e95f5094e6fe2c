"""A loopback listener that records whether anything connected to it: the target a
hostile query would make the service fetch."""

from __future__ import annotations

import socket
import threading


class Listener:
    """Accepts connections on a free loopback port, counts them, answers each with a
    small SPARQL result (so that a fetch, if one happened, would succeed and show)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.contacts = 0
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        body = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"fetched"}}]}}'
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.contacts += 1
            with conn:
                conn.settimeout(2)
                try:
                    conn.recv(65536)
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                                 b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n"
                                 + body)
                except OSError:
                    pass

    def close(self) -> None:
        self._stop = True
        self.sock.close()
