// The simulator side of the comparison: fetch the same dashboard data the MCP
// server reads, straight from malgomo-sim, and project it onto the documented
// fields (shared/backend-contract.md §2) — what a data tool must return.

export const SIM_URL = process.env.MALGOMO_SIM_URL ?? 'http://127.0.0.1:54321';
export const PERIODS = ['today', 'yesterday', '7d', '30d'];
export const TRANSACTIONS_SHOWN = 50;

/** Backend-internal field names that must never reach an MCP client. */
export const INTERNAL_FIELDS = ['_debug', 'source_rows', 'cache_key', 'creator_id', 'tx_id'];

// The documented shape of each answer: a key maps to true (a value kept as
// is), to a nested shape (an object), or to [shape] (an array of objects).
const SHAPES = {
  kpis: {
    hero_net_eur: true,
    currency: true,
    mobile_period: true,
    kpi_period: true,
    revenue_by_category_eur: {
      subscriptions: true, tips: true, messages: true, posts: true, streams: true, referrals: true,
    },
    hourly_revenue_current: [{ hour: true, net_eur: true }],
    daily_revenue_current: [{ at: true, net_eur: true }],
    creator_count: true,
    per_creator: [{ profile_name: true, net_eur: true }],
    latest_fetched_at: true,
  },
  fans: {
    period: true,
    totals: { free: true, sub: true, total: true },
    new_today_total: true,
    new_in_period: { free: true, sub: true, total: true },
    daily_new: [{ at: true, new_free: true, new_sub: true }],
    per_creator: [{ profile_name: true, free: true, sub: true, total: true, new_today: true }],
    generated_at: true,
  },
  earnings: {
    period: true,
    currency: true,
    period_totals: { gross: true, net: true },
    month: { gross: true, net: true, fee: true },
    daily: [{ at: true, gross: true, net: true }],
    transactions: [{ kind: true, title: true, fan: true, net: true, gross: true, at: true, profile_name: true }],
    per_creator: [{ profile_name: true, gross: true, net: true }],
    generated_at: true,
  },
};

/** Stamps of the time of the answer: they differ between two fetches. */
const CLOCK_FIELDS = ['generated_at', 'latest_fetched_at'];

/** Tool name -> dashboard endpoint. */
export const TOOLS = {
  malgomo_get_kpis: 'kpis',
  malgomo_get_fans: 'fans',
  malgomo_get_earnings: 'earnings',
};

const tokens = new Map();

/** A Supabase password grant against the simulator (one per account, cached). */
export async function simToken(email = 'owner@agency-a.test', password = 'owner-a-pass') {
  if (!tokens.has(email)) {
    const res = await fetch(`${SIM_URL}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: 'demo-anon-key', 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (!res.ok) throw new Error(`simulator login ${email}: ${res.status} ${await res.text()}`);
    tokens.set(email, (await res.json()).access_token);
  }
  return tokens.get(email);
}

/** The simulator's raw answer for one dashboard endpoint and period. */
export async function upstream(endpoint, period) {
  const res = await fetch(`${SIM_URL}/api/dashboard/${endpoint}?period=${period}`, {
    headers: { authorization: `Bearer ${await simToken()}` },
  });
  if (!res.ok) throw new Error(`simulator ${endpoint} ${period}: ${res.status}`);
  return res.json();
}

function project(value, shape) {
  if (shape === true) return value;
  if (Array.isArray(shape)) return value.map((item) => project(item, shape[0]));
  return Object.fromEntries(Object.keys(shape).map((key) => [key, project(value[key], shape[key])]));
}

/** Drops the clock stamps, which legitimately differ between two fetches. */
export function withoutClock(answer) {
  const copy = { ...answer };
  for (const field of CLOCK_FIELDS) delete copy[field];
  return copy;
}

/**
 * What a data tool must return for this raw upstream answer, clock stamps
 * left out. Earnings keep the newest 50 transactions (stable sort, newest
 * first) and say how many there are; their optional `note` is checked apart.
 */
export function expected(endpoint, raw) {
  const answer = withoutClock(project(raw, SHAPES[endpoint]));
  if (endpoint === 'earnings') {
    const all = answer.transactions;
    const newest = [...all].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    answer.transactions = newest.slice(0, TRANSACTIONS_SHOWN);
    answer.transactions_total = all.length;
    answer.transactions_truncated = all.length > TRANSACTIONS_SHOWN;
  }
  return answer;
}

/** Every key, at any depth, of a JSON value. */
export function keysDeep(value, into = new Set()) {
  if (Array.isArray(value)) value.forEach((item) => keysDeep(item, into));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      into.add(key);
      keysDeep(item, into);
    }
  }
  return into;
}
