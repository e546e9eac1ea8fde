/**
 * The real Arbin GITT run of ../shared/data/real/gitt (cellpy's example, a full cell), read from the
 * collector's Channel_Normal_Table dump until the .res reader lands. Reference values: MANIFEST.md.
 */
import { describe, expect, it } from 'vitest';
import { HAS_REAL_DATA, REAL_DATA_SKIP_REASON } from '../test-support/real-data';
import { datasetFromArbinConverted } from '../test-support/arbin-converted';
import { analyzeGitt, looksLikeGitt, type GittResult } from './gitt';

const describeReal = HAS_REAL_DATA ? describe : describe.skip;
if (!HAS_REAL_DATA) console.warn(REAL_DATA_SKIP_REASON);

const FILE = 'gitt/20210210_FC_01_cc_03.res.converted.csv.gz';
/** cellpy docs/examples/05_GITT.md: potential_last of the first five charge rests (step 3), V. */
const CELLPY_OCV_V = [3.487564, 3.49432, 3.499848, 3.505991, 3.513054];
/** ... at charge_capacity_last, Ah (printed to 6 decimals). */
const CELLPY_CHARGE_CAPACITY_AH = [0.000036, 0.000072, 0.000109, 0.000145, 0.000181];

describeReal('GITT on the real Arbin run 20210210_FC_01_cc_03 (MANIFEST.md)', () => {
  // S = 1 cm² makes mAh/cm² read as mAh; n_m from the file's MASS field as if it were In (D is not
  // checked here: the file has no reference D).
  const dataset = HAS_REAL_DATA ? datasetFromArbinConverted(FILE) : undefined;
  const result: GittResult | undefined = dataset ? analyzeGitt(dataset, { activeMassG: 0.02264, areaCm2: 1 }) : undefined;

  it('finds 93 charge pulses then 94 discharge pulses after the 6-h rest', () => {
    const r = result!;
    const charge = r.pulses.filter((p) => p.direction === 'charge');
    const discharge = r.pulses.filter((p) => p.direction === 'discharge');
    expect(charge.length).toBe(93);
    expect(discharge.length).toBe(94);
    expect(r.runCount).toBe(2);
    expect(charge.every((p) => p.run === 1)).toBe(true);
    // The file starts 30 s into the 6-h rest (first record at Test_Time 30 s).
    expect(r.initialRest_s).toBeGreaterThan(6 * 3600 - 60);
    expect(r.initialRest_s).toBeLessThan(6 * 3600);
    expect(looksLikeGitt(dataset!)).toBe(true);
  });

  it('measures τ = 180 s (last charge pulse 121 s, last discharge 126 s), ±0.725 mA, 900-s rests', () => {
    const r = result!;
    const charge = r.pulses.filter((p) => p.direction === 'charge');
    const discharge = r.pulses.filter((p) => p.direction === 'discharge');
    for (const list of [charge, discharge]) {
      for (const p of list.slice(0, -1)) expect(Math.abs(p.tau_s - 180)).toBeLessThan(0.1);
      for (const p of list) expect(Math.abs(p.restAfter_s - 900)).toBeLessThan(1);
      for (const p of list) expect(p.flags).not.toContain('no-rest-after');
    }
    expect(Math.round(charge[92].tau_s)).toBe(121);
    expect(Math.round(discharge[93].tau_s)).toBe(126);
    for (const p of charge) expect(Math.abs(p.current_mA - 0.725)).toBeLessThan(0.002);
    for (const p of discharge) expect(Math.abs(p.current_mA + 0.724)).toBeLessThan(0.002);
    expect(r.pulses.filter((p) => p.flags.includes('short-pulse')).map((p) => p.index)).toEqual([93, 187]);
  });

  it("reproduces cellpy's OCV points: relaxed voltages of the first five charge pulses within 1e-5 V, capacities within 1e-6 Ah", () => {
    const r = result!;
    for (let k = 0; k < 5; k++) {
      const p = r.pulses[k];
      expect(Math.abs(p.relaxedVoltage_V - CELLPY_OCV_V[k])).toBeLessThan(1e-5);
      // mAh/cm² × 1 cm² = mAh; the reference is in Ah.
      expect(Math.abs(p.arealCapacity_mAh_cm2 / 1000 - CELLPY_CHARGE_CAPACITY_AH[k])).toBeLessThan(1e-6);
    }
  });

  it('ends charge at 0.003358 Ah and discharge at 0.003392 Ah; the final rest ends at 3.228980 V', () => {
    const r = result!;
    const lastCharge = r.pulses[92];
    const lastDischarge = r.pulses[186];
    expect(Math.abs(lastCharge.arealCapacity_mAh_cm2 / 1000 - 0.003358)).toBeLessThan(1e-6);
    expect(Math.abs(lastDischarge.arealCapacity_mAh_cm2 / 1000 - 0.003392)).toBeLessThan(1e-6);
    expect(Math.abs(lastDischarge.relaxedVoltage_V - 3.22898)).toBeLessThan(1e-5);
    // Discharge pulses end at the 3.0 V limit: the last one at 2.999878 V.
    expect(Math.abs(dataset!.columns.voltageV[lastDischarge.lastRow] - 2.999878)).toBeLessThan(1e-5);
  });

  it('gives a finite, positive D for every pulse and labels no Li–In plateau on a 3–4.2 V full cell', () => {
    const r = result!;
    for (const p of r.pulses) {
      expect(p.D_cm2_s).toBeGreaterThan(0);
      expect(Number.isFinite(p.D_cm2_s)).toBe(true);
    }
    expect(r.plateaus.every((region) => region.label === null)).toBe(true);
  });
});
