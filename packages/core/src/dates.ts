/**
 * `date` (YYYY-MM-DD) moved on by whole `years`, as registries count a registration period: the same
 * month and day, or the month's last day when that day does not exist (2024-02-29 + 1 year is
 * 2025-02-28, never 2025-03-01).
 */
export function addYears(date: string, years: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  const month = d.getUTCMonth();
  d.setUTCDate(1);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), month + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(Number(date.slice(8, 10)), lastDay));
  return d.toISOString().slice(0, 10);
}
