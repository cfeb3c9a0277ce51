"""The pytest fixtures every third-party client's tests share (each client's
conftest.py imports them): asyncio for anyio, and a recording relay in front
of each server, one per test."""

import pytest
from malgomo_clients import MCP_URL, OAUTH_URL, Wire


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def wire_b():
    """A relay in front of the mode-B server."""
    wire = Wire(MCP_URL.removesuffix("/mcp"))
    yield wire
    wire.close()


@pytest.fixture
def wire_a():
    """A relay in front of the mode-A (OAuth) server."""
    if not OAUTH_URL:
        pytest.skip("MALGOMO_OAUTH_URL (mode A server) not set")
    wire = Wire(OAUTH_URL)
    yield wire
    wire.close()
