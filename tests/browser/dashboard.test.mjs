// The MCP Apps dashboard view (ui://malgomo/dashboard) in headless Chromium,
// hosted by a test page built on the official AppBridge (host/host.js,
// ext-apps 2.x). Everything it renders comes from the real server: the
// view's HTML from resources/read, and tool results of malgomo_get_kpis,
// _fans and _earnings called over MCP (Streamable HTTP) as the simulator's
// owner, plus a member's forbidden result. When the view switches section
// or period, its tools/call goes through the host to the real server too
// (as the owner or the member), and the test checks what the view shows
// against the result the host got back, and the ui/update-model-context the
// host received. Also: fullscreen (all three sections), light and dark
// theme, the host's CSS variables, 760 and 320 px, ≤ 500 px tall inline;
// screenshots in artifacts/dashboard-*.png.
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
/** The tallest an inline view may be (hosts' guideline: no inner scrolling). */
const INLINE_MAX_HEIGHT = 500;
const SECTIONS = { revenue: 'malgomo_get_kpis', fans: 'malgomo_get_fans', earnings: 'malgomo_get_earnings' };
const PERIODS = ['today', 'yesterday', '7d', '30d'];

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

// Opens the host at `width`, mounts the view with `result` of `toolName`,
// and returns the view's frame once it has rendered. The view's tool calls
// go, through the host, to the real server as `caller` (owner or member);
// `hold()` makes the next ones wait until released. Any request the view
// makes beyond the host page, and any console error, fails the test.
async function mountView(t, name, {
  width, theme, toolName, args, result, caller = 'owner', displayModes, variables, viewport,
}) {
  const page = await openBrowser(t, name, ARTIFACTS, viewport ?? { width: width + 32, height: 900 });
  const stray = [];
  const errors = [];
  page.on('request', (req) => {
    if (!req.url().startsWith(host.url) && !req.url().startsWith('about:')) stray.push(req.url());
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  let gate = null;
  await page.exposeFunction('hostCallTool', async (params) => {
    await gate?.promise;
    return sessions[caller].request('tools/call', params);
  });
  const hold = () => {
    let release;
    gate = { promise: new Promise((done) => { release = done; }) };
    return () => { release(); gate = null; };
  };
  await page.goto(host.url);
  await page.evaluate((input) => window.mountView(input), {
    html: view.html, csp: view.csp, prefersBorder: view.prefersBorder, tool: tools[toolName], args, result,
    theme, width, displayModes, variables,
  });
  const frame = page.frameLocator('#view');
  await frame.locator(`main[data-state="${result.isError ? 'error' : 'ready'}"]`).waitFor();
  const height = await fitsItsFrame(page, frame);
  const assertClean = () => {
    assert.deepEqual(stray, [], 'the view loads nothing from the network');
    assert.deepEqual(errors, [], 'no console errors (CSP violations included)');
  };
  return { page, frame, assertClean, hold, height };
}

// The view reports its height (ui/notifications/size-changed) and the host
// sizes the iframe to it, as hosts do: no inner scrollbar.
async function fitsItsFrame(page, frame) {
  const height = await frame.locator('html').evaluate((root) => root.getBoundingClientRect().height);
  await page.waitForFunction(
    (want) => Math.abs(parseFloat(document.getElementById('view').style.height) - want) <= 2,
    height,
  );
  return height;
}

/** What the host has seen so far: the view's tool calls and context updates. */
function hostLog(page) {
  return page.evaluate(() => JSON.parse(JSON.stringify(window.host)));
}

// Clicks a toolbar button and waits until the view shows the answer to the
// call it made through the host and the host has its context update; returns
// that call and that update.
async function pick(page, frame, selector, { calls = 1, state = 'ready' } = {}) {
  const before = await hostLog(page);
  await frame.locator(`nav.toolbar button${selector}`).click();
  await page.waitForFunction(
    ([n, m]) => window.host.calls.length >= n && window.host.contextUpdates.length >= m,
    [before.calls.length + calls, before.contextUpdates.length + 1],
  );
  await frame.locator(`main[data-state="${state}"]`).waitFor();
  const after = await hostLog(page);
  return { calls: after.calls.slice(before.calls.length), update: after.contextUpdates.at(-1) };
}

async function pressed(frame, kind) {
  return frame.locator(`nav.toolbar button[data-${kind}][aria-pressed="true"]`).getAttribute(`data-${kind}`);
}

/** The headline figures the view must report for a section's data. */
function headline(section, data) {
  switch (section) {
    case 'revenue': return { net_revenue_eur: data.hero_net_eur, creators: data.creator_count };
    case 'fans': return { fans: data.totals.total, new_in_period: data.new_in_period.total, new_today: data.new_today_total };
    default: return { net_eur: data.period_totals.net, gross_eur: data.period_totals.gross, month_net_eur: data.month.net };
  }
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
/** tools/list entries by name (the host hands the view its tool's). */
const tools = {};
/** The MCP sessions the host's tools/call go to, by caller. */
const sessions = {};

describe('MCP Apps dashboard view in a sandboxed iframe (AppBridge host)', () => {
  before(async () => {
    assert.ok(BASE, 'MALGOMO_DEMO_URL must name the running malgomo-mcp --demo (mode B)');
    mkdirSync(ARTIFACTS, { recursive: true });
    const owner = await Mcp.connect(`${BASE}/mcp`, OWNER);
    const listed = await owner.request('tools/list');
    for (const tool of listed.tools) tools[tool.name] = tool;
    sessions.owner = owner;
    const read = await owner.request('resources/read', { uri: VIEW_URI });
    const [content] = read.contents;
    assert.equal(content.mimeType, MIME);
    view = { html: content.text, csp: content._meta?.ui?.csp, prefersBorder: content._meta?.ui?.prefersBorder };
    for (const name of Object.keys(CHECKS)) {
      const tool = tools[name];
      assert.equal(tool?._meta?.ui?.resourceUri, VIEW_URI, `${name} points at the view`);
      assert.deepEqual(tool?._meta?.ui?.visibility, ['model', 'app'], `${name}: the view may call it`);
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
    sessions.member = member;
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
        const { page, frame, assertClean, height } = await mountView(t, `dashboard-${short}-${theme}`, { width: WIDE, theme, toolName, args, result });
        await CHECKS[toolName](frame, result.structuredContent);
        assert.ok(height <= INLINE_MAX_HEIGHT, `inline it stays short: ${height}px`);
        assert.equal(await pressed(frame, 'period'), '7d', 'the period asked is the one pressed');
        assert.equal(await frame.locator('[data-action="fullscreen"]').count(), 0, 'no fullscreen where the host has none');
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
    const { page, frame, assertClean, height } = await mountView(t, 'dashboard-kpis-320', {
      width: NARROW, theme: 'light', toolName: 'malgomo_get_kpis', args, result,
    });
    assert.ok(height <= INLINE_MAX_HEIGHT, `inline it stays short: ${height}px`);
    await CHECKS.malgomo_get_kpis(frame, result.structuredContent);
    const widths = await frame.locator('html').evaluate((root) => ({ scroll: root.scrollWidth, client: root.clientWidth }));
    assert.ok(widths.scroll <= widths.client, `no horizontal overflow: ${JSON.stringify(widths)}`);
    assert.equal(await frame.locator('nav.toolbar button').count(), 7, 'every switch fits at 320 px');
    const hero = await frame.locator('[data-figure="hero-net"]').evaluate((node) => parseFloat(getComputedStyle(node).fontSize));
    assert.ok(hero >= 20, `the hero figure stays large (${hero}px)`);
    await screenshot(page, 'kpis-320');
    assertClean();
  });

  test('fans and earnings at 320 px stay short inline too', async (t) => {
    for (const toolName of ['malgomo_get_fans', 'malgomo_get_earnings']) {
      const { args, result } = results[toolName];
      const short = toolName.replace('malgomo_get_', '');
      const { frame, assertClean, height } = await mountView(t, `dashboard-${short}-320`, {
        width: NARROW, theme: 'dark', toolName, args, result,
      });
      await CHECKS[toolName](frame, result.structuredContent);
      assert.ok(height <= INLINE_MAX_HEIGHT, `${short} inline at 320 px: ${height}px`);
      assertClean();
    }
  });

  test('every section and period is a click: the view shows what the host got back and tells the model', async (t) => {
    const { args, result } = results.malgomo_get_kpis;
    const { page, frame, assertClean } = await mountView(t, 'dashboard-switch', {
      width: WIDE, theme: 'light', toolName: 'malgomo_get_kpis', args, result,
    });
    assert.equal(await pressed(frame, 'section'), 'revenue');
    let period = '7d';
    for (const [section, toolName] of Object.entries(SECTIONS)) {
      // Each section at each period once: a section's click loads it at the
      // current period, then the other three; revenue (shown first, at 7d)
      // comes back to 7d last, since clicking what is shown calls nothing.
      const steps = section === 'revenue' ? [] : [['section', section]];
      const others = PERIODS.filter((p) => p !== period);
      for (const p of section === 'revenue' ? [...others, period] : others) steps.push(['period', p]);
      for (const [kind, value] of steps) {
        if (kind === 'period') period = value;
        const { calls, update } = await pick(page, frame, `[data-${kind}="${value}"]`);
        assert.equal(calls.length, 1, `${section} ${period}: one call`);
        const [{ params, result: answer }] = calls;
        assert.deepEqual(params, { name: toolName, arguments: { period } }, `${kind} ${value}`);
        assert.equal(answer.isError, false, `${toolName} ${period}`);
        await CHECKS[toolName](frame, answer.structuredContent);
        assert.equal(await pressed(frame, 'section'), section);
        assert.equal(await pressed(frame, 'period'), period);
        assert.deepEqual(update.structuredContent, {
          period, section, displayMode: 'inline',
          sections: [{ section, figures: headline(section, answer.structuredContent) }],
        }, `${section} ${period}: the model is told what is on screen`);
        assert.match(update.content[0].text, new RegExp(`period .*\\(${period}\\)`));
      }
      await screenshot(page, `switch-${section}`);
    }
    assertClean();
  });

  test('while a switch loads the view says so and the controls wait', async (t) => {
    const { args, result } = results.malgomo_get_kpis;
    const { page, frame, assertClean, hold } = await mountView(t, 'dashboard-loading', {
      width: WIDE, theme: 'dark', toolName: 'malgomo_get_kpis', args, result,
    });
    const release = hold();
    await frame.locator('nav.toolbar button[data-section="earnings"]').click();
    await frame.locator('main[data-state="loading"]').waitFor();
    assert.match(await frame.locator('[role="status"]').textContent(), /Loading Earnings, 7 days/);
    assert.equal(await frame.locator('nav.toolbar button:disabled').count(), await frame.locator('nav.toolbar button').count());
    assert.equal(await frame.locator('.content[aria-busy="true"]').count(), 1);
    release();
    await frame.locator('main[data-state="ready"]').waitFor();
    assert.equal(await frame.locator('[role="status"]').count(), 0);
    assert.equal(await pressed(frame, 'section'), 'earnings');
    assertClean();
  });

  test("a member's switch is answered forbidden: the same message, no charts", async (t) => {
    const { page, frame, assertClean } = await mountView(t, 'dashboard-member-switch', {
      width: WIDE, theme: 'light', toolName: 'malgomo_get_kpis', args: {}, result: forbidden, caller: 'member',
    });
    assert.equal(await pressed(frame, 'section'), 'revenue', 'the section comes from the tool the host named');
    const { calls, update } = await pick(page, frame, '[data-section="fans"]', { state: 'error' });
    const [{ params, result: answer }] = calls;
    assert.deepEqual(params, { name: 'malgomo_get_fans', arguments: { period: 'today' } });
    assert.equal(answer.isError, true, 'a member is refused');
    const alert = frame.locator('[role="alert"]');
    assert.match(await alert.locator('h1').textContent(), /no access/i);
    assert.equal((await alert.locator('[data-figure="error"]').textContent()).trim(), answer.content[0].text);
    assert.equal(await frame.locator('[data-chart], [data-table], [data-figure="fans-total"]').count(), 0, 'no empty charts');
    assert.deepEqual(update.structuredContent.sections, [{ section: 'fans', error: answer.content[0].text }]);
    await screenshot(page, 'member-switch');
    assertClean();
  });

  test('fullscreen, where the host offers it: all three sections at once, and back', async (t) => {
    const { args, result } = results.malgomo_get_fans;
    const { page, frame, assertClean } = await mountView(t, 'dashboard-fullscreen', {
      width: WIDE, theme: 'light', toolName: 'malgomo_get_fans', args, result,
      displayModes: ['inline', 'fullscreen'], viewport: { width: 1400, height: 1000 },
    });
    const { calls, update } = await pick(page, frame, '[data-action="fullscreen"]', { calls: 3 });
    assert.deepEqual((await hostLog(page)).displayModeRequests, ['fullscreen']);
    await frame.locator('main[data-mode="fullscreen"]').waitFor();
    assert.deepEqual(calls.map((c) => c.params).sort((a, b) => a.name.localeCompare(b.name)), [
      { name: 'malgomo_get_earnings', arguments: { period: '7d' } },
      { name: 'malgomo_get_fans', arguments: { period: '7d' } },
      { name: 'malgomo_get_kpis', arguments: { period: '7d' } },
    ]);
    const tops = [];
    for (const [section, toolName] of Object.entries(SECTIONS)) {
      const answer = calls.find((c) => c.params.name === toolName).result;
      const pane = frame.locator(`[data-pane="${section}"]`);
      await CHECKS[toolName](pane, answer.structuredContent);
      tops.push(Math.round((await pane.boundingBox()).y));
    }
    assert.equal(new Set(tops).size, 1, `the three sections side by side: ${tops}`);
    const clipped = await frame.locator('[data-pane] .scroll').evaluateAll((boxes) =>
      boxes.filter((box) => box.scrollWidth > box.clientWidth + 1)
        .map((box) => `${box.closest('[data-pane]').dataset.pane}: ${box.scrollWidth} > ${box.clientWidth}`));
    assert.deepEqual(clipped, [], 'every table fits its pane: no column past the edge');
    assert.equal(await frame.locator('nav.toolbar [data-section]').count(), 0, 'no section switch: all are shown');
    assert.equal(update.structuredContent.section, 'all');
    assert.equal(update.structuredContent.displayMode, 'fullscreen');
    assert.deepEqual(update.structuredContent.sections.map((x) => x.section), ['revenue', 'fans', 'earnings']);
    await page.locator('#view').screenshot({ path: join(ARTIFACTS, 'dashboard-fullscreen.png') });

    const switched = await pick(page, frame, '[data-period="30d"]', { calls: 3 });
    for (const { params, result: answer } of switched.calls) {
      assert.equal(params.arguments.period, '30d');
      const section = Object.keys(SECTIONS).find((k) => SECTIONS[k] === params.name);
      await CHECKS[params.name](frame.locator(`[data-pane="${section}"]`), answer.structuredContent);
    }

    await frame.locator('[data-action="exit-fullscreen"]').click();
    await frame.locator('main[data-mode="inline"][data-state="ready"]').waitFor();
    assert.deepEqual((await hostLog(page)).displayModeRequests, ['fullscreen', 'inline']);
    assert.equal(await pressed(frame, 'section'), 'fans', 'back to the section it showed');
    assert.equal(await frame.locator('[data-pane]').count(), 0);
    assertClean();
  });

  test("the host's CSS variables win over the view's own colours", async (t) => {
    const { args, result } = results.malgomo_get_earnings;
    const { page, frame, assertClean } = await mountView(t, 'dashboard-host-styles', {
      width: WIDE, theme: 'light', toolName: 'malgomo_get_earnings', args, result,
      variables: { '--color-background-primary': 'rgb(253, 246, 227)', '--color-text-primary': 'rgb(7, 54, 66)' },
    });
    const colours = await frame.locator('body').evaluate((body) => ({
      background: getComputedStyle(body).backgroundColor, text: getComputedStyle(body).color,
    }));
    assert.deepEqual(colours, { background: 'rgb(253, 246, 227)', text: 'rgb(7, 54, 66)' });
    await screenshot(page, 'host-styles');
    assertClean();
  });

  test("the host's theme changes live, and what the user opened stays open", async (t) => {
    const { args, result } = results.malgomo_get_kpis;
    const { page, frame, assertClean } = await mountView(t, 'dashboard-theme-change', {
      width: WIDE, theme: 'light', toolName: 'malgomo_get_kpis', args, result,
    });
    await frame.locator('details.more > summary').click();
    await frame.locator('details.more[open] [data-table="per-creator"]').waitFor();
    await page.evaluate(() => window.changeHostContext({ theme: 'dark' }));
    await frame.locator('html[data-theme="dark"]').waitFor();
    assert.equal(await frame.locator('details.more[open]').count(), 1, 'a context change does not repaint');
    await fitsItsFrame(page, frame);
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
    assert.equal(await frame.locator('nav.toolbar').count(), 0, 'no host to call tools: no switches');
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
