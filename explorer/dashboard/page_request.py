"""Wait for the visitor of a page that Voila prepared ahead, without importing Voila's server.

A kernel from Voila's preheated pool runs the notebook before anyone asks for the page. When a
visitor arrives, Voila sends that request's details (its query string among them) over a
websocket, `voila/query/<kernel id>`; `wait_for_request` returns them (the environment is
never written; see `Settings.with_page_request`). Voila's own helper writes them into the
environment, and importing it loads Voila's whole server into the kernel (jupyter
server, jsonschema and its grammars: several seconds per kernel, paid before every page).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from explorer.ground.settings import Settings

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


def wait_for_request(settings: Settings | None = None) -> dict[str, str]:
    """Block until a visitor takes this kernel, then return the request's details.

    Args:
        settings: where Voila's variables were read; None reads the environment now.

    Returns:
        The details Voila sent (strings only); empty outside a preheated kernel or when Voila
        cannot be reached, and the page is then built without them.
    """
    settings = settings if settings is not None else Settings.from_environment()
    url = query_url(dict(settings.voila))
    if url is None:
        return {}
    from websockets.exceptions import WebSocketException
    from websockets.sync.client import connect

    try:
        with connect(url, open_timeout=OPEN_TIMEOUT_S, max_size=2**20) as socket:
            message = socket.recv()
        details = json.loads(message)
    except (OSError, TimeoutError, WebSocketException, ValueError):
        return {}
    if not isinstance(details, dict):
        return {}
    return {key: value for key, value in details.items()
            if isinstance(key, str) and isinstance(value, str)}
