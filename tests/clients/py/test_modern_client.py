"""The Python SDK 2.x high-level `Client` with its default `mode="auto"`: it
probes `server/discover`. In mode B without a credential it is offered the
2025 revisions only and falls back to `initialize` (a session, where the
login tool works); with a bearer, and in mode A (MALGOMO_OAUTH_URL, set by
scripts/client-tests, signed in with the SDK's own OAuth client), it finds
2026-07-28 and speaks it — no `initialize`, no session. The recorder sees every request
the SDK sends, so "no initialize" is read off the wire."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import parse_qs, urljoin, urlparse

import httpx2
import pytest
from conftest import MCP_URL, Recorder, text
from mcp import Client
from mcp.client.auth import AuthorizationCodeResult, OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import OAuthClientInformationFull, OAuthClientMetadata, OAuthToken
from sim import sim_token

pytestmark = pytest.mark.anyio

MODERN = "2026-07-28"
OAUTH_URL = os.environ.get("MALGOMO_OAUTH_URL")
OWNER = ("owner@agency-a.test", "owner-a-pass")
REDIRECT = "http://127.0.0.1:9/callback"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@asynccontextmanager
async def modern(url: str, recorder: Recorder, **http_options) -> AsyncIterator[Client]:
    """`Client` in its default mode over an HTTP client the recorder watches."""
    hooks = {"response": [recorder.on_response]}
    async with httpx2.AsyncClient(timeout=30.0, event_hooks=hooks, **http_options) as http:
        async with Client(streamable_http_client(url, http_client=http)) as client:
            yield client


def assert_stateless(version: str, recorder: Recorder) -> None:
    assert version == MODERN
    methods = recorder.rpc_methods()
    assert methods[0] == "server/discover", methods
    assert "initialize" not in methods, methods
    assert recorder.session_id is None, "no session was handed out"
    assert all(verb == "POST" for verb, _, _ in recorder.exchanges), recorder.exchanges


async def test_mode_b_without_a_credential_falls_back_to_a_session_and_logs_in():
    # Mode B offers an anonymous discover the 2025 revisions only: the
    # client falls back to initialize, and the login tool keeps its login.
    recorder = Recorder()
    async with modern(MCP_URL, recorder) as client:
        login = await client.call_tool("malgomo_login", {"email": OWNER[0], "password": OWNER[1]})
        kpis = await client.call_tool("malgomo_get_kpis", {"period": "7d"})
        version = client.protocol_version
    assert not login.is_error, text(login)
    assert not kpis.is_error, text(kpis)
    assert version == "2025-11-25"
    methods = recorder.rpc_methods()
    assert methods[:2] == ["server/discover", "initialize"], methods
    assert recorder.session_id is not None, "a session was handed out"


async def test_mode_b_with_a_bearer_reads_the_dashboard_in_2026():
    recorder = Recorder()
    headers = {"authorization": f"Bearer {sim_token(*OWNER)}"}
    async with modern(MCP_URL, recorder, headers=headers) as client:
        kpis = await client.call_tool("malgomo_get_kpis", {"period": "7d"})
        status = await client.call_tool("malgomo_status", {})
        version = client.protocol_version
    assert not kpis.is_error, text(kpis)
    assert isinstance(kpis.structured_content["hero_net_eur"], (int, float))
    assert status.structured_content["via"] == "bearer"
    assert_stateless(version, recorder)


class MemoryStorage:
    """The SDK's TokenStorage, in memory."""

    def __init__(self) -> None:
        self.tokens: OAuthToken | None = None
        self.client: OAuthClientInformationFull | None = None

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client = client_info


class Browser:
    """The user's part of the sign-in: open our page, post the demo
    credentials with its CSRF token and cookie, read the code off the 303."""

    def __init__(self) -> None:
        self.result: AuthorizationCodeResult | None = None

    async def open(self, authorization_url: str) -> None:
        async with httpx2.AsyncClient(timeout=30.0, follow_redirects=False) as http:
            page = await http.get(authorization_url)
            assert page.status_code == 200, page.text[:300]
            field = lambda name: re.search(rf'name="{name}" value="([^"]*)"', page.text).group(1)  # noqa: E731
            login = await http.post(
                urljoin(authorization_url, "/oauth/login"),
                data={"request_id": field("request_id"), "csrf_token": field("csrf_token"),
                      "email": OWNER[0], "password": OWNER[1]},
            )
            assert login.status_code == 303, login.text[:300]
            query = parse_qs(urlparse(login.headers["location"]).query)
            self.result = AuthorizationCodeResult(
                code=query["code"][0], state=query.get("state", [None])[0], iss=query.get("iss", [None])[0]
            )

    async def callback(self) -> AuthorizationCodeResult:
        assert self.result is not None, "the browser step ran"
        return self.result


@pytest.mark.skipif(not OAUTH_URL, reason="MALGOMO_OAUTH_URL (mode A server) not set")
async def test_mode_a_signs_in_with_oauth_and_speaks_2026():
    browser = Browser()
    auth = OAuthClientProvider(
        server_url=f"{OAUTH_URL}/mcp",
        client_metadata=OAuthClientMetadata(
            client_name="malgomo python client test",
            redirect_uris=[REDIRECT],
            grant_types=["authorization_code", "refresh_token"],
            response_types=["code"],
            token_endpoint_auth_method="none",
        ),
        storage=MemoryStorage(),
        redirect_handler=browser.open,
        callback_handler=browser.callback,
    )
    recorder = Recorder()
    async with modern(f"{OAUTH_URL}/mcp", recorder, auth=auth) as client:
        kpis = await client.call_tool("malgomo_get_kpis", {})
        status = await client.call_tool("malgomo_status", {})
        version = client.protocol_version
    assert not kpis.is_error, text(kpis)
    assert status.structured_content["via"] == "oauth"
    assert browser.result is not None, "the SDK ran the OAuth flow"
    assert_stateless(version, recorder)
