// Mode A (PUBLIC_URL set): the official MCP TypeScript SDK client's OAuth
// support (OAuthClientProvider + StreamableHTTPClientTransport's
// authProvider, auth(), finishAuth()) against malgomo-mcp as an OAuth 2.1
// authorization server. The provider below keeps everything in memory and
// plays the browser with plain fetch: it opens the sign-in page, posts the
// demo credentials and reads the code off the 303 back to the client.
//
// Started by scripts/client-tests, which runs `malgomo-mcp --demo` with
// PUBLIC_URL=http://127.0.0.1:PORT and sets:
//   MALGOMO_OAUTH_URL      the server's base URL (= PUBLIC_URL, the issuer)
//   MALGOMO_CIMD_TLS_CERT  PEM certificate (127.0.0.1) and key for serving a
//   MALGOMO_CIMD_TLS_KEY   Client ID Metadata Document over https; the server
//                          trusts its CA (SSL_CERT_FILE). Without them the
//                          https CIMD test is skipped.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { auth, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { InvalidClientMetadataError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const BASE = process.env.MALGOMO_OAUTH_URL ?? 'http://127.0.0.1:8080';
const ISSUER = BASE.replace(/\/+$/, '');
const MCP_URL = new URL(`${ISSUER}/mcp`);
const RESOURCE = `${ISSUER}/mcp`;
const EMAIL = 'owner@agency-a.test';
const PASSWORD = 'owner-a-pass';
const TLS = process.env.MALGOMO_CIMD_TLS_CERT && process.env.MALGOMO_CIMD_TLS_KEY
  ? { cert: readFileSync(process.env.MALGOMO_CIMD_TLS_CERT), key: readFileSync(process.env.MALGOMO_CIMD_TLS_KEY) }
  : undefined;

const GRANT_TYPES = ['authorization_code', 'refresh_token'];
const text = (result) => result.content.map((block) => block.text ?? '').join('\n');
const escapeHtml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A fetch that records every request the SDK (and our "browser") makes:
 * method, path, status, the token grant type and the WWW-Authenticate header.
 */
function recordingFetch() {
  const log = [];
  const fetchFn = async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const body = init.body instanceof URLSearchParams ? init.body
      : typeof init.body === 'string' && url.pathname === '/token' ? new URLSearchParams(init.body)
        : undefined;
    const entry = { method, path: url.pathname, origin: url.origin, grantType: body?.get('grant_type') ?? undefined };
    log.push(entry);
    const response = await fetch(input, init);
    entry.status = response.status;
    entry.wwwAuthenticate = response.headers.get('www-authenticate') ?? undefined;
    return response;
  };
  return { log, fetchFn };
}

/** `log` entries to our server as "METHOD /path status". */
const trail = (log) => log.filter((e) => e.origin === new URL(ISSUER).origin).map((e) => `${e.method} ${e.path} ${e.status}`);

/** Asserts `wanted` appear in `log`'s trail in this order (other requests may sit between). */
function assertSubsequence(log, wanted, message) {
  const seen = trail(log);
  let at = 0;
  for (const line of seen) if (line === wanted[at]) at += 1;
  assert.equal(at, wanted.length, `${message}: wanted in order ${JSON.stringify(wanted)}, saw ${JSON.stringify(seen)}`);
}

/**
 * The browser step: open the authorization URL (our sign-in page), post the
 * demo credentials with the CSRF token and cookie, and read the 303 back to
 * the client. Checks `state` and `iss` (RFC 9207) on the redirect.
 */
async function signIn(authorizationUrl, { redirectUrl, state, fetchFn }) {
  const page = await fetchFn(authorizationUrl, { redirect: 'manual' });
  const html = await page.text();
  assert.equal(page.status, 200, `sign-in page: ${html.slice(0, 300)}`);
  assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  const field = (name) => html.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1];
  const requestId = field('request_id');
  const csrf = field('csrf_token');
  assert.ok(requestId && csrf, 'the page has request_id and csrf_token');
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('malgomo_csrf='));
  assert.ok(cookie, 'the page sets the malgomo_csrf cookie');

  const login = await fetchFn(new URL('/oauth/login', ISSUER), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ request_id: requestId, csrf_token: csrf, email: EMAIL, password: PASSWORD }),
  });
  const loginBody = await login.text();
  assert.equal(login.status, 303, `login answers 303: ${loginBody.slice(0, 300)}`);
  const location = new URL(login.headers.get('location'));
  assert.equal(`${location.origin}${location.pathname}`, String(redirectUrl), 'redirected to the client');
  assert.equal(location.searchParams.get('error'), null, 'no error on the redirect');
  assert.equal(location.searchParams.get('state'), state, 'state comes back unchanged');
  assert.equal(location.searchParams.get('iss'), ISSUER, 'iss is the issuer (RFC 9207)');
  const code = location.searchParams.get('code');
  assert.ok(code, 'the redirect carries a code');
  return { code, html };
}

/**
 * An in-memory OAuthClientProvider. `redirectToAuthorization` performs the
 * browser step when `interactive`; otherwise it only records that the SDK
 * wanted the user sent to sign in again.
 */
class MemoryProvider {
  constructor({ clientName, redirectUrl, fetchFn, clientMetadataUrl, clientInformation }) {
    this._clientName = clientName;
    this._redirectUrl = redirectUrl;
    this._fetch = fetchFn;
    if (clientMetadataUrl) this.clientMetadataUrl = clientMetadataUrl;
    this._clientInformation = clientInformation;
    this._tokens = undefined;
    this._codeVerifier = undefined;
    this.interactive = true;
    this.authorizationUrls = [];
    this.signIns = [];
    this.states = [];
  }

  get redirectUrl() { return this._redirectUrl; }

  get clientMetadata() {
    return {
      client_name: this._clientName,
      redirect_uris: [this._redirectUrl],
      grant_types: GRANT_TYPES,
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  state() {
    const state = randomBytes(16).toString('base64url');
    this.states.push(state);
    return state;
  }

  clientInformation() { return this._clientInformation; }
  saveClientInformation(info) { this._clientInformation = info; }
  tokens() { return this._tokens; }
  saveTokens(tokens) { this._tokens = tokens; }
  saveCodeVerifier(verifier) { this._codeVerifier = verifier; }
  codeVerifier() {
    if (!this._codeVerifier) throw new Error('no code verifier saved');
    return this._codeVerifier;
  }

  invalidateCredentials(scope) {
    if (scope === 'all' || scope === 'client') this._clientInformation = undefined;
    if (scope === 'all' || scope === 'tokens') this._tokens = undefined;
    if (scope === 'all' || scope === 'verifier') this._codeVerifier = undefined;
  }

  async redirectToAuthorization(authorizationUrl) {
    this.authorizationUrls.push(new URL(authorizationUrl));
    if (!this.interactive) return;
    const state = this.states.at(-1);
    this.signIns.push(await signIn(authorizationUrl, { redirectUrl: this._redirectUrl, state, fetchFn: this._fetch }));
  }
}

/** Serves a Client ID Metadata Document on loopback (https when `tls`); closed when the test ends. */
async function serveMetadataDocument(t, { tls, clientName }) {
  const hits = [];
  const handler = (request, response) => {
    hits.push(request.url);
    if (request.url !== '/oauth/client-metadata.json') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(document));
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const { port } = server.address();
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}/oauth/client-metadata.json`;
  const redirectUrl = `http://127.0.0.1:${port}/callback`;
  const document = {
    client_id: url,
    client_name: clientName,
    redirect_uris: [redirectUrl],
    token_endpoint_auth_method: 'none',
    grant_types: GRANT_TYPES,
    response_types: ['code'],
  };
  return { url, redirectUrl, hits };
}

const newClient = () => new Client({ name: 'malgomo-ts-sdk-oauth-test', version: '1.0.0' });

/**
 * The whole flow, as subtests of `t`: connect (401 → discovery → client →
 * authorize → sign-in → code → token), tools, refresh, revoke → 401.
 * `expectClient(provider, log)` checks how the client was identified.
 */
async function fullFlow(t, { provider, rec, clientName, expectClient }) {
  let client;

  await t.test('connect: 401 → discovery → client → sign-in → code → token', async () => {
    const first = newClient();
    const transport = new StreamableHTTPClientTransport(MCP_URL, { authProvider: provider, fetch: rec.fetchFn });
    await assert.rejects(first.connect(transport), UnauthorizedError, 'the first connect needs the user to sign in');
    assert.equal(provider.signIns.length, 1, 'redirectToAuthorization signed in once');
    assert.equal(provider.tokens(), undefined, 'no tokens before finishAuth');

    const challenge = rec.log.find((e) => e.path === '/mcp' && e.status === 401)?.wwwAuthenticate ?? '';
    assert.match(challenge, /^Bearer /);
    assert.ok(challenge.includes(`resource_metadata="${ISSUER}/.well-known/oauth-protected-resource/mcp"`), challenge);
    assert.match(challenge, /scope="mcp"/);

    const authorizationUrl = provider.authorizationUrls[0];
    assert.equal(`${authorizationUrl.origin}${authorizationUrl.pathname}`, `${ISSUER}/authorize`);
    const params = authorizationUrl.searchParams;
    assert.equal(params.get('response_type'), 'code');
    assert.equal(params.get('code_challenge_method'), 'S256');
    assert.equal(params.get('resource'), RESOURCE);
    assert.equal(params.get('redirect_uri'), provider.redirectUrl);
    assert.equal(params.get('client_id'), provider.clientInformation().client_id);
    // A metadata-document client is named by the host its client_id proves,
    // a registered one by the name it chose (marked as not verified).
    const clientId = provider.clientInformation().client_id;
    const named = clientId.includes('://') ? new URL(clientId).host : clientName;
    assert.ok(provider.signIns[0].html.includes(escapeHtml(named)), `the sign-in page names the client: ${named}`);

    await transport.finishAuth(provider.signIns[0].code);
    const tokens = provider.tokens();
    assert.ok(tokens?.access_token, 'an access token');
    assert.ok(tokens.refresh_token, 'a refresh token');
    assert.equal(tokens.token_type.toLowerCase(), 'bearer');
    assert.ok(tokens.expires_in > 0, 'expires_in');
    assert.ok(!tokens.access_token.startsWith('eyJ'), 'our own token, not a Supabase JWT');

    expectClient(provider, rec.log);
    assertSubsequence(rec.log, [
      'POST /mcp 401',
      'GET /.well-known/oauth-protected-resource/mcp 200',
      'GET /.well-known/oauth-authorization-server 200',
      'GET /authorize 200',
      'POST /oauth/login 303',
      'POST /token 200',
    ], 'the connect flow');
    const exchange = rec.log.filter((e) => e.path === '/token');
    assert.deepEqual(exchange.map((e) => e.grantType), ['authorization_code']);

    client = newClient();
    const authed = new StreamableHTTPClientTransport(MCP_URL, { authProvider: provider, fetch: rec.fetchFn });
    await client.connect(authed);
    t.after(() => client.close());
    assert.equal(client.getServerVersion().name, 'malgomo-mcp');
  });

  await t.test('tools/list and malgomo_get_kpis with the bearer', async () => {
    const { tools } = await client.listTools();
    assert.ok(tools.some((tool) => tool.name === 'malgomo_get_kpis'), 'malgomo_get_kpis is listed');
    const result = await client.callTool({ name: 'malgomo_get_kpis', arguments: {} });
    assert.equal(result.isError ?? false, false, text(result));
    assert.ok(result.structuredContent && typeof result.structuredContent === 'object', 'structuredContent');
  });

  await t.test('refresh: auth() rotates the pair; a rejected access token is refreshed by the transport', async () => {
    // The SDK's refresh path, called directly: tokens with a refresh token, no code.
    const before = provider.tokens();
    const mark = rec.log.length;
    assert.equal(await auth(provider, { serverUrl: MCP_URL, fetchFn: rec.fetchFn }), 'AUTHORIZED');
    const rotated = provider.tokens();
    assert.notEqual(rotated.access_token, before.access_token, 'a new access token');
    assert.notEqual(rotated.refresh_token, before.refresh_token, 'the refresh token rotates');
    assert.deepEqual(rec.log.slice(mark).filter((e) => e.path === '/token').map((e) => `${e.grantType} ${e.status}`),
      ['refresh_token 200']);
    let result = await client.callTool({ name: 'malgomo_get_kpis', arguments: {} });
    assert.equal(result.isError ?? false, false, text(result));

    // The transport's path: the server refuses an invalidated access token
    // (401), the SDK refreshes with the refresh token and resends.
    provider.saveTokens({ ...rotated, access_token: 'invalidated-access-token' });
    const mark2 = rec.log.length;
    result = await client.callTool({ name: 'malgomo_get_kpis', arguments: {} });
    assert.equal(result.isError ?? false, false, text(result));
    assert.ok(result.structuredContent, 'structuredContent after the refresh');
    const fresh = provider.tokens();
    assert.notEqual(fresh.access_token, 'invalidated-access-token');
    assert.notEqual(fresh.access_token, rotated.access_token);
    assert.notEqual(fresh.refresh_token, rotated.refresh_token);
    const after = rec.log.slice(mark2);
    assert.match(after.find((e) => e.path === '/mcp' && e.status === 401)?.wwwAuthenticate ?? '', /error="invalid_token"/);
    assert.deepEqual(after.filter((e) => e.path === '/token').map((e) => `${e.grantType} ${e.status}`), ['refresh_token 200']);
    assertSubsequence(after, ['POST /mcp 401', 'POST /token 200', 'POST /mcp 200'], 'refresh on 401');
    assert.equal(provider.signIns.length, 1, 'no new sign-in for a refresh');
  });

  await t.test('revoke: the token stops working at once and the next call fails with 401', async () => {
    const { access_token: accessToken } = provider.tokens();
    const revoked = await rec.fetchFn(new URL('/revoke', ISSUER), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: accessToken, client_id: provider.clientInformation().client_id }),
    });
    assert.equal(revoked.status, 200, await revoked.text());

    // No more browser: if the SDK wants a new sign-in, it only gets recorded.
    provider.interactive = false;
    const mark = rec.log.length;
    await assert.rejects(
      client.callTool({ name: 'malgomo_get_kpis', arguments: {} }),
      (err) => err instanceof UnauthorizedError || (err instanceof StreamableHTTPError && err.code === 401),
    );
    const after = rec.log.slice(mark);
    const refused = after.find((e) => e.path === '/mcp');
    assert.equal(refused?.status, 401, `the call is refused: ${JSON.stringify(trail(after))}`);
    assert.match(refused.wwwAuthenticate ?? '', /error="invalid_token"/);
    // The grant is gone: the SDK's refresh attempt is refused, so it asks for a new sign-in.
    assert.deepEqual(after.filter((e) => e.path === '/token').map((e) => `${e.grantType} ${e.status}`),
      ['refresh_token 400']);
    assert.equal(provider.authorizationUrls.length, 2, 'the SDK wants the user to sign in again');
    assert.equal(provider.signIns.length, 1);

    const raw = await fetch(MCP_URL, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(raw.status, 401);
    await raw.body?.cancel();
  });
}

test('DCR: the SDK registers, signs in, calls tools, refreshes, revokes → 401', async (t) => {
  const rec = recordingFetch();
  const clientName = 'MalGomo SDK test <DCR> & co';
  const provider = new MemoryProvider({ clientName, redirectUrl: 'http://127.0.0.1:33418/callback', fetchFn: rec.fetchFn });
  await fullFlow(t, {
    provider,
    rec,
    clientName,
    expectClient: (p, log) => {
      const registrations = log.filter((e) => e.path === '/register');
      assert.deepEqual(registrations.map((e) => `${e.method} ${e.status}`), ['POST 201'], 'registered once (DCR)');
      const { client_id: clientId } = p.clientInformation();
      assert.ok(clientId && !clientId.includes('://'), `a registered client_id: ${clientId}`);
    },
  });
});

test('CIMD over https: clientMetadataUrl is the client_id and /register is never called',
  { skip: !TLS && 'MALGOMO_CIMD_TLS_CERT/KEY are not set (scripts/client-tests sets them and makes the server trust their CA)' },
  async (t) => {
    const clientName = 'MalGomo CIMD test client (https)';
    const doc = await serveMetadataDocument(t, { tls: TLS, clientName });
    const rec = recordingFetch();
    const provider = new MemoryProvider({ clientName, redirectUrl: doc.redirectUrl, fetchFn: rec.fetchFn, clientMetadataUrl: doc.url });
    await fullFlow(t, {
      provider,
      rec,
      clientName,
      expectClient: (p, log) => {
        assert.equal(p.clientInformation().client_id, doc.url, 'the SDK uses the document URL as client_id');
        assert.deepEqual(log.filter((e) => e.path === '/register'), [], 'no DCR');
        assert.ok(doc.hits.includes('/oauth/client-metadata.json'), 'the server fetched the document');
      },
    });
    assert.deepEqual(rec.log.filter((e) => e.path === '/register'), [], 'no DCR in the whole flow');
  });

test('CIMD over loopback http: the server accepts it (PUBLIC_URL is loopback); the SDK needs the id given', async (t) => {
  const clientName = 'MalGomo CIMD test client (http)';
  const doc = await serveMetadataDocument(t, { tls: undefined, clientName });
  const rec = recordingFetch();

  // The SDK 1.32 only takes an https clientMetadataUrl (SEP-991)...
  const refusing = new MemoryProvider({ clientName, redirectUrl: doc.redirectUrl, fetchFn: rec.fetchFn, clientMetadataUrl: doc.url });
  await assert.rejects(auth(refusing, { serverUrl: MCP_URL, fetchFn: rec.fetchFn }), InvalidClientMetadataError);

  // ...so the document URL is given as the client's information, which the
  // SDK then uses as the client_id without registering.
  const provider = new MemoryProvider({
    clientName, redirectUrl: doc.redirectUrl, fetchFn: rec.fetchFn, clientInformation: { client_id: doc.url },
  });
  await fullFlow(t, {
    provider,
    rec,
    clientName,
    expectClient: (p, log) => {
      assert.equal(p.clientInformation().client_id, doc.url);
      assert.deepEqual(log.filter((e) => e.path === '/register'), [], 'no DCR');
      assert.ok(doc.hits.includes('/oauth/client-metadata.json'), 'the server fetched the document');
    },
  });
  assert.deepEqual(rec.log.filter((e) => e.path === '/register'), [], 'no DCR in the whole flow');
});
