/**
 * Tip calibration on synthetic fused silica (E 72 GPa, ν 0.17, H 9.25 GPa) indented with a known blunt tip
 * and a compliant frame: the calibration must give back that tip's frame compliance and area function.
 */
import { describe, expect, it } from 'vitest';
import type { IndentationDataset } from '../model/indentation';
import { INDIUM_LIKE_MATERIALS, generateIndentationCurve, reducedModulusOnDiamond } from '../synth/indentation-curve';
import { IndentationAnalysisError, analyzeIndentation } from './indentation';
import { FUSED_SILICA, calibrateTip, contactArea, correctThermalDrift } from './tip-calibration';

const TRUE_TIP = { name: 'blunt Berkovich', areaCoefficients: [24.5, 450, 3000], frameComplianceNmPerMN: 0.28 };
const ER_FS = reducedModulusOnDiamond(FUSED_SILICA.E_GPa, FUSED_SILICA.nu);
const rel = (a: number, b: number): number => Math.abs(a / b - 1);

/** Ten three-cycle tests from 0.5 to 500 mN: contact depths from ~40 nm to ~1.6 µm. */
function fusedSilicaSet(noise = false) {
  return Array.from(
    { length: 10 },
    (_, k) =>
      generateIndentationCurve({
        name: `Test ${k + 1}`,
        hardnessGPa: 9.25,
        reducedModulusGPa: ER_FS,
        tip: TRUE_TIP,
        peakLoadsMN: [0.5 * (k + 1), 5 * (k + 1), 50 * (k + 1)],
        unloadToFraction: 0.1,
        noiseLoadMN: noise ? 0.002 * (k + 1) : 0,
        noiseDepthNm: noise ? 0.1 : 0,
        seed: k + 1,
      }).curve,
  );
}

describe('calibrateTip', () => {
  const curves = fusedSilicaSet();

  it('recovers frame compliance and area coefficients from noise-free fused silica', () => {
    const cal = calibrateTip(curves, FUSED_SILICA, { tipName: 'TB-synthetic' });
    expect(cal.converged).toBe(true);
    expect(cal.tip.name).toBe('TB-synthetic');
    expect(rel(cal.tip.frameComplianceNmPerMN, TRUE_TIP.frameComplianceNmPerMN)).toBeLessThan(0.02);
    cal.tip.areaCoefficients.forEach((c, k) => expect(rel(c, TRUE_TIP.areaCoefficients[k])).toBeLessThan(0.02));
    expect(rel(cal.Er_GPa, ER_FS)).toBeLessThan(1e-12);
    expect(rel(cal.ErFromSlope_GPa, ER_FS)).toBeLessThan(0.01);
    expect(cal.points.length).toBe(30);
    expect(cal.areaRmsRelative).toBeLessThan(1e-4);
    expect(JSON.parse(JSON.stringify(cal.tip))).toEqual(cal.tip);
  });

  it('recovers them with C0 fixed at 24.5, and with C_f given', () => {
    const fixedC0 = calibrateTip(curves, FUSED_SILICA, { fixedC0: 24.5 });
    expect(fixedC0.tip.areaCoefficients[0]).toBe(24.5);
    expect(rel(fixedC0.tip.frameComplianceNmPerMN, 0.28)).toBeLessThan(0.02);
    expect(rel(fixedC0.tip.areaCoefficients[1], 450)).toBeLessThan(0.02);
    const givenCf = calibrateTip(curves, FUSED_SILICA, { frameCompliance: 0.28 });
    expect(givenCf.tip.frameComplianceNmPerMN).toBe(0.28);
    givenCf.tip.areaCoefficients.forEach((c, k) => expect(rel(c, TRUE_TIP.areaCoefficients[k])).toBeLessThan(0.02));
  });

  it('gives area and frame compliance within 2 % from noisy curves', () => {
    const cal = calibrateTip(fusedSilicaSet(true), FUSED_SILICA);
    expect(rel(cal.tip.frameComplianceNmPerMN, 0.28)).toBeLessThan(0.02);
    for (const hc of [50, 200, 1000]) expect(rel(contactArea(cal.tip, hc), contactArea(TRUE_TIP, hc))).toBeLessThan(0.02);
  });

  it('the calibrated tip then measures another material correctly', () => {
    const cal = calibrateTip(curves, FUSED_SILICA);
    const m = INDIUM_LIKE_MATERIALS.In2Li3;
    const { curve } = generateIndentationCurve({
      hardnessGPa: m.hardnessGPa,
      reducedModulusGPa: reducedModulusOnDiamond(m.modulusGPa, m.nu),
      tip: TRUE_TIP,
      peakLoadsMN: [1],
    });
    const dataset = { kind: 'indentation', meta: { name: 'In2Li3' }, curves: [curve] } as unknown as IndentationDataset;
    const calibrated = analyzeIndentation(dataset, { nu: m.nu, tip: cal.tip }).curves[0];
    expect(rel(calibrated.E_GPa, m.modulusGPa)).toBeLessThan(0.01);
    expect(rel(calibrated.H_GPa, m.hardnessGPa)).toBeLessThan(0.01);
    const ideal = analyzeIndentation(dataset, { nu: m.nu }).curves[0];
    expect(rel(ideal.H_GPa, m.hardnessGPa)).toBeGreaterThan(0.05);
  });

  it('throws naming the bad value', () => {
    expect(() => calibrateTip([], FUSED_SILICA)).toThrow(IndentationAnalysisError);
    expect(() => calibrateTip([], FUSED_SILICA)).toThrow(/no reference curves/);
    expect(() => calibrateTip(curves, { E_GPa: -72, nu: 0.17 })).toThrow(/E_GPa must be > 0, got -72/);
    expect(() => calibrateTip(curves, { E_GPa: 72, nu: 0.9 })).toThrow(/nu must be in \(-1, 0\.5\], got 0\.9/);
    expect(() => calibrateTip(curves, FUSED_SILICA, { areaTerms: 7 })).toThrow(/areaTerms must be an integer in 1\.\.6, got 7/);
    expect(() => calibrateTip(curves, FUSED_SILICA, { frameCompliance: -1 })).toThrow(
      /frameCompliance must be 'fit' or >= 0 nm\/mN, got -1/,
    );
    expect(() =>
      calibrateTip(
        curves.slice(0, 1).map((c) => ({ ...c, loadMN: c.loadMN.map(() => 0) })),
        FUSED_SILICA,
      ),
    ).toThrow(/only 0 usable unloadings/);
  });
});

describe('correctThermalDrift', () => {
  it('measures the depth rate over a hold and removes it from t_0 on', () => {
    const timeS = Float64Array.from({ length: 50 }, (_, i) => i * 0.5);
    const depthNm = timeS.map((t) => 100 + 0.05 * t);
    const loadMN = new Float64Array(50).fill(1);
    const { curve, driftRateNmPerS } = correctThermalDrift({ name: 'drifting', timeS, depthNm, loadMN }, { start: 10, end: 40 });
    expect(driftRateNmPerS).toBeCloseTo(0.05, 12);
    for (const h of curve.depthNm) expect(h).toBeCloseTo(100, 9);
  });

  it('refuses a curve without time or a hold that is not a range', () => {
    const depthNm = new Float64Array(10);
    const loadMN = new Float64Array(10);
    expect(() => correctThermalDrift({ name: 'no clock', depthNm, loadMN }, { start: 0, end: 5 })).toThrow(
      /no clock: thermal drift correction needs a time column/,
    );
    const timeS = Float64Array.from({ length: 10 }, (_, i) => i);
    expect(() => correctThermalDrift({ name: 'c', depthNm, loadMN, timeS }, { start: 8, end: 20 })).toThrow(
      /hold segment \[8, 20\) is not a range/,
    );
  });
});
