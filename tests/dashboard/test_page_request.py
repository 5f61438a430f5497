"""A preheated Voila kernel learns its visitor's request over Voila's query websocket, without
loading Voila's server into the kernel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest
from websockets.sync.server import serve

from explorer.dashboard.page_request import query_url, wait_for_request
from explorer.ground.settings import Settings


def test_query_url_only_in_a_preheated_kernel():
    assert query_url({}) is None
    assert query_url({"VOILA_PREHEAT": "False", "VOILA_KERNEL_ID": "k"}) is None
    assert query_url({"VOILA_PREHEAT": "True", "VOILA_KERNEL_ID": "abc", "VOILA_APP_PORT": "9000",
                      "VOILA_SERVER_URL": "/app/"}) == "ws://127.0.0.1:9000/app/voila/query/abc"


@pytest.fixture
def voila_query_socket():
    """A websocket that sends one visitor's details, as Voila does when a visitor arrives."""
    paths = []

    def handler(connection):
        paths.append(connection.request.path)
        connection.send(json.dumps({"QUERY_STRING": "repo=x&base=a&head=b", "NUMBER": 3}))

    with serve(handler, "127.0.0.1", 0) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield server.socket.getsockname()[1], paths
        server.shutdown()


def test_the_visitors_query_string_reaches_the_page_not_the_environment(monkeypatch,
                                                                        voila_query_socket):
    port, paths = voila_query_socket
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_KERNEL_ID", "kernel-1")
    monkeypatch.setenv("VOILA_APP_PORT", str(port))
    monkeypatch.setenv("QUERY_STRING", "before")  # (set here so that the test's end restores it)
    details = wait_for_request()
    assert paths == ["/voila/query/kernel-1"]
    assert details == {"QUERY_STRING": "repo=x&base=a&head=b"}  # only strings are details
    assert os.environ["QUERY_STRING"] == "before"  # the environment is never written
    assert Settings.from_environment().with_page_request(details).page_query == \
        "repo=x&base=a&head=b"


def test_an_unreachable_voila_does_not_hang_the_page(monkeypatch):
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_KERNEL_ID", "kernel-1")
    monkeypatch.setenv("VOILA_APP_PORT", "1")  # nothing listens there
    monkeypatch.setenv("QUERY_STRING", "before")
    assert wait_for_request() == {}
    assert os.environ["QUERY_STRING"] == "before"


def test_the_notebook_cell_does_not_load_voilas_server():
    code = ("import sys; from explorer.dashboard.launch import dashboard_for_page; "
            "print(sorted(m for m in ('voila', 'jupyter_server', 'jsonschema') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
