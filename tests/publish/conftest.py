"""What the publishing tests share: a stand-in GitHub API on 127.0.0.1."""

from __future__ import annotations

import pytest
from support.github_standin import StandIn, serve


@pytest.fixture
def github():
    """The stand-in API, served for one test."""
    stand_in = StandIn()
    server = serve(stand_in)
    yield stand_in
    server.shutdown()
    server.server_close()
