// The official MCP TypeScript SDK (Client + StreamableHTTPClientTransport)
// against a running malgomo-mcp backed by malgomo-sim. Started by
// scripts/client-tests, which sets MALGOMO_MCP_URL and MALGOMO_SIM_URL.
// Every test opens its own MCP session.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { INTERNAL_FIELDS, PERIODS, TOOLS, expected, keysDeep, upstream, withoutClock } from './sim.mjs';

const MCP_URL = process.env.MALGOMO_MCP_URL ?? 'http://127.0.0.1:8080/mcp';
const TOOL_NAMES = [
  'malgomo_login', 'malgomo_status', 'malgomo_logout',
  'malgomo_get_kpis', 'malgomo_get_fans', 'malgomo_get_earnings',
];
const PASSWORDS = {
  'owner@agency-a.test': 'owner-a-pass',
  'member@agency-a.test': 'member-a-pass',
};

/** A connected client; closed when the test ends. */
async function connect(t) {
  const transport = new StreamableHTTPClientTransport(new URL(MCP_URL));
  const client = new Client({ name: 'malgomo-ts-sdk-test', version: '1.0.0' });
  await client.connect(transport);
  t.after(() => client.close());
  return { client, transport };
}

/** A connected client logged in as `email`. */
async function loggedIn(t, email) {
  const mcp = await connect(t);
  const result = await mcp.client.callTool({
    name: 'malgomo_login',
    arguments: { email, password: PASSWORDS[email] },
  });
  assert.equal(result.isError ?? false, false, text(result));
  return mcp;
}

const text = (result) => result.content.map((block) => block.text ?? '').join('\n');

/** A raw request on the session's id, as a client that bypasses the SDK. */
function raw(transport, method, { body, accept, signal } = {}) {
  return fetch(MCP_URL, {
    method,
    signal,
    headers: {
      accept,
      'content-type': 'application/json',
      'mcp-session-id': transport.sessionId,
      'mcp-protocol-version': transport.protocolVersion,
    },
    body: body && JSON.stringify(body),
  });
}

test('initialize negotiates the SDK latest protocol version with malgomo-mcp', async (t) => {
  const { client, transport } = await connect(t);
  assert.equal(client.getServerVersion().name, 'malgomo-mcp');
  assert.equal(transport.protocolVersion, LATEST_PROTOCOL_VERSION);
  assert.ok(client.getServerCapabilities().tools, 'tools capability');
  assert.match(transport.sessionId, /^[\x21-\x7e]+$/, 'session id is visible ASCII');
});

test('tools/list shows six titled tools; data tools are read-only with an output schema', async (t) => {
  const { client } = await connect(t);
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((tool) => tool.name).sort(), [...TOOL_NAMES].sort());
  for (const tool of tools) {
    assert.ok(tool.title, `${tool.name} has a title`);
    assert.equal(tool.inputSchema.type, 'object', `${tool.name} inputSchema`);
  }
  for (const name of Object.keys(TOOLS)) {
    const tool = tools.find((candidate) => candidate.name === name);
    assert.equal(tool.outputSchema?.type, 'object', `${name} outputSchema`);
    assert.equal(tool.annotations?.readOnlyHint, true, `${name} readOnlyHint`);
    assert.deepEqual(tool.inputSchema.properties.period.enum, PERIODS, `${name} period enum`);
  }
});

test('login as owner, then status reports the owner and the agency', async (t) => {
  const { client } = await loggedIn(t, 'owner@agency-a.test');
  const status = await client.callTool({ name: 'malgomo_status', arguments: {} });
  assert.equal(status.isError ?? false, false, text(status));
  const report = status.structuredContent ?? JSON.parse(text(status));
  assert.equal(report.logged_in, true);
  assert.equal(report.role, 'owner');
  assert.equal(report.email, 'owner@agency-a.test');
  assert.equal(report.agency, 'Agency A');
  assert.equal(report.agency_id, 'agency-a');
});

for (const [tool, endpoint] of Object.entries(TOOLS)) {
  test(`${tool} matches the simulator for every period`, async (t) => {
    const { client } = await loggedIn(t, 'owner@agency-a.test');
    await client.listTools(); // lets the SDK validate structuredContent against outputSchema
    for (const period of [...PERIODS, undefined]) {
      const label = `${tool} ${period ?? '(default)'}`;
      const result = await client.callTool({ name: tool, arguments: period ? { period } : {} });
      assert.equal(result.isError ?? false, false, `${label}: ${text(result)}`);
      const structured = result.structuredContent;
      assert.deepEqual(JSON.parse(text(result)), structured, `${label}: text is the same JSON`);
      const leaked = INTERNAL_FIELDS.filter((field) => keysDeep(structured).has(field));
      assert.deepEqual(leaked, [], `${label}: no internal fields`);

      const { note, ...answer } = withoutClock(structured);
      const want = expected(endpoint, await upstream(endpoint, period ?? 'today'));
      assert.deepEqual(answer, want, `${label}: same data as the simulator`);
      if (endpoint === 'earnings') {
        assert.equal(note !== undefined, want.transactions_truncated, `${label}: note iff truncated`);
        if (note) assert.match(note, new RegExp(`\\b${want.transactions_total}\\b`));
      }
    }
  });
}

test('after logout a data tool says not logged in and how to log in', async (t) => {
  const { client } = await loggedIn(t, 'owner@agency-a.test');
  const logout = await client.callTool({ name: 'malgomo_logout', arguments: {} });
  assert.equal(logout.isError ?? false, false, text(logout));
  const result = await client.callTool({ name: 'malgomo_get_kpis', arguments: {} });
  assert.equal(result.isError, true);
  assert.match(text(result), /not logged in/i);
  assert.match(text(result), /malgomo_login/);
  const status = await client.callTool({ name: 'malgomo_status', arguments: {} });
  assert.equal(status.structuredContent.logged_in, false);
});

test('a member is refused dashboard data as forbidden', async (t) => {
  const { client } = await loggedIn(t, 'member@agency-a.test');
  for (const tool of Object.keys(TOOLS)) {
    const result = await client.callTool({ name: tool, arguments: {} });
    assert.equal(result.isError, true, tool);
    assert.match(text(result), /forbidden/, tool);
  }
});

test('an unknown period is a tool error naming the allowed values', async (t) => {
  const { client } = await loggedIn(t, 'owner@agency-a.test');
  const result = await client.callTool({ name: 'malgomo_get_kpis', arguments: { period: 'week' } });
  assert.equal(result.isError, true);
  for (const period of PERIODS) assert.ok(text(result).includes(period), `names ${period}: ${text(result)}`);
});

test('GET on the session opens an SSE stream', async (t) => {
  const { transport } = await connect(t);
  const abort = new AbortController();
  const response = await raw(transport, 'GET', { accept: 'text/event-stream', signal: abort.signal });
  try {
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^text\/event-stream/);
  } finally {
    abort.abort();
  }
});

test('after DELETE (terminateSession) the old session id is 404', async (t) => {
  const { transport } = await connect(t);
  const old = { sessionId: transport.sessionId, protocolVersion: transport.protocolVersion };
  await transport.terminateSession();
  assert.equal(transport.sessionId, undefined);
  const response = await raw(old, 'POST', {
    accept: 'application/json, text/event-stream',
    body: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
  });
  assert.equal(response.status, 404);
  await response.body?.cancel();
});
