/**
 * Axis titles with units typeset as journals print them (the study: "mA cm⁻²", "mAh cm⁻²", D in "cm² s⁻¹"):
 * a space for multiplication and Unicode superscript exponents instead of "/" and "^". Unicode rather than
 * Plotly's `<sup>` so the same text works in SVG/PDF export, CSV headers and accessible names.
 */

const SUPERSCRIPT: Readonly<Record<string, string>> = Object.freeze({
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
  '-': '⁻',
  '+': '⁺',
});

/** "-12" -> "⁻¹²". Throws on characters that have no superscript form (a typo in a unit is a bug). */
export function toSuperscript(exponent: string): string {
  let out = '';
  for (const ch of exponent) {
    const s = SUPERSCRIPT[ch];
    if (s === undefined) throw new RangeError(`no superscript for ${JSON.stringify(ch)} in exponent ${JSON.stringify(exponent)}`);
    out += s;
  }
  return out;
}

/**
 * ASCII unit -> journal unit: "mA/cm2" -> "mA cm⁻²", "cm^2/s" -> "cm² s⁻¹", "mAh/V" -> "mAh V⁻¹".
 * Every factor after a "/" gets its exponent negated; a factor "x2" or "x^2" is x². A unit with a factor that
 * does not parse (a non-integer exponent has no superscript dot) is returned unchanged rather than half-converted.
 */
export function journalUnit(ascii: string): string {
  const [numerator, ...denominators] = ascii.split('/');
  let parsed = true;
  const factor = (text: string, sign: 1 | -1): string => {
    const m = /^([A-Za-zµμΩ°%]+?)\^?(-?\d+)?$/.exec(text);
    if (!m) {
      parsed = false;
      return text;
    }
    const base = m[1];
    const power = (m[2] === undefined ? 1 : Number(m[2])) * sign;
    return power === 1 ? base : `${base}${toSuperscript(String(power))}`;
  };
  const parts = numerator
    .trim()
    .split(/\s+/)
    .filter((p) => p.length > 0)
    .map((p) => factor(p, 1));
  for (const d of denominators) for (const p of d.trim().split(/\s+/)) if (p) parts.push(factor(p, -1));
  return parsed ? parts.join(' ') : ascii;
}

/** "Quantity (unit)" with the unit in journal form. */
export function axisTitle(quantity: string, asciiUnit?: string): string {
  return asciiUnit ? `${quantity} (${journalUnit(asciiUnit)})` : quantity;
}

/** The axis titles of the study's figures (DOMAIN.md 'The study's figures'). */
export const AXIS_LABELS = Object.freeze({
  timeH: axisTitle('Time', 'h'),
  voltageV: axisTitle('Voltage', 'V'),
  relaxedVoltageV: axisTitle('Relaxed voltage', 'V'),
  arealCapacity: axisTitle('Areal capacity', 'mAh/cm2'),
  accumulatedArealCapacity: axisTitle('Accumulated areal capacity', 'mAh/cm2'),
  currentDensity: axisTitle('Current density', 'mA/cm2'),
  lifespan: axisTitle('Lifespan', 'mAh/cm2'),
  cycle: 'Cycle number',
  coulombicEfficiencyPct: axisTitle('Coulombic efficiency', '%'),
  voltageGapMV: axisTitle('Voltage gap', 'mV'),
  nucleationOverpotentialMV: axisTitle('Nucleation overpotential', 'mV'),
  dqdv: axisTitle('dQ/dV', 'mAh/V'),
  diffusionCoefficient: axisTitle('D', 'cm2/s'),
  loadMN: axisTitle('Load', 'mN'),
  displacementNm: axisTitle('Displacement', 'nm'),
});
