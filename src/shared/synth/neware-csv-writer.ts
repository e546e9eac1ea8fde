/**
 * Writes synthetic records as a NEWARE BTSDA 8 "record layer" CSV export: one header line with the
 * units chosen at export time, step and total time as `HH:MM:SS.mmm` (hours past 24), magnitudes in
 * the capacity columns and a signed current, and a wall-clock `Date` column.
 */
import type { SynthRecord } from './asymmetric-cell';

export interface NewareCsvUnits {
  current: 'A' | 'mA' | 'µA';
  voltage: 'V' | 'mV';
  capacity: 'Ah' | 'mAh' | 'mAs';
}

const CURRENT_PER_MA = { A: 1e-3, mA: 1, µA: 1e3 } as const;
const VOLTAGE_PER_V = { V: 1, mV: 1e3 } as const;
const CAPACITY_PER_MAH = { Ah: 1e-3, mAh: 1, mAs: 3600 } as const;

export function formatDuration(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${s.toFixed(3).padStart(6, '0')}`;
}

/** `YYYY-MM-DD HH:MM:SS.mmm` of `startMs + offsetS` on a zone-free (UTC) axis. */
export function formatDateTime(startMs: number, offsetS: number): string {
  const d = new Date(startMs + Math.round(offsetS * 1000));
  const pad = (v: number, n = 2) => String(v).padStart(n, '0');
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

export function formatNewareCsv(
  records: readonly SynthRecord[],
  units: NewareCsvUnits = { current: 'mA', voltage: 'V', capacity: 'mAh' },
  startMs = Date.UTC(2026, 2, 2, 9, 0, 0),
): string {
  const header = [
    'DataPoint',
    'Cycle Index',
    'Step Index',
    'Step Type',
    'Time',
    'Total Time',
    `Current(${units.current})`,
    `Voltage(${units.voltage})`,
    `Capacity(${units.capacity})`,
    `Chg. Cap.(${units.capacity})`,
    `DChg. Cap.(${units.capacity})`,
    'Date',
  ].join(',');
  const ci = CURRENT_PER_MA[units.current];
  const vi = VOLTAGE_PER_V[units.voltage];
  const qi = CAPACITY_PER_MAH[units.capacity];
  const lines = [header];
  records.forEach((r, k) => {
    const q = r.capacityMAh * qi;
    const isCharge = r.stepLabel === 'CC Chg';
    const isDischarge = r.stepLabel === 'CC DChg';
    lines.push(
      [
        k + 1,
        r.cycle,
        r.stepIndex,
        r.stepLabel,
        formatDuration(r.stepTimeS),
        formatDuration(r.totalTimeS),
        (r.currentMA * ci).toPrecision(7),
        (r.voltageV * vi).toFixed(units.voltage === 'V' ? 5 : 2),
        q.toPrecision(8),
        (isCharge ? q : 0).toPrecision(8),
        (isDischarge ? q : 0).toPrecision(8),
        formatDateTime(startMs, r.totalTimeS),
      ].join(','),
    );
  });
  return `${lines.join('\r\n')}\r\n`;
}
