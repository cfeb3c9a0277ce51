// Drives the conformance suite's `authorization` command against our
// authorization server, standing in for the person at the browser.
//
// The suite (0.2.0-alpha) has no login hook: its authorization-code-grant
// scenario prints the authorization URL ("Access the following URL in your
// browser ..."), listens on http://127.0.0.1:<port>/callback and waits up to
// 5 minutes for the browser to land there. It also needs a client id that
// already has that redirect URI (it does not register one itself).
//
// So this script
//   1. registers a public client (DCR, token_endpoint_auth_method none) whose
//      redirect URI is the suite's callback,
//   2. runs the suite on every authorization scenario (the grant scenario
//      reads the metadata scenario's result, so they run together),
//   3. watches the suite's stdout for the authorization URL and does what a
//      browser would: GET it, fill in the sign-in form (hidden fields + email
//      + password, with the CSRF cookie), POST it, and follow the redirect to
//      the suite's callback server, and
//   4. exits with the suite's exit code (1 if the sign-in itself broke).
//
// Run with the pinned Node 22 (global fetch; redirect: "manual" exposes the
// Location header):
//   node drive.mjs --suite DIST/index.js --issuer URL --resource URL
//       --callback-port N --out DIR --email E --password P
import { spawn } from "node:child_process";
import readline from "node:readline";
import { parseArgs } from "node:util";

const { values: opt } = parseArgs({
  options: {
    suite: { type: "string" },
    issuer: { type: "string" },
    resource: { type: "string" },
    "callback-port": { type: "string" },
    out: { type: "string" },
    email: { type: "string" },
    password: { type: "string" },
  },
});
for (const k of ["suite", "issuer", "resource", "callback-port", "out", "email", "password"]) {
  if (!opt[k]) {
    console.error(`drive: missing --${k}`);
    process.exit(2);
  }
}
const issuer = opt.issuer.replace(/\/$/, "");
const callbackPort = Number(opt["callback-port"]);
const redirectUri = `http://127.0.0.1:${callbackPort}/callback`;
const HTTP_TIMEOUT_MS = 10_000;

const log = (msg) => console.log(`[drive] ${msg}`);
const fail = (msg) => {
  console.error(`[drive] ERROR: ${msg}`);
  return new Error(msg);
};

async function http(url, init = {}) {
  return fetch(url, { redirect: "manual", signal: AbortSignal.timeout(HTTP_TIMEOUT_MS), ...init });
}

// -- 1. a client the suite can use ------------------------------------------------
const metaRes = await http(`${issuer}/.well-known/oauth-authorization-server`);
if (metaRes.status !== 200) throw fail(`AS metadata: HTTP ${metaRes.status}`);
const meta = await metaRes.json();
if (!meta.registration_endpoint) throw fail("AS metadata has no registration_endpoint");
const regRes = await http(meta.registration_endpoint, {
  method: "POST",
  headers: { "content-type": "application/json", accept: "application/json" },
  body: JSON.stringify({
    client_name: "MCP conformance suite (authorization)",
    redirect_uris: [redirectUri],
    token_endpoint_auth_method: "none",
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
  }),
});
const reg = await regRes.json().catch(() => ({}));
if (regRes.status !== 201 || !reg.client_id) {
  throw fail(`registration: HTTP ${regRes.status} ${JSON.stringify(reg)}`);
}
log(`registered client ${reg.client_id} with redirect URI ${redirectUri}`);

// -- 2. the suite ---------------------------------------------------------------------
const suite = spawn(
  process.execPath,
  [
    opt.suite,
    "authorization",
    "--url", issuer,
    "--client-id", reg.client_id,
    "--resource", opt.resource,
    "--port", String(callbackPort),
    "-o", opt.out,
  ],
  { stdio: ["ignore", "pipe", "inherit"] },
);
let signInError = null;
const stop = () => suite.kill("SIGTERM");
process.on("SIGTERM", () => { stop(); process.exit(143); });
process.on("SIGINT", () => { stop(); process.exit(130); });

// -- 3. the browser ---------------------------------------------------------------------
const decode = (s) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#x2F;|&#47;/g, "/")
    .replace(/&amp;/g, "&");

const attr = (tag, name) => {
  const m = tag.match(new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, "i"));
  return m ? decode(m[1] ?? m[2]) : undefined;
};

// The first POST form on the page that has a password field.
function parseForm(html) {
  for (const [, open, inner] of html.matchAll(/(<form\b[^>]*>)([\s\S]*?)<\/form>/gi)) {
    if ((attr(open, "method") ?? "get").toLowerCase() !== "post") continue;
    const inputs = [...inner.matchAll(/<input\b[^>]*>/gi)].map(([t]) => ({
      name: attr(t, "name"),
      type: (attr(t, "type") ?? "text").toLowerCase(),
      value: attr(t, "value") ?? "",
    }));
    if (!inputs.some((i) => i.type === "password")) continue;
    return { action: attr(open, "action") ?? "", inputs };
  }
  return null;
}

// Hands the redirect to the suite's callback server, as the browser would.
async function deliver(location) {
  const url = new URL(location);
  if (url.origin !== `http://127.0.0.1:${callbackPort}`) {
    throw fail(`redirect goes to ${url.origin}${url.pathname}, not the suite's callback ${redirectUri}`);
  }
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await http(url);
      await res.arrayBuffer();
      log(`delivered the redirect to the suite's callback (HTTP ${res.status})`);
      return;
    } catch (e) {
      if (attempt >= 20) throw fail(`callback ${redirectUri} unreachable: ${e.cause?.code ?? e.message}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function signIn(authorizationUrl) {
  log("signing in as the browser would");
  const page = await http(authorizationUrl, { headers: { accept: "text/html" } });
  const html = await page.text();
  if (page.status >= 300 && page.status < 400) {
    // An error redirect from /authorize: let the suite see and judge it.
    log(`GET /authorize answered ${page.status} -> ${page.headers.get("location")}`);
    return deliver(new URL(page.headers.get("location"), authorizationUrl));
  }
  if (page.status !== 200) {
    throw fail(`GET authorization URL: HTTP ${page.status}: ${html.slice(0, 300)}`);
  }
  const form = parseForm(html);
  if (!form) throw fail("the authorization page has no POST form with a password field");
  const cookies = page.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const fields = new URLSearchParams();
  for (const i of form.inputs) {
    if (!i.name) continue;
    if (i.type === "password") fields.set(i.name, opt.password);
    else if (i.type === "email" || i.name === "email") fields.set(i.name, opt.email);
    else if (i.type === "hidden") fields.set(i.name, i.value);
  }
  const action = new URL(form.action, page.url || authorizationUrl);
  const login = await http(action, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      accept: "text/html",
      origin: new URL(authorizationUrl).origin,
      ...(cookies ? { cookie: cookies } : {}),
    },
    body: fields.toString(),
  });
  const body = await login.text();
  const location = login.headers.get("location");
  if (login.status < 300 || login.status >= 400 || !location) {
    const alert = body.match(/role="alert">([\s\S]*?)</);
    throw fail(
      `POST ${action.pathname}: HTTP ${login.status}, no redirect` +
        (alert ? ` (page says: ${decode(alert[1])})` : ""),
    );
  }
  log(`POST ${action.pathname} answered ${login.status}`);
  return deliver(new URL(location, action));
}

const prefix = `${meta.authorization_endpoint}?`;
const lines = readline.createInterface({ input: suite.stdout });
lines.on("line", (line) => {
  console.log(line);
  if (line.startsWith(prefix)) {
    signIn(line.trim()).catch((e) => {
      signInError = e;
      if (!e.message) console.error(e);
      stop(); // otherwise the suite waits 5 minutes for a callback
    });
  }
});

// -- 4. the verdict ---------------------------------------------------------------------------
const [code, signal] = await new Promise((resolve) => suite.on("exit", (c, s) => resolve([c, s])));
if (signInError) {
  console.error(`[drive] the sign-in failed; the suite was stopped`);
  process.exit(1);
}
if (signal) {
  console.error(`[drive] the suite was killed by ${signal}`);
  process.exit(1);
}
process.exit(code ?? 1);
