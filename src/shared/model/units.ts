/**
 * Units of the canonical columns and the conversions from what instruments write in their headers.
 * DOMAIN.md: time s, voltage V, current mA, capacity mAh, temperature °C.
 */

export type Quantity = 'time' | 'voltage' | 'current' | 'capacity' | 'temperature';

export const CANONICAL_UNIT: Readonly<Record<Quantity, string>> = {
  time: 's',
  voltage: 'V',
  current: 'mA',
  capacity: 'mAh',
  temperature: '°C',
};

/** A linear conversion `canonical = value * factor + offset`. */
export interface UnitConversion {
  readonly unit: string;
  readonly factor: number;
  readonly offset: number;
}

const SECONDS_PER_HOUR = 3600;

/** Conversion tables keyed by the normalised unit (see {@link normaliseUnit}). */
const CONVERSIONS: Readonly<Record<Quantity, Readonly<Record<string, number>>>> = {
  time: { s: 1, sec: 1, ms: 1e-3, min: 60, h: SECONDS_PER_HOUR, hr: SECONDS_PER_HOUR },
  voltage: { v: 1, mv: 1e-3, uv: 1e-6, kv: 1e3 },
  current: { a: 1e3, ma: 1, ua: 1e-3, na: 1e-6 },
  capacity: {
    ah: 1e3,
    mah: 1,
    uah: 1e-3,
    // ampere-seconds: 1 A·s = 1/3600 A·h
    as: 1e3 / SECONDS_PER_HOUR,
    mas: 1 / SECONDS_PER_HOUR,
    uas: 1e-3 / SECONDS_PER_HOUR,
    c: 1e3 / SECONDS_PER_HOUR,
    mc: 1 / SECONDS_PER_HOUR,
  },
  temperature: { c: 1, degc: 1, k: 1 },
};

/**
 * Normalises how instruments spell units: micro as `µ` (U+00B5), `μ` (U+03BC) or `u`; `mA.h`, `mA·h`
 * and `mAh`; degree signs, `℃` and the `?` that some exports leave in place of `℃`.
 */
export function normaliseUnit(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[µμ]/g, 'u')
    .replace(/[.·*\s]/g, '')
    .replace(/^(?:°|º|deg)?c$|^℃$|^\?$/, 'c')
    .replace(/^(m|u)?a-?h$/, (m) => m.replace('-', ''));
}

/**
 * The conversion of `rawUnit` into the canonical unit of `quantity`, or undefined when the unit is
 * not one of that quantity's. An empty unit means "already canonical" only for voltage and time,
 * which instruments commonly leave implicit.
 */
export function unitConversion(quantity: Quantity, rawUnit: string): UnitConversion | undefined {
  const unit = normaliseUnit(rawUnit);
  if (unit === '') return { unit: CANONICAL_UNIT[quantity], factor: 1, offset: 0 };
  const factor = CONVERSIONS[quantity][unit];
  if (factor === undefined) return undefined;
  const offset = quantity === 'temperature' && unit === 'k' ? -273.15 : 0;
  return { unit: rawUnit.trim(), factor, offset };
}

/** Splits `Current(µA)`, `Current (A)`, `I/mA`, `Voltage[V]` into name and unit. */
export function splitHeaderUnit(header: string): { name: string; unit: string } {
  const h = header.trim();
  const bracket = /^(.*?)\s*[([]\s*([^()[\]]*?)\s*[)\]]\s*$/.exec(h);
  if (bracket) return { name: bracket[1].trim(), unit: bracket[2] };
  const slash = /^(.*?)\s*\/\s*([^/]+)$/.exec(h);
  if (slash && slash[1] !== '') return { name: slash[1].trim(), unit: slash[2].trim() };
  return { name: h, unit: '' };
}
