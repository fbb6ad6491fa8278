// Numbers, durations and times in the user's locale.
import { locale } from "./i18n";

export function number(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return "–";
  }
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
}

export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 1 }).format(value / 100);
}

/** A duration in seconds as "42 s", "3:07" or "1:02:03". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) {
    return "–";
  }
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) {
    return new Intl.NumberFormat(locale(), { style: "unit", unit: "second", unitDisplay: "narrow" }).format(s);
  }
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

export function time(at: string | Date): string {
  return new Intl.DateTimeFormat(locale(), { hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(new Date(at));
}

/** A moment days ahead, as a customer reads it: weekday, date and time ("Mon, 12/7, 09:00"; "12月7日周一 09:00"). */
export function when(at: string | Date): string {
  return new Intl.DateTimeFormat(locale(), { weekday: "short", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" })
    .format(new Date(at));
}

export function secondsSince(at: string | Date, now = Date.now()): number {
  return (now - new Date(at).getTime()) / 1000;
}
