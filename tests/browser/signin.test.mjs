// Headless Chromium (Debian `chromium`, driven by playwright-core) through the
// mode A sign-in page of malgomo-mcp: /authorize → sign-in form → wrong
// password → right password → the client's redirect with a code → /token.
//
// Run by scripts/browser-tests, which starts the server with PUBLIC_URL set
// and passes its base URL in MALGOMO_BASE_URL. By hand:
//   MALGOMO_BASE_URL=http://127.0.0.1:PORT node --test signin.test.mjs
// Never downloads a browser: CHROMIUM_PATH (default /usr/bin/chromium) is used.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBrowser } from './browser.mjs';

const BASE = (process.env.MALGOMO_BASE_URL ?? '').replace(/\/+$/, '');
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ARTIFACTS = process.env.ARTIFACTS_DIR ?? join(ROOT, 'artifacts');
const SCREENSHOT = join(ARTIFACTS, 'signin.png'); // the clean sign-in page
const SCREENSHOT_INVALID = join(ARTIFACTS, 'signin-invalid.png'); // after a wrong password

const EMAIL = 'owner@agency-a.test';
const PASSWORD = 'owner-a-pass';

const b64url = (buf) => buf.toString('base64url');

function pkce() {
  const verifier = b64url(randomBytes(32));
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  return { verifier, challenge };
}

// A tiny stand-in for the client's redirect endpoint: records every request
// to /callback and answers a small "done" page.
async function startCallbackServer() {
  const hits = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    hits.push({ method: req.method, url });
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end('<!doctype html><title>done</title><h1 id="done">done</h1><p>You can close this window.</p>');
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address();
  return {
    hits,
    redirectUri: `http://127.0.0.1:${port}/callback`,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

async function register(clientName, redirectUri) {
  const res = await fetch(`${BASE}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: clientName,
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    }),
  });
  const body = await res.json();
  assert.equal(res.status, 201, `POST /register: ${JSON.stringify(body)}`);
  assert.equal(typeof body.client_id, 'string');
  return body;
}

function authorizeUrl(clientId, redirectUri, challenge, state) {
  const url = new URL(`${BASE}/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    scope: 'mcp',
    resource: `${BASE}/mcp`,
  }).toString();
  return url.toString();
}

// The headers every page of the authorization server must send.
function assertPageHeaders(response, what) {
  const headers = response.headers(); // lower-cased names
  const csp = headers['content-security-policy'] ?? '';
  assert.match(csp, /frame-ancestors 'none'/, `${what}: Content-Security-Policy is ${JSON.stringify(csp)}`);
  assert.equal(headers['x-frame-options'], 'DENY', `${what}: X-Frame-Options`);
  assert.match(headers['content-type'] ?? '', /^text\/html/, `${what}: Content-Type`);
}

// Submits the form and returns the response of the POST /oauth/login.
async function submit(page) {
  const [response] = await Promise.all([
    page.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/oauth/login',
    ),
    page.click('button[type=submit]'),
  ]);
  return response;
}

describe('mode A sign-in page in headless Chromium', () => {
  before(() => {
    assert.ok(BASE, 'MALGOMO_BASE_URL is not set (run scripts/browser-tests)');
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  test('sign in: wrong password re-renders, right password lands on the redirect with a code', async (t) => {
    const callback = await startCallbackServer();
    t.after(callback.close);
    const page = await openBrowser(t, 'signin', ARTIFACTS);

    const clientName = 'MalGomo Browser Test Client';
    const client = await register(clientName, callback.redirectUri);
    const { verifier, challenge } = pkce();
    const state = b64url(randomBytes(16));

    // -- the sign-in page ----------------------------------------------------
    const first = await page.goto(authorizeUrl(client.client_id, callback.redirectUri, challenge, state));
    assert.equal(first.status(), 200, `GET /authorize: ${await first.text()}`);
    assertPageHeaders(first, 'GET /authorize');
    assert.equal(await page.title(), 'Sign in — MalGomo');
    const names = await page.locator('.client').allTextContents();
    assert.ok(names.length >= 1 && names.every((n) => n === clientName), `client name shown: ${JSON.stringify(names)}`);
    // A registered client's name is its own claim: the page says so, and
    // shows in full where the code will go.
    assert.match(await page.locator('main').innerText(), /MalGomo Browser Test Client \(name not verified\) wants to read your MalGomo dashboard/);
    assert.equal(await page.locator('code.target').innerText(), callback.redirectUri);
    assert.equal(await page.locator('form input[name=email]').count(), 1);
    assert.equal(await page.locator('form input[name=email]').getAttribute('type'), 'email');
    assert.equal(await page.locator('form input[name=password]').count(), 1);
    assert.equal(await page.locator('form input[name=password]').getAttribute('type'), 'password');
    const csrf = page.locator('form input[type=hidden][name=csrf_token]');
    assert.equal(await csrf.count(), 1);
    const csrfValue = await csrf.getAttribute('value');
    assert.ok(csrfValue && csrfValue.length >= 16, `csrf_token value: ${JSON.stringify(csrfValue)}`);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // -- wrong credentials: the page comes back with a message --------------
    const wrongPassword = `wrong-${b64url(randomBytes(9))}`;
    await page.fill('input[name=email]', EMAIL);
    await page.fill('input[name=password]', wrongPassword);
    const failed = await submit(page);
    const failedBody = await failed.text();
    assert.equal(failed.status(), 401, `a wrong password re-renders the page with 401; got: ${failedBody.slice(0, 300)}`);
    assertPageHeaders(failed, 'POST /oauth/login (wrong password)');
    await page.waitForLoadState('load');
    assert.equal(new URL(page.url()).pathname, '/oauth/login');
    assert.equal((await page.locator('[role=alert]').innerText()).trim(), 'Invalid email or password.');
    assert.equal(await page.inputValue('input[name=email]'), EMAIL, 'the email is kept');
    assert.equal(await page.inputValue('input[name=password]'), '', 'the password field is empty');
    assert.equal(await page.locator('input[name=password]').getAttribute('value'), null);
    assert.ok(!failedBody.includes(wrongPassword), 'the password is not in the response body');
    assert.ok(!(await page.content()).includes(wrongPassword), 'the password is not in the rendered HTML');
    assert.equal(await page.locator('form input[type=hidden][name=csrf_token]').count(), 1);
    assert.equal(callback.hits.length, 0, 'no redirect to the client after a failed sign-in');
    assert.equal((await page.locator('.unverified').innerText()).trim(), '(name not verified)', 'still marked after a failed sign-in');
    assert.equal(await page.locator('code.target').innerText(), callback.redirectUri);
    await page.screenshot({ path: SCREENSHOT_INVALID, fullPage: true });

    // -- right credentials: redirected to the client with a code ------------
    await page.fill('input[name=email]', EMAIL);
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([
      page.waitForURL((url) => url.origin === callback.origin && url.pathname === '/callback'),
      page.click('button[type=submit]'),
    ]);
    await page.locator('#done').waitFor();
    assert.equal(callback.hits.length, 1, `callback requests: ${callback.hits.map((h) => h.url.href).join(', ')}`);
    const hit = callback.hits[0];
    assert.equal(hit.method, 'GET');
    const params = hit.url.searchParams;
    const code = params.get('code');
    assert.ok(code, `code in ${hit.url.search}`);
    assert.equal(params.get('state'), state);
    assert.equal(params.get('iss'), BASE);
    assert.equal(params.get('error'), null);

    // -- the code is real: exchange it with the PKCE verifier ----------------
    const token = await fetch(`${BASE}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: callback.redirectUri,
        code_verifier: verifier,
        client_id: client.client_id,
      }),
    });
    const tokens = await token.json();
    assert.equal(token.status, 200, `POST /token: ${JSON.stringify(tokens)}`);
    assert.equal(typeof tokens.access_token, 'string');
    assert.ok(tokens.access_token.length > 0);
    assert.match(tokens.token_type, /^bearer$/i);
    assert.equal(typeof tokens.refresh_token, 'string');
  });

  test('HTML in client_name is rendered as inert text', async (t) => {
    const callback = await startCallbackServer();
    t.after(callback.close);
    const page = await openBrowser(t, 'signin-xss', ARTIFACTS);
    const dialogs = [];
    page.on('dialog', async (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      await dialog.dismiss().catch(() => {});
    });

    const hostile = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const client = await register(hostile, callback.redirectUri);
    const { challenge } = pkce();
    const response = await page.goto(authorizeUrl(client.client_id, callback.redirectUri, challenge, 'xss'));
    assert.equal(response.status(), 200, `GET /authorize: ${await response.text()}`);
    assertPageHeaders(response, 'GET /authorize');
    await page.waitForLoadState('load');
    await page.waitForTimeout(300); // give an (unexpected) onerror handler its chance

    assert.equal(await page.locator('img').count(), 0, 'no <img> element in the DOM');
    assert.equal(await page.locator('script').count(), 0, 'no <script> element in the DOM');
    assert.equal(await page.locator('[onerror]').count(), 0, 'no element with an onerror attribute');
    const names = await page.locator('.client').allTextContents();
    assert.ok(names.length >= 1 && names.every((n) => n === hostile), `client name shown: ${JSON.stringify(names)}`);
    assert.ok((await page.locator('main').innerText()).includes(hostile), 'the visible text holds the literal name');
    const raw = await response.text();
    assert.ok(raw.includes('&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;'), 'escaped in the HTML');
    assert.ok(!raw.includes('<img') && !raw.includes('<script'), 'no raw tag in the HTML');
    assert.deepEqual(dialogs, [], 'no dialog opened');
    assert.equal(callback.hits.length, 0);
  });
});
