/**
 * One number formatter for everything a student reads: table cells, labels, hover text, feedback
 * messages. Integers print as they are (grouped by thousands from 10 000 on); other numbers keep
 * as many decimals as their size needs (3 below 10, 2 below 100, 1 below 1000, none from 1000 on),
 * without trailing zeros. So 21.28724866081029 -> "21.287", 64029.450780100204 -> "64,029",
 * -1799550.0 -> "-1,799,550", 0.000123 -> "0.000123" (tiny values keep 3 significant digits).
 * Pure and locale-independent (the same text on every machine).
 */

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "-∞";
  if (Object.is(value, -0)) value = 0;
  const magnitude = Math.abs(value);
  let decimals: number;
  if (Number.isInteger(value) || magnitude >= 1000) decimals = 0;
  else if (magnitude >= 100) decimals = 1;
  else if (magnitude >= 10) decimals = 2;
  else if (magnitude >= 0.01) decimals = 3;
  else decimals = Math.min(20, 2 - Math.floor(Math.log10(magnitude))); // 3 significant digits
  let text = value.toFixed(decimals);
  if (decimals > 0) text = text.replace(/\.?0+$/, "");
  if (text === "-0") text = "0";
  const negative = text.startsWith("-");
  const [whole, fraction] = (negative ? text.slice(1) : text).split(".");
  const grouped = whole.length > 4 ? groupThousands(whole) : whole;
  return `${negative ? "-" : ""}${grouped}${fraction === undefined ? "" : `.${fraction}`}`;
}

/** A time in milliseconds with its unit: formatMs(21.28724866081029) is "21.287 ms". */
export function formatMs(ms: number): string {
  return `${formatNumber(ms)} ms`;
}

/** A value for a table cell or a message: numbers formatted, everything else as text or JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "string") return value;
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  return JSON.stringify(value, (_key, v) => (typeof v === "number" && !Number.isInteger(v) ? Number(formatNumber(v).replace(/,/g, "")) : v));
}
