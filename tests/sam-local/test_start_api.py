"""`sam local start-api` with the template's LocalApi: an MCP client session
over HTTP through SAM's API emulation into the mcp function's warm
container, and mode A's OAuth routes reaching the oauth function.

Which function served a request is decided from the response alone: only
the oauth function is given PUBLIC_URL (mode A), so only it can answer the
discovery documents and /token; the mcp function runs mode B, where those
paths are 404. (Reading SAM's log for the function name raced with SAM
writing it.)"""

import json

import pytest
import requests

from conftest import Background, common_env, free_port, sam_command, wait_until, START_DEADLINE_S

PROTOCOL = "2025-06-18"
OWNER = {"email": "owner@agency-a.test", "password": "owner-a-pass"}
MCP_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}


@pytest.fixture(scope="module")
def api(sim, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("start-api")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    common = common_env(sim)
    env_file = tmp / "env.json"
    env_file.write_text(
        json.dumps(
            {
                "Parameters": common,
                "OauthFunction": common | {"PUBLIC_URL": base},
            }
        )
    )
    server = Background(
        sam_command(
            "local",
            "start-api",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--env-vars",
            str(env_file),
            # One container per function, kept: the mcp function's memory
            # store holds the session between requests.
            "--warm-containers",
            "EAGER",
        ),
        tmp / "start-api.log",
    )
    try:
        wait_until(
            "sam local start-api",
            lambda: requests.get(f"{base}/healthz", timeout=30).status_code == 200,
            START_DEADLINE_S,
            server.process,
        )
    except BaseException:
        print(server.output())
        server.stop()
        raise
    yield base
    server.stop()


class McpClient:
    """A Streamable HTTP MCP client: JSON answers, the session in Mcp-Session-Id."""

    def __init__(self, base: str):
        self.url = f"{base}/mcp"
        self.session = None
        self.next_id = 0

    def _headers(self):
        headers = dict(MCP_HEADERS)
        if self.session:
            headers["Mcp-Session-Id"] = self.session
            headers["MCP-Protocol-Version"] = PROTOCOL
        return headers

    def request(self, method: str, params: dict) -> requests.Response:
        message = {"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params}
        self.next_id += 1
        return requests.post(self.url, json=message, headers=self._headers(), timeout=60)

    def notify(self, method: str) -> requests.Response:
        return requests.post(self.url, json={"jsonrpc": "2.0", "method": method}, headers=self._headers(), timeout=60)

    def call_tool(self, name: str, arguments: dict) -> dict:
        response = self.request("tools/call", {"name": name, "arguments": arguments})
        assert response.status_code == 200, response.text
        return response.json()["result"]


def test_an_mcp_session_through_the_local_api(api):
    client = McpClient(api)
    opened = client.request(
        "initialize",
        {"protocolVersion": PROTOCOL, "capabilities": {}, "clientInfo": {"name": "sam-local-test", "version": "1"}},
    )
    assert opened.status_code == 200, opened.text
    assert opened.json()["result"]["protocolVersion"] == PROTOCOL
    client.session = opened.headers.get("Mcp-Session-Id")
    assert client.session, opened.headers

    assert client.notify("notifications/initialized").status_code == 202

    login = client.call_tool("malgomo_login", OWNER)
    assert login["isError"] is False, login

    kpis = client.call_tool("malgomo_get_kpis", {"period": "7d"})
    assert kpis["isError"] is False, kpis
    assert isinstance(kpis["structuredContent"]["hero_net_eur"], (int, float)), kpis

    ended = requests.delete(client.url, headers=client._headers(), timeout=60)
    assert ended.status_code == 204, ended.text
    after = client.request("tools/list", {})
    assert after.status_code == 404, after.text


def test_mode_a_discovery_is_served_by_the_oauth_function(api):
    metadata = requests.get(f"{api}/.well-known/oauth-authorization-server", timeout=60)
    assert metadata.status_code == 200, metadata.text
    document = metadata.json()
    # Its issuer is the PUBLIC_URL only the oauth function was given.
    assert document["issuer"] == api, document
    assert document["token_endpoint"] == f"{api}/token", document

    resource = requests.get(f"{api}/.well-known/oauth-protected-resource/mcp", timeout=60)
    assert resource.status_code == 200, resource.text
    assert resource.json()["resource"] == f"{api}/mcp", resource.text


def test_token_route_reaches_the_oauth_function(api):
    response = requests.post(
        f"{api}/token",
        data={"grant_type": "authorization_code", "code": "not-a-code", "client_id": "nobody"},
        timeout=60,
    )
    # An OAuth error answer (RFC 6749 §5.2): mode B would have no /token at all.
    assert response.status_code in (400, 401), response.text
    assert response.json()["error"] in ("invalid_grant", "invalid_client", "invalid_request"), response.text


def test_the_mcp_function_itself_has_no_oauth_routes(api):
    # The control for the two tests above: a path LocalApi routes to the mcp
    # function answers as mode B does, so a 200 there cannot come from it.
    response = requests.get(f"{api}/", timeout=60)
    assert response.status_code == 200, response.text
    challenge = requests.post(f"{api}/mcp", json={}, headers=MCP_HEADERS, timeout=60)
    assert "www-authenticate" not in {k.lower() for k in challenge.headers}, challenge.headers
