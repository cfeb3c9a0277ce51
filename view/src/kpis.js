// malgomo_get_kpis: the hero net figure, revenue by category, the hourly
// (one day) or daily (week, month) curve, and net revenue per creator.

import { columns, meter, shares } from "./charts.js";
import { day, hour, money, percent } from "./format.js";
import { grid, header, stat, table } from "./parts.js";

const CATEGORIES = [
  ["subscriptions", "Subscriptions"],
  ["tips", "Tips"],
  ["messages", "Messages"],
  ["posts", "Posts"],
  ["streams", "Streams"],
  ["referrals", "Referrals"],
];

export function isKpis(data) {
  return typeof data?.hero_net_eur === "number";
}

export function kpis(data) {
  const eur = (v) => money(v, data.currency || "EUR");
  const oneDay = data.mobile_period === "today" || data.mobile_period === "yesterday";
  const hourly = data.hourly_revenue_current ?? [];
  const daily = data.daily_revenue_current ?? [];
  const useHourly = oneDay || daily.length === 0;
  const points = useHourly
    ? hourly.map((p) => ({ label: hour(p.hour), value: p.net_eur }))
    : daily.map((p) => ({ label: day(p.at), value: p.net_eur }));
  const best = points.reduce((top, p) => (p.value > (top?.value ?? -Infinity) ? p : top), null);
  const byCategory = data.revenue_by_category_eur ?? {};
  const categoryTotal = CATEGORIES.reduce((sum, [key]) => sum + (byCategory[key] ?? 0), 0);
  const creators = [...(data.per_creator ?? [])].sort((a, b) => b.net_eur - a.net_eur);
  const top = creators[0]?.net_eur ?? 0;
  const average = data.creator_count > 0 ? data.hero_net_eur / data.creator_count : 0;

  return [
    header("Revenue", data.mobile_period, data.kpi_period, data.latest_fetched_at),
    grid("stats",
      stat("Net revenue", "hero-net", data.hero_net_eur, eur(data.hero_net_eur), {
        hero: true,
        sub: best ? `Best ${useHourly ? "hour" : "day"}: ${best.label} · ${eur(best.value)}` : undefined,
      }),
      stat("Creators", "creator-count", data.creator_count, String(data.creator_count), {
        sub: `${eur(average)} net each on average`,
      }),
    ),
    columns({
      title: useHourly ? "Net revenue by hour" : "Net revenue by day",
      figure: useHourly ? "hourly" : "daily",
      labels: points.map((p) => p.label),
      series: [{ name: "Net", key: "c1", values: points.map((p) => p.value) }],
      format: eur,
      summary: `${points.length} ${useHourly ? "hours" : "days"}; highest ${best ? `${best.label}, ${eur(best.value)}` : "none"}.`,
    }),
    shares({
      title: "Revenue by category",
      figure: "categories",
      total: categoryTotal,
      percentOf: percent,
      parts: CATEGORIES.map(([key, name], i) => ({
        key: `c${i + 1}`,
        id: key,
        name,
        value: byCategory[key] ?? 0,
        text: eur(byCategory[key] ?? 0),
      })),
    }),
    table("Net revenue per creator", "per-creator", [
      { name: "Creator", cell: (r) => r.profile_name },
      { name: "", bar: true, cell: (r) => meter(r.net_eur, top) },
      { name: "Net", num: true, figure: "net", value: (r) => r.net_eur, cell: (r) => eur(r.net_eur) },
      { name: "Share", num: true, cell: (r) => percent(r.net_eur, data.hero_net_eur) },
    ], creators),
  ].filter(Boolean);
}
