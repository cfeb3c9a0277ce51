"""Pydantic AI's `MCPToolset` (pydantic-ai-slim[mcp], pinned in
scripts/requirements/clients-pydantic-ai.txt) at its default settings
against malgomo-mcp, no LLM: its own `direct_call_tool`, which raises
`ModelRetry` with the tool's message on an `isError` result (its default
tool_error_behavior). Mode B: it probes `server/discover`, is offered the
2025 revisions and falls back to a session, where `malgomo_login` keeps the
login; with a simulator bearer it speaks 2026-07-28. Mode A: with our OAuth
access token as its bearer it speaks 2026-07-28. The relay (`wire_*`) records what the client sent."""

import pytest
from malgomo_clients import MEMBER, OAUTH_URL, OWNER, oauth_access_token, sim_bearer
from pydantic_ai.exceptions import ModelRetry
from pydantic_ai.mcp import MCPToolset

pytestmark = pytest.mark.anyio
DATA_TOOLS = ("malgomo_get_kpis", "malgomo_get_fans", "malgomo_get_earnings")


async def login(toolset: MCPToolset, account: tuple[str, str]) -> None:
    await toolset.direct_call_tool("malgomo_login", {"email": account[0], "password": account[1]})


async def test_mode_b_owner_logs_in_and_reads_kpis_in_a_session(wire_b):
    async with MCPToolset(wire_b.url) as toolset:
        await login(toolset, OWNER)
        kpis = await toolset.direct_call_tool("malgomo_get_kpis", {"period": "7d"})
    # A result with structured content comes back as that object.
    assert isinstance(kpis["hero_net_eur"], (int, float)), kpis
    assert wire_b.rpc_methods()[0] == "server/discover", wire_b.exchanges
    wire_b.assert_session_era()


async def test_mode_b_member_gets_the_forbidden_tool_error(wire_b):
    async with MCPToolset(wire_b.url) as toolset:
        await login(toolset, MEMBER)
        for tool in DATA_TOOLS:
            with pytest.raises(ModelRetry, match="forbidden"):
                await toolset.direct_call_tool(tool, {})
    wire_b.assert_session_era()


async def test_mode_b_with_a_bearer_speaks_2026(wire_b):
    async with MCPToolset(wire_b.url, auth=sim_bearer()) as toolset:
        kpis = await toolset.direct_call_tool("malgomo_get_kpis", {})
        status = await toolset.direct_call_tool("malgomo_status", {})
    assert isinstance(kpis["hero_net_eur"], (int, float)), kpis
    assert status["via"] == "bearer", status
    wire_b.assert_stateless_era()


async def test_mode_a_with_the_oauth_token_speaks_2026(wire_a):
    async with MCPToolset(wire_a.url, auth=oauth_access_token(OAUTH_URL)) as toolset:
        kpis = await toolset.direct_call_tool("malgomo_get_kpis", {})
        status = await toolset.direct_call_tool("malgomo_status", {})
    assert isinstance(kpis["hero_net_eur"], (int, float)), kpis
    assert status["via"] == "oauth", status
    wire_a.assert_stateless_era()
