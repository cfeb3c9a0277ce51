// Number and date formatting in the host's locale (hostContext.locale),
// falling back to the browser's. Money is shown with two decimals so the
// figures match the tool result to the cent.

let locale;

/** Sets the locale the formatters use; an unknown tag keeps the default. */
export function setLocale(tag) {
  try {
    locale = tag && Intl.NumberFormat.supportedLocalesOf([tag]).length ? tag : undefined;
  } catch {
    locale = undefined;
  }
}

export function money(value, currency = "EUR") {
  try {
    return new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    }).format(value);
  } catch {
    return `${value.toFixed(2)} ${currency}`;
  }
}

/** Short money for chart axes: €1.2K. */
export function moneyShort(value, currency = "EUR") {
  try {
    return new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      notation: "compact",
      maximumFractionDigits: 1,
    }).format(value);
  } catch {
    return String(Math.round(value));
  }
}

export function count(value) {
  return new Intl.NumberFormat(locale).format(value);
}

export function percent(part, whole) {
  const share = whole > 0 ? part / whole : 0;
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(share);
}

/** "2026-12-01" (a calendar day, no zone) as "Dec 1". */
export function day(at) {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(at ?? "");
  if (!match) return String(at ?? "");
  const date = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
  return new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" }).format(date);
}

/** An RFC 3339 instant as a short local date and time. */
export function instant(at) {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return String(at ?? "");
  return new Intl.DateTimeFormat(locale, {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(date);
}

export function hour(h) {
  return `${String(h).padStart(2, "0")}:00`;
}
