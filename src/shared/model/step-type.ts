/**
 * Step types of DOMAIN.md's canonical record, stored as small integers in a Uint8Array column.
 * The order is part of the stored format (IndexedDB columns): append, never reorder.
 */
export const STEP_TYPES = ['rest', 'cc_charge', 'cc_discharge', 'cv_charge', 'cv_discharge', 'ccv', 'other'] as const;

export type StepType = (typeof STEP_TYPES)[number];

export const STEP_TYPE_CODE: Readonly<Record<StepType, number>> = Object.freeze(
  Object.fromEntries(STEP_TYPES.map((name, code) => [name, code])) as Record<StepType, number>,
);

export function stepTypeName(code: number): StepType {
  return STEP_TYPES[code] ?? 'other';
}

/**
 * Maps an instrument's step label to the canonical enum. Covers NEWARE BTSDA spellings in English
 * (`CC Chg`, `CC_DChg`, `CCCV Chg`, `Rest`) and Chinese (`恒流充电`, `恒流放电`, `搁置`, `恒压充电`,
 * `恒流恒压充电`). Unknown labels (`Pulse Step`, `SIM`, `Control`) map to `other`.
 */
export function stepTypeFromLabel(label: string): StepType {
  const s = label
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
  if (s === '') return 'other';
  if (s === 'rest' || s === 'pause' || s === 'ocv' || s === '搁置' || s === '静置') return 'rest';
  const isCharge = /\bchg\b|charge|充电/.test(s) && !/\bdchg\b|discharge|放电/.test(s);
  const isDischarge = /\bdchg\b|discharge|放电/.test(s);
  if (/^cccv|^cc cv|恒流恒压/.test(s)) return 'ccv';
  if (/^cc\b|恒流/.test(s)) {
    if (isDischarge) return 'cc_discharge';
    if (isCharge) return 'cc_charge';
  }
  if (/^cv\b|恒压/.test(s)) {
    if (isDischarge) return 'cv_discharge';
    if (isCharge) return 'cv_charge';
  }
  return 'other';
}

/** True for step types in which the instrument drives current into the working electrode (charge). */
export function isChargeStep(code: number): boolean {
  return code === STEP_TYPE_CODE.cc_charge || code === STEP_TYPE_CODE.cv_charge;
}

/** True for step types in which the instrument draws current from the working electrode (discharge). */
export function isDischargeStep(code: number): boolean {
  return code === STEP_TYPE_CODE.cc_discharge || code === STEP_TYPE_CODE.cv_discharge;
}
