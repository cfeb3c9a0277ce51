"""The official Python MCP SDK against a running malgomo-mcp backed by
malgomo-sim, in the 2025 (session) era. Each test runs twice: `[lowlevel]`
(streamable_http_client + ClientSession) and `[client]` (the high-level Client,
mode="legacy"); each opens its own MCP session."""

from __future__ import annotations

import json

import pytest
from conftest import MCP_URL, text
from mcp_types.version import LATEST_HANDSHAKE_VERSION
from sim import INTERNAL_FIELDS, PERIODS, TOOLS, expected, keys_deep, upstream, without_clock

pytestmark = pytest.mark.anyio

OWNER = ("owner@agency-a.test", "owner-a-pass")
MEMBER = ("member@agency-a.test", "member-a-pass")
TOOL_NAMES = {
    "malgomo_login",
    "malgomo_status",
    "malgomo_logout",
    "malgomo_get_kpis",
    "malgomo_get_fans",
    "malgomo_get_earnings",
}


async def test_initialize_negotiates_latest_handshake_version(connect):
    async with connect() as mcp:
        assert mcp.server_name == "malgomo-mcp"
        assert mcp.protocol_version == LATEST_HANDSHAKE_VERSION
        assert mcp.recorder.session_id
        methods = mcp.recorder.rpc_methods()
    # Both APIs in the 2025 era open with the handshake, no discover probe.
    assert methods[0] == "initialize"
    assert "server/discover" not in methods


async def test_tools_list_has_six_titled_tools_and_read_only_data_tools(connect):
    async with connect() as mcp:
        tools = {tool.name: tool for tool in (await mcp.api.list_tools()).tools}
    assert set(tools) == TOOL_NAMES
    for tool in tools.values():
        assert tool.title, tool.name
        assert tool.input_schema["type"] == "object", tool.name
    for name in TOOLS:
        assert tools[name].output_schema["type"] == "object", name
        assert tools[name].annotations.read_only_hint is True, name
        assert tools[name].input_schema["properties"]["period"]["enum"] == PERIODS


async def test_owner_login_then_status_reports_owner_and_agency(connect):
    async with connect() as mcp:
        await mcp.login(*OWNER)
        status = await mcp.call("malgomo_status")
    assert not status.is_error, text(status)
    report = status.structured_content
    assert report["logged_in"] is True
    assert report["role"] == "owner"
    assert report["email"] == OWNER[0]
    assert (report["agency"], report["agency_id"]) == ("Agency A", "agency-a")


@pytest.mark.parametrize("tool", list(TOOLS))
async def test_data_tool_matches_the_simulator_for_every_period(connect, tool):
    endpoint = TOOLS[tool]
    async with connect() as mcp:
        await mcp.login(*OWNER)
        for period in [*PERIODS, None]:
            label = f"{tool} {period or '(default)'}"
            # The SDK validates structuredContent against the listed outputSchema.
            result = await mcp.call(tool, **({"period": period} if period else {}))
            assert not result.is_error, f"{label}: {text(result)}"
            structured = result.structured_content
            assert json.loads(text(result)) == structured, f"{label}: text is the same JSON"
            assert not keys_deep(structured) & INTERNAL_FIELDS, f"{label}: internal fields leaked"

            answer = without_clock(structured)
            note = answer.pop("note", None)
            want = expected(endpoint, upstream(endpoint, period or "today"))
            assert answer == want, f"{label}: same data as the simulator"
            if endpoint == "earnings":
                assert (note is not None) == want["transactions_truncated"], label
                assert note is None or str(want["transactions_total"]) in note, label


async def test_after_logout_data_tools_say_not_logged_in(connect):
    async with connect() as mcp:
        await mcp.login(*OWNER)
        logout = await mcp.call("malgomo_logout")
        assert not logout.is_error, text(logout)
        result = await mcp.call("malgomo_get_kpis")
        status = await mcp.call("malgomo_status")
    assert result.is_error is True
    assert "not logged in" in text(result).lower()
    assert "malgomo_login" in text(result)
    assert status.structured_content["logged_in"] is False


async def test_member_is_forbidden_dashboard_data(connect):
    async with connect() as mcp:
        await mcp.login(*MEMBER)
        results = {tool: await mcp.call(tool) for tool in TOOLS}
    for tool, result in results.items():
        assert result.is_error is True, tool
        assert "forbidden" in text(result), tool


async def test_unknown_period_is_a_tool_error_naming_the_allowed_values(connect):
    async with connect() as mcp:
        await mcp.login(*OWNER)
        result = await mcp.call("malgomo_get_kpis", period="week")
    assert result.is_error is True
    assert all(period in text(result) for period in PERIODS), text(result)


async def test_get_on_the_session_opens_an_sse_stream(connect):
    async with connect() as mcp:
        headers = {
            "accept": "text/event-stream",
            "mcp-session-id": mcp.recorder.session_id,
            "mcp-protocol-version": mcp.protocol_version,
        }
        async with mcp.http.stream("GET", MCP_URL, headers=headers) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")


async def test_closing_deletes_the_session_and_its_id_is_then_404(connect):
    async with connect() as mcp:
        session_id = mcp.recorder.session_id
    # Leaving the transport's context terminates the session with DELETE.
    deletes = [status for method, _, status in mcp.recorder.exchanges if method == "DELETE"]
    assert deletes in ([200], [204]), mcp.recorder.exchanges
    response = await mcp.http.post(
        MCP_URL,
        headers={
            "accept": "application/json, text/event-stream",
            "mcp-session-id": session_id,
            "mcp-protocol-version": mcp.protocol_version,
        },
        json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
    )
    assert response.status_code == 404
