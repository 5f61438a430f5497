"""Wait for the visitor of a page that Voila prepared ahead, without importing Voila's server.

A kernel from Voila's preheated pool runs the notebook before anyone asks for the page. When a
visitor arrives, Voila sends that request's details (its query string among them) over a
websocket, `voila/query/<kernel id>`, and they become environment variables. Voila's own
helper does the same, but importing it loads Voila's whole server into the kernel (jupyter
server, jsonschema and its grammars: several seconds per kernel, paid before every page).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping

OPEN_TIMEOUT_S = 5


def query_url(env: Mapping[str, str]) -> str | None:
    """Where Voila answers this kernel's request details; None outside a preheated kernel."""
    if env.get("VOILA_PREHEAT", "False") == "False" or not env.get("VOILA_KERNEL_ID"):
        return None
    protocol = env.get("VOILA_WS_PROTOCOL", "ws")
    host = env.get("VOILA_APP_IP", "127.0.0.1")
    port = env.get("VOILA_APP_PORT", "8866")
    base = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{host}:{port}{base}voila/query/{env['VOILA_KERNEL_ID']}"


def wait_for_request() -> None:
    """Block until a visitor takes this kernel, then put the request's details (strings only)
    in the environment. Outside a preheated kernel, or when Voila cannot be reached, returns
    at once and the page is built without them."""
    url = query_url(os.environ)
    if url is None:
        return
    from websockets.exceptions import WebSocketException
    from websockets.sync.client import connect

    try:
        with connect(url, open_timeout=OPEN_TIMEOUT_S, max_size=2**20) as socket:
            message = socket.recv()
        details = json.loads(message)
    except (OSError, TimeoutError, WebSocketException, ValueError):
        return
    if isinstance(details, dict):
        os.environ.update({key: value for key, value in details.items()
                           if isinstance(key, str) and isinstance(value, str)})
