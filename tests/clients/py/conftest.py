"""Connections to malgomo-mcp through the official Python MCP SDK (2.x) in the
2025 (session) era, two ways: its low-level `streamable_http_client` +
`ClientSession`, and its high-level `Client` with `mode="legacy"` (its
default, `mode="auto"`, probes `server/discover` first: test_modern_client.py). Every
test that takes `connect` runs once with each. The server URL comes from
MALGOMO_MCP_URL (set by scripts/client-tests)."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx2
import pytest
from mcp import Client, ClientSession
from mcp.client.streamable_http import streamable_http_client

MCP_URL = os.environ.get("MALGOMO_MCP_URL", "http://127.0.0.1:8080/mcp")


@dataclass
class Recorder:
    """httpx2 event hooks: every exchange the SDK made, and the session id it was given."""

    exchanges: list[tuple[str, str | None, int]] = field(default_factory=list)
    session_id: str | None = None

    async def on_response(self, response: httpx2.Response) -> None:
        request = response.request
        if request.url.path != "/mcp":
            return  # OAuth endpoints (mode A): not MCP traffic
        rpc = json.loads(request.content).get("method") if request.content else None
        self.exchanges.append((request.method, rpc, response.status_code))
        self.session_id = response.headers.get("mcp-session-id", self.session_id)

    def rpc_methods(self) -> list[str]:
        return [rpc for method, rpc, _ in self.exchanges if method == "POST" and rpc]


@dataclass
class Connection:
    """An initialized MCP connection; `api` is a `ClientSession` or a `Client`
    (both offer `list_tools` and `call_tool`)."""

    kind: str  # "lowlevel" or "client" (mode="legacy")
    api: Any
    server_name: str
    protocol_version: str
    recorder: Recorder
    http: httpx2.AsyncClient

    async def call(self, tool: str, **arguments: Any) -> Any:
        return await self.api.call_tool(tool, arguments)

    async def login(self, email: str, password: str) -> None:
        result = await self.call("malgomo_login", email=email, password=password)
        assert not result.is_error, text(result)


def text(result: Any) -> str:
    return "\n".join(getattr(block, "text", "") for block in result.content)


@asynccontextmanager
async def _lowlevel(recorder: Recorder, http: httpx2.AsyncClient) -> AsyncIterator[Connection]:
    async with streamable_http_client(MCP_URL, http_client=http) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            yield Connection("lowlevel", session, init.server_info.name, init.protocol_version, recorder, http)


@asynccontextmanager
async def _client(recorder: Recorder, http: httpx2.AsyncClient) -> AsyncIterator[Connection]:
    # The transport is passed in only so the recorder sees its traffic;
    # Client(MCP_URL) builds the same streamable_http_client itself.
    async with Client(streamable_http_client(MCP_URL, http_client=http), mode="legacy") as client:
        assert client.server_info is not None
        yield Connection("client", client, client.server_info.name, client.protocol_version, recorder, http)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=["lowlevel", "client"])
async def connect(
    request: pytest.FixtureRequest,
) -> AsyncIterator[Callable[[], AbstractAsyncContextManager[Connection]]]:
    """A factory of connections through one SDK API; the HTTP client outlives them."""
    recorder = Recorder()
    # The SDK's own defaults: the GET stream may stay idle for long.
    timeout = httpx2.Timeout(30.0, read=300.0)
    async with httpx2.AsyncClient(timeout=timeout, event_hooks={"response": [recorder.on_response]}) as http:
        opener = _lowlevel if request.param == "lowlevel" else _client
        yield lambda: opener(recorder, http)
