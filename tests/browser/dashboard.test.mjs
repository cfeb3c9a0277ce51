// The MCP Apps dashboard view (ui://malgomo/dashboard) in headless Chromium,
// hosted by a test page built on the official AppBridge (host/host.js).
// Everything it renders comes from the real server: the view's HTML from
// resources/read, and tool results of malgomo_get_kpis, _fans and
// _earnings called over MCP (Streamable HTTP) as the simulator's owner, plus
// a member's forbidden result. The test checks the rendered figures against
// each result's structuredContent, in light and dark theme, at 760 and at
// 320 px, and saves screenshots in artifacts/dashboard-*.png.
//
// Run by scripts/browser-tests, which starts `malgomo-mcp --demo` in mode B
// and passes its base URL in MALGOMO_DEMO_URL. By hand:
//   MALGOMO_DEMO_URL=http://127.0.0.1:PORT node --test dashboard.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { openBrowser } from './browser.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const BASE = (process.env.MALGOMO_DEMO_URL ?? '').replace(/\/+$/, '');
const ARTIFACTS = process.env.ARTIFACTS_DIR ?? join(resolve(HERE, '..', '..'), 'artifacts');
const VIEW_URI = 'ui://malgomo/dashboard';
const MIME = 'text/html;profile=mcp-app';
const OWNER = { email: 'owner@agency-a.test', password: 'owner-a-pass' };
const MEMBER = { email: 'member@agency-a.test', password: 'member-a-pass' };
const WIDE = 760;
const NARROW = 320;

// --- a small MCP client over Streamable HTTP (JSON answers) -------------------------

class Mcp {
  constructor(url) {
    this.url = url;
    this.session = undefined;
    this.nextId = 1;
  }

  async post(message) {
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    if (this.session) {
      headers['mcp-session-id'] = this.session;
      headers['mcp-protocol-version'] = '2025-06-18';
    }
    const response = await fetch(this.url, { method: 'POST', headers, body: JSON.stringify(message) });
    this.session ??= response.headers.get('mcp-session-id') ?? undefined;
    return response.status === 202 ? null : response.json();
  }

  async request(method, params = {}) {
    const answer = await this.post({ jsonrpc: '2.0', id: this.nextId++, method, params });
    assert.ok(!answer.error, `${method}: ${JSON.stringify(answer.error)}`);
    return answer.result;
  }

  static async connect(url, account) {
    const mcp = new Mcp(url);
    await mcp.request('initialize', {
      protocolVersion: '2025-06-18',
      capabilities: { extensions: { 'io.modelcontextprotocol/ui': { mimeTypes: [MIME] } } },
      clientInfo: { name: 'dashboard-browser-test', version: '0' },
    });
    await mcp.post({ jsonrpc: '2.0', method: 'notifications/initialized' });
    const login = await mcp.request('tools/call', { name: 'malgomo_login', arguments: account });
    assert.equal(login.isError, false, JSON.stringify(login));
    return mcp;
  }
}

// --- the host page -----------------------------------------------------------------------

async function startHost() {
  const bundle = await esbuild.build({
    entryPoints: [join(HERE, 'host', 'host.js')],
    bundle: true,
    format: 'iife',
    write: false,
    logLevel: 'warning',
  });
  const script = bundle.outputFiles[0].text;
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>test host</title><link rel="icon" href="data:,">
<style>:root{--border:#d0d4da;background:#eef0f3}:root[data-theme=dark]{--border:#3a3e46;background:#0d0e10}
body{margin:0;padding:16px}iframe{display:block;border-radius:12px;background:transparent}</style>
</head><body><script src="/host.js"></script></body></html>`;
  const server = createServer((req, res) => {
    if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    else if (req.url === '/host.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else res.writeHead(404).end();
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}

// Opens the host at `width`, mounts the view with `result`, and returns the
// view's frame once it has rendered. Any request the view makes beyond the
// host page, and any console error, fails the test.
async function mountView(t, name, { width, theme, toolName, args, result }) {
  const page = await openBrowser(t, name, ARTIFACTS, { width: width + 32, height: 900 });
  const stray = [];
  const errors = [];
  page.on('request', (req) => {
    if (!req.url().startsWith(host.url) && !req.url().startsWith('about:')) stray.push(req.url());
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.goto(host.url);
  await page.evaluate((input) => window.mountView(input), {
    html: view.html, csp: view.csp, prefersBorder: view.prefersBorder, toolName, args, result, theme, width,
  });
  const frame = page.frameLocator('#view');
  await frame.locator(`main[data-state="${result.isError ? 'error' : 'ready'}"]`).waitFor();
  // The view reports its height (ui/notifications/size-changed) and the host
  // sizes the iframe to it, as hosts do: no inner scrollbar.
  const height = await frame.locator('html').evaluate((root) => root.getBoundingClientRect().height);
  await page.waitForFunction(
    (want) => Math.abs(parseFloat(document.getElementById('view').style.height) - want) <= 2,
    height,
  );
  const assertClean = () => {
    assert.deepEqual(stray, [], 'the view loads nothing from the network');
    assert.deepEqual(errors, [], 'no console errors (CSP violations included)');
  };
  return { page, frame, assertClean };
}

// The view runs in an out-of-process frame that paints only what the
// viewport shows: make room for all of it first.
async function screenshot(page, name) {
  const frame = page.locator('#view');
  const { width, height } = await frame.boundingBox();
  await page.setViewportSize({ width: Math.ceil(width) + 32, height: Math.max(900, Math.ceil(height) + 32) });
  await frame.screenshot({ path: join(ARTIFACTS, `dashboard-${name}.png`) });
}

// --- what the figures must read ----------------------------------------------------------

const eur = (value) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
const int = (value) => new Intl.NumberFormat('en-US').format(value);

async function figure(frame, name) {
  const node = frame.locator(`[data-figure="${name}"]`);
  return { value: Number(await node.getAttribute('data-value')), text: (await node.textContent()).trim() };
}

async function assertFigure(frame, name, value, text) {
  const shown = await figure(frame, name);
  assert.equal(shown.value, value, `${name}: data-value`);
  assert.equal(shown.text, text, `${name}: text`);
}

// The rows of a table, as [first cell, numbers of the data-col cells].
async function tableRows(frame, table) {
  const section = frame.locator(`[data-table="${table}"]`);
  const declared = Number(await section.getAttribute('data-rows'));
  const rows = await section.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      name: tr.querySelector('th').textContent,
      values: Object.fromEntries(
        [...tr.querySelectorAll('[data-col]')].map((td) => [td.dataset.col, Number(td.dataset.value)]),
      ),
    })),
  );
  assert.equal(rows.length, declared, `${table}: rendered rows = declared rows`);
  return rows;
}

function sortedBy(list, key) {
  return [...list].sort((a, b) => b[key] - a[key]);
}

async function assertChart(frame, chart, points) {
  const node = frame.locator(`[data-chart="${chart}"]`);
  assert.equal(Number(await node.getAttribute('data-points')), points, `${chart}: points`);
  const bars = await node.locator('rect.bar').count();
  assert.ok(bars >= points, `${chart}: ${bars} bars for ${points} points`);
  assert.equal(await node.locator('details table tbody tr').count(), points, `${chart}: data table rows`);
  const label = await node.locator('svg').getAttribute('aria-labelledby');
  assert.ok(label, `${chart}: the chart names its text alternative`);
}

const CHECKS = {
  malgomo_get_kpis: async (frame, data) => {
    await assertFigure(frame, 'hero-net', data.hero_net_eur, eur(data.hero_net_eur));
    await assertFigure(frame, 'creator-count', data.creator_count, String(data.creator_count));
    const rows = await tableRows(frame, 'per-creator');
    assert.deepEqual(
      rows.map((r) => [r.name, r.values.net]),
      sortedBy(data.per_creator, 'net_eur').map((c) => [c.profile_name, c.net_eur]),
    );
    for (const [key, value] of Object.entries(data.revenue_by_category_eur)) {
      const part = frame.locator(`[data-chart="categories"] [data-part="${key}"]`);
      assert.equal(Number(await part.getAttribute('data-value')), value, key);
      assert.equal((await part.locator('.num').textContent()).trim(), eur(value), key);
    }
    const oneDay = ['today', 'yesterday'].includes(data.mobile_period);
    if (oneDay) await assertChart(frame, 'hourly', data.hourly_revenue_current.length);
    else await assertChart(frame, 'daily', data.daily_revenue_current.length);
  },
  malgomo_get_fans: async (frame, data) => {
    await assertFigure(frame, 'fans-total', data.totals.total, int(data.totals.total));
    await assertFigure(frame, 'new-total', data.new_in_period.total, `+${int(data.new_in_period.total)}`);
    await assertFigure(frame, 'new-today', data.new_today_total, `+${int(data.new_today_total)}`);
    const rows = await tableRows(frame, 'per-creator');
    assert.deepEqual(
      rows.map((r) => [r.name, r.values.total, r.values.sub, r.values.free, r.values['new-today']]),
      sortedBy(data.per_creator, 'total').map((c) => [c.profile_name, c.total, c.sub, c.free, c.new_today]),
    );
    await assertChart(frame, 'daily-new', data.daily_new.length);
  },
  malgomo_get_earnings: async (frame, data) => {
    await assertFigure(frame, 'period-net', data.period_totals.net, eur(data.period_totals.net));
    await assertFigure(frame, 'period-gross', data.period_totals.gross, eur(data.period_totals.gross));
    await assertFigure(frame, 'month-net', data.month.net, eur(data.month.net));
    const rows = await tableRows(frame, 'per-creator');
    assert.deepEqual(
      rows.map((r) => [r.name, r.values.net, r.values.gross]),
      sortedBy(data.per_creator, 'net').map((c) => [c.profile_name, c.net, c.gross]),
    );
    const transactions = await tableRows(frame, 'transactions');
    assert.deepEqual(transactions.map((r) => r.values.net), data.transactions.map((x) => x.net));
    await assertChart(frame, 'daily', data.daily.length);
  },
};

// --- the tests -------------------------------------------------------------------------------

let host;
let view;
const results = {};
let forbidden;

describe('MCP Apps dashboard view in a sandboxed iframe (AppBridge host)', () => {
  before(async () => {
    assert.ok(BASE, 'MALGOMO_DEMO_URL must name the running malgomo-mcp --demo (mode B)');
    mkdirSync(ARTIFACTS, { recursive: true });
    const owner = await Mcp.connect(`${BASE}/mcp`, OWNER);
    const tools = await owner.request('tools/list');
    const read = await owner.request('resources/read', { uri: VIEW_URI });
    const [content] = read.contents;
    assert.equal(content.mimeType, MIME);
    view = { html: content.text, csp: content._meta?.ui?.csp, prefersBorder: content._meta?.ui?.prefersBorder };
    for (const name of Object.keys(CHECKS)) {
      const tool = tools.tools.find((t) => t.name === name);
      assert.equal(tool?._meta?.ui?.resourceUri, VIEW_URI, `${name} points at the view`);
      results[name] = {
        args: { period: '7d' },
        result: await owner.request('tools/call', { name, arguments: { period: '7d' } }),
      };
      assert.equal(results[name].result.isError, false, name);
    }
    results.today = {
      args: { period: 'today' },
      result: await owner.request('tools/call', { name: 'malgomo_get_kpis', arguments: { period: 'today' } }),
    };
    const member = await Mcp.connect(`${BASE}/mcp`, MEMBER);
    forbidden = await member.request('tools/call', { name: 'malgomo_get_kpis', arguments: {} });
    assert.equal(forbidden.isError, true, 'a member is refused');
    host = await startHost();
  });
  after(() => host?.close());

  for (const toolName of Object.keys(CHECKS)) {
    for (const theme of ['light', 'dark']) {
      const short = toolName.replace('malgomo_get_', '');
      test(`${short} (7d), ${theme}: figures equal structuredContent`, async (t) => {
        const { args, result } = results[toolName];
        const { page, frame, assertClean } = await mountView(t, `dashboard-${short}-${theme}`, { width: WIDE, theme, toolName, args, result });
        await CHECKS[toolName](frame, result.structuredContent);
        const applied = await frame.locator('html').evaluate((root) => ({
          theme: root.dataset.theme,
          background: getComputedStyle(document.body).backgroundColor,
        }));
        assert.equal(applied.theme, theme, 'the host theme is applied');
        const [r, g, b] = applied.background.match(/\d+/g).map(Number);
        const light = (r + g + b) / 3 > 128;
        assert.equal(light, theme === 'light', `background ${applied.background} suits ${theme}`);
        await screenshot(page, `${short}-${theme}`);
        assertClean();
      });
    }
  }

  test('kpis (today) at 320 px: hourly curve, readable without horizontal scrolling', async (t) => {
    const { args, result } = results.today;
    const { page, frame, assertClean } = await mountView(t, 'dashboard-kpis-320', {
      width: NARROW, theme: 'light', toolName: 'malgomo_get_kpis', args, result,
    });
    await CHECKS.malgomo_get_kpis(frame, result.structuredContent);
    const widths = await frame.locator('html').evaluate((root) => ({ scroll: root.scrollWidth, client: root.clientWidth }));
    assert.ok(widths.scroll <= widths.client, `no horizontal overflow: ${JSON.stringify(widths)}`);
    const hero = await frame.locator('[data-figure="hero-net"]').evaluate((node) => parseFloat(getComputedStyle(node).fontSize));
    assert.ok(hero >= 20, `the hero figure stays large (${hero}px)`);
    await screenshot(page, 'kpis-320');
    assertClean();
  });

  test('the docs page frames the same view, fed with its demo result', async (t) => {
    const page = await openBrowser(t, 'docs-dashboard', ARTIFACTS, { width: 1000, height: 1400 });
    const errors = [];
    page.on('console', (msg) => {
      // The browser's own /favicon.ico probe (the server has none) is not the page's doing.
      if (msg.type() === 'error' && !msg.location().url.endsWith('/favicon.ico')) errors.push(msg.text());
    });
    await page.goto(`${BASE}/docs#dashboard-view`);
    const frame = page.frameLocator('iframe.view');
    await frame.locator('main[data-state="ready"]').waitFor();
    const hero = await figure(frame, 'hero-net');
    assert.ok(hero.value > 0, 'the demo shows a net figure');
    assert.equal(hero.text, eur(hero.value));
    await page.locator('iframe.view').screenshot({ path: join(ARTIFACTS, 'dashboard-docs.png') });
    assert.deepEqual(errors, [], 'no console errors (CSP violations included)');
  });

  for (const theme of ['light', 'dark']) {
    test(`a forbidden member's result (${theme}) shows a clear message, no charts`, async (t) => {
      const { page, frame, assertClean } = await mountView(t, `dashboard-forbidden-${theme}`, {
        width: WIDE, theme, toolName: 'malgomo_get_kpis', args: {}, result: forbidden,
      });
      const alert = frame.locator('[role="alert"]');
      assert.match(await alert.locator('h1').textContent(), /no access/i);
      assert.equal((await alert.locator('[data-figure="error"]').textContent()).trim(), forbidden.content[0].text);
      assert.equal(await frame.locator('[data-chart], [data-table], table, [data-figure="hero-net"]').count(), 0, 'no empty charts');
      await screenshot(page, `forbidden-${theme}`);
      assertClean();
    });
  }
});
