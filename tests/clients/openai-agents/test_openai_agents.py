"""The OpenAI Agents SDK's `MCPServerStreamableHttp` (openai-agents, pinned in
scripts/requirements/clients-openai-agents.txt) at its default settings
against malgomo-mcp, no LLM: its own `call_tool`. Mode B: it probes
`server/discover`, is offered the 2025 revisions and falls back to a
session, where `malgomo_login` keeps the login; with a simulator bearer
it speaks 2026-07-28. Mode A: with our OAuth
access token as a bearer header it speaks 2026-07-28. The relay
(`wire_*`) records what the client sent."""

import pytest
from agents.mcp import MCPServerStreamableHttp
from malgomo_clients import MEMBER, OAUTH_URL, OWNER, oauth_access_token, sim_bearer

pytestmark = pytest.mark.anyio
DATA_TOOLS = ("malgomo_get_kpis", "malgomo_get_fans", "malgomo_get_earnings")


def text(result) -> str:
    return "\n".join(getattr(block, "text", "") for block in result.content)


async def login(server: MCPServerStreamableHttp, account: tuple[str, str]) -> None:
    result = await server.call_tool("malgomo_login", {"email": account[0], "password": account[1]})
    assert not result.is_error, text(result)


async def test_mode_b_owner_logs_in_and_reads_kpis_in_a_session(wire_b):
    async with MCPServerStreamableHttp(params={"url": wire_b.url}) as server:
        await login(server, OWNER)
        kpis = await server.call_tool("malgomo_get_kpis", {"period": "7d"})
    assert not kpis.is_error, text(kpis)
    assert isinstance(kpis.structured_content["hero_net_eur"], (int, float))
    assert wire_b.rpc_methods()[0] == "server/discover", wire_b.exchanges
    wire_b.assert_session_era()


async def test_mode_b_member_gets_the_forbidden_tool_error(wire_b):
    async with MCPServerStreamableHttp(params={"url": wire_b.url}) as server:
        await login(server, MEMBER)
        results = {tool: await server.call_tool(tool, {}) for tool in DATA_TOOLS}
    for tool, result in results.items():
        assert result.is_error, tool
        assert "forbidden" in text(result), (tool, text(result))
    wire_b.assert_session_era()


async def test_mode_b_with_a_bearer_speaks_2026(wire_b):
    headers = {"authorization": f"Bearer {sim_bearer()}"}
    async with MCPServerStreamableHttp(params={"url": wire_b.url, "headers": headers}) as server:
        kpis = await server.call_tool("malgomo_get_kpis", {})
        status = await server.call_tool("malgomo_status", {})
    assert not kpis.is_error, text(kpis)
    assert status.structured_content["via"] == "bearer"
    wire_b.assert_stateless_era()


async def test_mode_a_with_the_oauth_token_speaks_2026(wire_a):
    headers = {"authorization": f"Bearer {oauth_access_token(OAUTH_URL)}"}
    async with MCPServerStreamableHttp(params={"url": wire_a.url, "headers": headers}) as server:
        kpis = await server.call_tool("malgomo_get_kpis", {})
        status = await server.call_tool("malgomo_status", {})
    assert not kpis.is_error, text(kpis)
    assert status.structured_content["via"] == "oauth"
    wire_a.assert_stateless_era()
