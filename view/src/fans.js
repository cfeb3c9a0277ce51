// malgomo_get_fans: fan totals, new fans in the period split free and
// subscribed, new fans per day, and fans per creator.

import { columns, meter } from "./charts.js";
import { count, day, percent } from "./format.js";
import { grid, header, stat, table } from "./parts.js";

export function isFans(data) {
  return typeof data?.totals?.total === "number" && typeof data?.new_in_period === "object";
}

export function fans(data) {
  const totals = data.totals;
  const fresh = data.new_in_period;
  const daily = data.daily_new ?? [];
  const creators = [...(data.per_creator ?? [])].sort((a, b) => b.total - a.total);
  const top = creators[0]?.total ?? 0;
  const busiest = daily.reduce((best, d) => (d.new_free + d.new_sub > (best ? best.new_free + best.new_sub : -1) ? d : best), null);

  return [
    header("Fans", data.period, null, data.generated_at),
    grid("stats",
      stat("Fans", "fans-total", totals.total, count(totals.total), {
        hero: true,
        sub: `${count(totals.sub)} subscribed (${percent(totals.sub, totals.total)}) · ${count(totals.free)} free`,
      }),
      stat("New in period", "new-total", fresh.total, `+${count(fresh.total)}`, {
        sub: `${count(fresh.sub)} subscribed · ${count(fresh.free)} free`,
      }),
      stat("New today", "new-today", data.new_today_total, `+${count(data.new_today_total)}`, {
        sub: `across ${count(creators.length)} creators`,
      }),
    ),
    columns({
      title: "New fans per day",
      figure: "daily-new",
      mode: "stack",
      labels: daily.map((d) => day(d.at)),
      series: [
        { name: "Free", key: "c2", values: daily.map((d) => d.new_free) },
        { name: "Subscribed", key: "c1", values: daily.map((d) => d.new_sub) },
      ],
      format: count,
      summary: `${daily.length} days; busiest ${busiest ? `${day(busiest.at)}, ${count(busiest.new_free + busiest.new_sub)} new` : "none"}.`,
    }),
    table("Fans per creator", "per-creator", [
      { name: "Creator", cell: (r) => r.profile_name },
      { name: "", bar: true, cell: (r) => meter(r.total, top) },
      { name: "Total", num: true, figure: "total", value: (r) => r.total, cell: (r) => count(r.total) },
      { name: "Subscribed", num: true, figure: "sub", value: (r) => r.sub, cell: (r) => count(r.sub) },
      { name: "Free", num: true, wide: true, figure: "free", value: (r) => r.free, cell: (r) => count(r.free) },
      { name: "New today", num: true, figure: "new-today", value: (r) => r.new_today, cell: (r) => `+${count(r.new_today)}` },
    ], creators),
  ];
}
