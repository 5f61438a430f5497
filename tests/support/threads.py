"""Serving a test's local HTTP server from a thread."""

from __future__ import annotations

import threading
from socketserver import BaseServer

# How often serve_forever looks for a shutdown: the standard library's 0.5 s made every
# test that stops a server wait half a second.
SHUTDOWN_POLL_S = 0.02


def serve_in_thread(server: BaseServer) -> threading.Thread:
    """Start `server.serve_forever` in a daemon thread; `server.shutdown()` returns at once."""
    thread = threading.Thread(target=server.serve_forever, daemon=True,
                              kwargs={"poll_interval": SHUTDOWN_POLL_S})
    thread.start()
    return thread
