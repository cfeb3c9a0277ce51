// malgomo_get_earnings: period and month totals, daily gross and net,
// earnings per creator, and the newest transactions.

import { columns, meter } from "./charts.js";
import { day, instant, money, percent } from "./format.js";
import { grid, header, stat, table } from "./parts.js";

export function isEarnings(data) {
  return typeof data?.period_totals?.net === "number";
}

export function earnings(data) {
  const eur = (v) => money(v, data.currency || "EUR");
  const totals = data.period_totals;
  const month = data.month;
  const daily = data.daily ?? [];
  const creators = [...(data.per_creator ?? [])].sort((a, b) => b.net - a.net);
  const top = creators[0]?.net ?? 0;
  const transactions = data.transactions ?? [];
  const shown = data.transactions_truncated
    ? `The ${transactions.length} newest of ${data.transactions_total}; totals cover all of them.`
    : undefined;

  return [
    header("Earnings", data.period, null, data.generated_at),
    grid("stats",
      stat("Net earnings", "period-net", totals.net, eur(totals.net), {
        hero: true,
        sub: `${eur(totals.gross)} gross · ${percent(totals.gross - totals.net, totals.gross)} fees`,
      }),
      stat("Gross", "period-gross", totals.gross, eur(totals.gross)),
      stat("Month net", "month-net", month.net, eur(month.net), {
        sub: `${eur(month.gross)} gross · ${eur(month.fee)} fees`,
      }),
    ),
    columns({
      title: "Earnings per day",
      figure: "daily",
      mode: "overlay",
      labels: daily.map((d) => day(d.at)),
      series: [
        { name: "Gross", key: "c2", values: daily.map((d) => d.gross) },
        { name: "Net", key: "c1", values: daily.map((d) => d.net) },
      ],
      format: eur,
      summary: `${daily.length} days of gross and net earnings; period net ${eur(totals.net)}.`,
    }),
    table("Earnings per creator", "per-creator", [
      { name: "Creator", cell: (r) => r.profile_name },
      { name: "", bar: true, cell: (r) => meter(r.net, top) },
      { name: "Net", num: true, figure: "net", value: (r) => r.net, cell: (r) => eur(r.net) },
      { name: "Gross", num: true, figure: "gross", value: (r) => r.gross, cell: (r) => eur(r.gross) },
    ], creators),
    table("Latest transactions", "transactions", [
      { name: "When", cell: (r) => instant(r.at) },
      { name: "What", cell: (r) => `${r.title}` },
      { name: "Creator", wide: true, cell: (r) => r.profile_name },
      { name: "Fan", wide: true, cell: (r) => r.fan },
      { name: "Net", num: true, figure: "net", value: (r) => r.net, cell: (r) => eur(r.net) },
    ], transactions, shown, 10),
  ];
}
