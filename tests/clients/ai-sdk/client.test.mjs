// The Vercel AI SDK's MCP client (@ai-sdk/mcp, pinned in package.json) at
// its default settings against malgomo-mcp, no LLM: its own client API
// (createMCPClient, callTool). Mode B (MALGOMO_MCP_URL): it probes
// `server/discover`, is offered the 2025 revisions, falls back to
// `initialize`, and the login tool keeps its login in the session; with a
// bearer it speaks 2026-07-28. Mode A
// (MALGOMO_OAUTH_URL): with our OAuth access token as a bearer it speaks
// 2026-07-28. The only option passed is `fetch`, a wrapper of the global
// fetch that records each request the client sends (the era on the wire).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createMCPClient } from '@ai-sdk/mcp';

const MCP_URL = process.env.MALGOMO_MCP_URL ?? 'http://127.0.0.1:8080/mcp';
const OAUTH_URL = process.env.MALGOMO_OAUTH_URL;
const SIM_URL = process.env.MALGOMO_SIM_URL ?? 'http://127.0.0.1:54321';
const OWNER = ['owner@agency-a.test', 'owner-a-pass'];
const MEMBER = ['member@agency-a.test', 'member-a-pass'];
const REDIRECT = 'http://127.0.0.1:9/callback';
const DATA_TOOLS = ['malgomo_get_kpis', 'malgomo_get_fans', 'malgomo_get_earnings'];

/** A fetch that records [verb, JSON-RPC method, MCP-Protocol-Version, session id, status]. */
function recorder() {
  const wire = [];
  const fetch = async (input, init = {}) => {
    const headers = new Headers(init.headers);
    let rpc = null;
    if (typeof init.body === 'string') {
      try {
        rpc = JSON.parse(init.body).method ?? null;
      } catch {
        rpc = null;
      }
    }
    const response = await globalThis.fetch(input, init);
    wire.push({
      verb: init.method ?? 'GET',
      rpc,
      version: headers.get('mcp-protocol-version'),
      session: headers.get('mcp-session-id'),
      status: response.status,
    });
    return response;
  };
  return { wire, fetch };
}

const text = (result) => result.content.map((block) => block.text ?? '').join('\n');

async function connect(url, { headers } = {}) {
  const { wire, fetch } = recorder();
  const client = await createMCPClient({ transport: { type: 'http', url, headers, fetch } });
  return { client, wire };
}

async function login(client, [email, password]) {
  const result = await client.callTool({ name: 'malgomo_login', arguments: { email, password } });
  assert.equal(result.isError ?? false, false, text(result));
}

function assertSessionEra(wire) {
  const methods = wire.map((entry) => entry.rpc).filter(Boolean);
  assert.equal(methods[0], 'server/discover', JSON.stringify(wire));
  assert.ok(methods.includes('initialize'), JSON.stringify(wire));
  const calls = wire.filter((entry) => entry.rpc === 'tools/call');
  assert.ok(calls.length > 0);
  for (const call of calls) {
    assert.ok(call.session, `a session id on every call: ${JSON.stringify(call)}`);
    assert.notEqual(call.version, '2026-07-28', JSON.stringify(call));
  }
}

test('mode B: the owner logs in with malgomo_login and reads kpis in a 2025 session', async () => {
  const { client, wire } = await connect(MCP_URL);
  try {
    await login(client, OWNER);
    const kpis = await client.callTool({ name: 'malgomo_get_kpis', arguments: { period: '7d' } });
    assert.equal(kpis.isError ?? false, false, text(kpis));
    assert.equal(typeof kpis.structuredContent.hero_net_eur, 'number');
    assert.match(client.instructions ?? '', /malgomo_login/);
  } finally {
    await client.close();
  }
  assertSessionEra(wire);
});

test('mode B: a member logs in and gets the forbidden tool error', async () => {
  const { client, wire } = await connect(MCP_URL);
  try {
    await login(client, MEMBER);
    for (const name of DATA_TOOLS) {
      const result = await client.callTool({ name, arguments: {} });
      assert.equal(result.isError, true, name);
      assert.match(text(result), /forbidden/, name);
    }
  } finally {
    await client.close();
  }
  assertSessionEra(wire);
});

function assertStatelessEra(wire) {
  const methods = wire.map((entry) => entry.rpc).filter(Boolean);
  assert.ok(!methods.includes('initialize'), JSON.stringify(wire));
  const calls = wire.filter((entry) => entry.rpc === 'tools/call');
  assert.ok(calls.length === 2, JSON.stringify(wire));
  for (const call of calls) {
    assert.equal(call.version, '2026-07-28', JSON.stringify(call));
    assert.equal(call.session, null, JSON.stringify(call));
  }
}

/** Mode B's bearer: the simulator's Supabase password grant. */
async function simBearer([email, password]) {
  const response = await fetch(`${SIM_URL}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: 'demo-anon-key', 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(response.status, 200);
  return (await response.json()).access_token;
}

test('mode B: with a bearer it speaks 2026-07-28', async () => {
  const { client, wire } = await connect(MCP_URL, {
    headers: { authorization: `Bearer ${await simBearer(OWNER)}` },
  });
  try {
    const kpis = await client.callTool({ name: 'malgomo_get_kpis', arguments: {} });
    assert.equal(kpis.isError ?? false, false, text(kpis));
    const status = await client.callTool({ name: 'malgomo_status', arguments: {} });
    assert.equal(status.structuredContent.via, 'bearer');
  } finally {
    await client.close();
  }
  assertStatelessEra(wire);
});

/** Mode A's sign-in with plain HTTP: registration, PKCE, the sign-in form, the token. */
async function accessToken(base, [email, password]) {
  const meta = await (await fetch(`${base}/.well-known/oauth-authorization-server`)).json();
  const client = await (
    await fetch(meta.registration_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'malgomo ai-sdk client test',
        redirect_uris: [REDIRECT],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      }),
    })
  ).json();
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: REDIRECT,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 's',
    resource: `${base}/mcp`,
  });
  const page = await fetch(`${meta.authorization_endpoint}?${query}`, { redirect: 'manual' });
  assert.equal(page.status, 200);
  const html = await page.text();
  const field = (name) => html.match(new RegExp(`name="${name}" value="([^"]*)"`))[1];
  const cookie = (page.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const signedIn = await fetch(`${base}/oauth/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({
      request_id: field('request_id'),
      csrf_token: field('csrf_token'),
      email,
      password,
    }),
  });
  assert.equal(signedIn.status, 303, await signedIn.text());
  const code = new URL(signedIn.headers.get('location')).searchParams.get('code');
  const tokens = await (
    await fetch(meta.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        client_id: client.client_id,
        code_verifier: verifier,
        resource: `${base}/mcp`,
      }),
    })
  ).json();
  return tokens.access_token;
}

test('mode A: with the OAuth access token it speaks 2026-07-28', { skip: !OAUTH_URL }, async () => {
  const token = await accessToken(OAUTH_URL, OWNER);
  const { client, wire } = await connect(`${OAUTH_URL}/mcp`, {
    headers: { authorization: `Bearer ${token}` },
  });
  try {
    const kpis = await client.callTool({ name: 'malgomo_get_kpis', arguments: {} });
    assert.equal(kpis.isError ?? false, false, text(kpis));
    const status = await client.callTool({ name: 'malgomo_status', arguments: {} });
    assert.equal(status.structuredContent.via, 'oauth');
  } finally {
    await client.close();
  }
  assertStatelessEra(wire);
});
