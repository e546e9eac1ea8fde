/**
 * Oliver–Pharr analysis against curves built backwards from known H and E_r (synth/indentation-curve.ts),
 * so every expected number is analytic: H = P/A, E_r = √π S / (2β√A), E from 1/E_r = (1−ν²)/E + (1−ν_i²)/E_i.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IndentationDataset } from '../model/indentation';
import {
  INDIUM_LIKE_MATERIALS,
  generateIndentationCurve,
  reducedModulusOnDiamond,
  type IndentationCurveParams,
} from '../synth/indentation-curve';
import {
  DEFAULT_OLIVER_PHARR,
  IDEAL_BERKOVICH_TIP,
  IndentationAnalysisError,
  MN_PER_NM2_IN_GPA,
  analyzeIndentation,
  contactArea,
  contactDepthForArea,
  fitUnloading,
  indentsToCsv,
  reducedModulus,
  sampleModulus,
  segmentCurve,
  summariseBySample,
  type OliverPharrParams,
} from './indentation';
import { syntheticIndentationDataset } from '../test-support/indentation-dataset';

const FS = INDIUM_LIKE_MATERIALS.fusedSilica;
const ER_FS = reducedModulusOnDiamond(FS.modulusGPa, FS.nu);

function analyse(overrides: Partial<IndentationCurveParams>, params?: Partial<OliverPharrParams>) {
  const { curve, truth } = generateIndentationCurve({ reducedModulusGPa: ER_FS, ...overrides });
  const result = analyzeIndentation(syntheticIndentationDataset([curve]), { nu: FS.nu, ...params });
  return { curve, truth, result, main: result.curves[0] };
}

const rel = (a: number, b: number): number => Math.abs(a / b - 1);

describe('units and closed forms', () => {
  it('1 mN on 1e6 nm² is 1 GPa and 1 N/m is 1e-6 mN/nm', () => {
    // 1e-3 N / (1e6 · 1e-18 m²) = 1e9 Pa.
    expect((1 / 1e6) * MN_PER_NM2_IN_GPA).toBe(1);
    expect(MN_PER_NM2_IN_GPA).toBe(1e-3 / 1e-18 / 1e9);
  });

  it('the ideal Berkovich area is 24.5 h_c² and its inverse returns h_c', () => {
    expect(contactArea(IDEAL_BERKOVICH_TIP, 100)).toBe(245000);
    const tip = { areaCoefficients: [24.5, 450, 3000, -200] };
    for (const hc of [5, 50, 500, 5000]) expect(rel(contactDepthForArea(tip, contactArea(tip, hc)), hc)).toBeLessThan(1e-12);
    expect(contactDepthForArea(tip, -1)).toBeNaN();
  });

  it('E from E_r inverts 1/E_r = (1−ν²)/E + (1−ν_i²)/E_i', () => {
    for (const m of Object.values(INDIUM_LIKE_MATERIALS)) {
      const er = reducedModulus(m.modulusGPa, m.nu, 1141, 0.07);
      expect(rel(sampleModulus(er, m.nu, 1141, 0.07), m.modulusGPa)).toBeLessThan(1e-12);
    }
    // A rigid sample against diamond gives E_r = E_i/(1 − ν_i²); beyond it there is no E.
    expect(sampleModulus(1141 / (1 - 0.07 ** 2) + 1, 0.3, 1141, 0.07)).toBeNaN();
  });
});

describe('fitUnloading', () => {
  it('recovers α, h_f and m of an exact power law and its slope at h_max', () => {
    const alpha = 2e-3;
    const hf = 400;
    const m = 1.7;
    const hmax = 700;
    const h = Float64Array.from({ length: 100 }, (_, i) => hmax - i * 3);
    const p = h.map((x) => alpha * (x - hf) ** m);
    const fit = fitUnloading(h, p, p[0], hmax, [0.2, 0.95])!;
    expect(rel(fit.m, m)).toBeLessThan(1e-6);
    expect(rel(fit.hfNm, hf)).toBeLessThan(1e-6);
    expect(rel(fit.alpha, alpha)).toBeLessThan(1e-5);
    expect(rel(fit.stiffnessMNPerNm, m * alpha * (hmax - hf) ** (m - 1))).toBeLessThan(1e-6);
    expect(fit.r2).toBeGreaterThan(0.999999);
  });

  it('returns undefined with fewer than 3 points in the range', () => {
    expect(fitUnloading([10, 9], [1, 0.5], 1, 10, [0.2, 0.95])).toBeUndefined();
  });
});

describe('Oliver–Pharr on synthetic curves', () => {
  it('recovers H and E_r of fused silica exactly without noise (single cycle, no hold)', () => {
    const { main, truth } = analyse({ holdPoints: 0 });
    expect(main.flags).toEqual([]);
    expect(rel(main.H_GPa, FS.hardnessGPa)).toBeLessThan(1e-6);
    expect(rel(main.Er_GPa, ER_FS)).toBeLessThan(1e-6);
    expect(rel(main.E_GPa, FS.modulusGPa)).toBeLessThan(1e-6);
    expect(rel(main.hc_nm, truth[0].hc_nm)).toBeLessThan(1e-6);
    expect(rel(main.S_mN_nm, truth[0].S_mN_nm)).toBeLessThan(1e-6);
    expect(rel(main.hf_nm, truth[0].hf_nm)).toBeLessThan(1e-6);
    expect(rel(main.m, 1.4)).toBeLessThan(1e-6);
  });

  it('recovers E of In, In4Li5 and In2Li3 with their ν (0.45) and flags their pile-up risk', () => {
    for (const [name, m] of Object.entries(INDIUM_LIKE_MATERIALS)) {
      if (name === 'fusedSilica') continue;
      const { main, truth } = analyse(
        { hardnessGPa: m.hardnessGPa, reducedModulusGPa: reducedModulusOnDiamond(m.modulusGPa, m.nu), peakLoadsMN: [2] },
        { nu: m.nu },
      );
      expect(rel(main.H_GPa, m.hardnessGPa)).toBeLessThan(1e-5);
      expect(rel(main.E_GPa, m.modulusGPa)).toBeLessThan(1e-5);
      expect(main.hfOverHmax).toBeCloseTo(truth[0].hf_nm / truth[0].hmax_nm, 6);
      // Soft metals with E/H of 100–400 recover little depth: h_f/h_max > 0.7.
      expect(main.flags).toContain('pile-up-risk');
    }
  });

  it('recovers H and E_r within 2 % with noise on load and depth (several seeds)', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const { main } = analyse({ noiseLoadMN: 0.02, noiseDepthNm: 0.3, seed });
      expect(rel(main.H_GPa, FS.hardnessGPa)).toBeLessThan(0.02);
      expect(rel(main.Er_GPa, ER_FS)).toBeLessThan(0.02);
      expect(main.fitR2).toBeGreaterThan(0.995);
    }
  });

  it('analyses every unload of a multi-cycle curve and takes the highest as the main one', () => {
    const peaks = [5, 20, 50, 100, 200];
    const { main, truth } = analyse({ peakLoadsMN: peaks, unloadToFraction: 0.1 });
    expect(main.unloads.map((u) => u.unload)).toEqual([1, 2, 3, 4, 5]);
    main.unloads.forEach((u, k) => {
      expect(rel(u.Pmax_mN, peaks[k])).toBeLessThan(1e-12);
      expect(rel(u.hmax_nm, truth[k].hmax_nm)).toBeLessThan(1e-12);
      expect(rel(u.H_GPa, FS.hardnessGPa)).toBeLessThan(1e-5);
      expect(rel(u.Er_GPa, ER_FS)).toBeLessThan(1e-5);
    });
    expect(main.unload).toBe(5);
    expect(main.Pmax_mN).toBe(200);
  });

  it('uses the file segment codes when present and gets the same answer', () => {
    const base = { peakLoadsMN: [10, 40], unloadToFraction: 0.1, holdPoints: 20 };
    const plain = analyse(base).main;
    const coded = analyse({ ...base, withSegmentCodes: true }).main;
    expect(coded.unloads.length).toBe(2);
    coded.unloads.forEach((u, k) => {
      expect(u.H_GPa).toBeCloseTo(plain.unloads[k].H_GPa, 9);
      expect(u.Er_GPa).toBeCloseTo(plain.unloads[k].Er_GPa, 9);
    });
    expect(coded.segments.filter((s) => s.kind === 'hold').length).toBe(2);
  });

  it('takes h_max at the end of a hold with creep', () => {
    const { main, truth } = analyse({ holdPoints: 40, creepNm: 15 });
    expect(rel(main.hmax_nm, truth[0].hmax_nm)).toBeLessThan(1e-12);
    expect(rel(main.H_GPa, FS.hardnessGPa)).toBeLessThan(1e-5);
    expect(main.segments.map((s) => s.kind)).toEqual(['loading', 'hold', 'unloading']);
  });

  it('subtracts the frame compliance (1/S = 1/S_measured − C_f) when the tip carries it', () => {
    const cf = 0.3;
    const tip = { name: 'stiff frame?', areaCoefficients: [24.5], frameComplianceNmPerMN: cf };
    const corrected = analyse({ tip }, { tip }).main;
    expect(rel(corrected.Er_GPa, ER_FS)).toBeLessThan(1e-5);
    expect(rel(corrected.H_GPa, FS.hardnessGPa)).toBeLessThan(1e-5);
    const ignored = analyse({ tip }).main;
    // Without the correction the fitted stiffness is (nearly) the series stiffness 1/(1/S + C_f).
    const { truth } = generateIndentationCurve({ reducedModulusGPa: ER_FS, tip });
    expect(rel(ignored.S_mN_nm, truth[0].Smeasured_mN_nm)).toBeLessThan(0.01);
    expect(ignored.Er_GPa).toBeLessThan(0.95 * ER_FS);
  });

  it('moves the depth zero to the surface point when a contact load threshold is given', () => {
    const over = { approachPoints: 30, depthOffsetNm: 123 };
    const found = analyse(over, { surfaceLoadMN: 0 }).main;
    // The first point above the threshold is the first loading point, one step below the true surface.
    expect(found.surfaceDepthNm).toBeGreaterThan(123);
    expect(found.surfaceDepthNm).toBeLessThan(123 + 5);
    expect(rel(found.H_GPa, FS.hardnessGPa)).toBeLessThan(0.02);
    expect(rel(found.Er_GPa, ER_FS)).toBeLessThan(0.02);
    const kept = analyse(over).main;
    expect(kept.surfaceDepthNm).toBe(0);
    expect(rel(kept.H_GPa, FS.hardnessGPa)).toBeGreaterThan(0.2);
  });

  it('measures thermal drift on the final low-load hold and removes it', () => {
    const over = { driftRateNmPerS: 0.2, finalHoldPoints: 60, finalHoldS: 60, unloadToFraction: 0.1, holdPoints: 0 };
    const corrected = analyse(over, { correctDrift: true }).main;
    expect(corrected.driftRateNmPerS).toBeCloseTo(0.2, 9);
    expect(rel(corrected.H_GPa, FS.hardnessGPa)).toBeLessThan(1e-4);
    expect(rel(corrected.Er_GPa, ER_FS)).toBeLessThan(1e-4);
    const drifting = analyse(over).main;
    expect(rel(drifting.hmax_nm, corrected.hmax_nm)).toBeGreaterThan(1e-3);
    const noHold = analyse({ holdPoints: 0 }, { correctDrift: true }).main;
    expect(noHold.flags).toContain('no-drift-hold');
  });

  it('computes the elastic work fraction of a P = K h² loading and power-law unloading', () => {
    const { main, truth } = analyse({ holdPoints: 0, loadingPoints: 2000, unloadingPoints: 2000 });
    const t = truth[0];
    // W_t = ∫0^hmax P (h/hmax)² dh = P hmax / 3;  W_e = P (hmax − hf) / (m + 1).
    const expected = (t.Pmax_mN * (t.hmax_nm - t.hf_nm)) / (t.m + 1) / ((t.Pmax_mN * t.hmax_nm) / 3);
    expect(rel(main.elasticWorkFraction, expected)).toBeLessThan(1e-5);
  });

  it('recovers H and E_r over random materials, loads and exponents (property)', () => {
    // E_r/H from 8 (hard ceramics) to 500 (soft metals such as In); below ~5 h_f would be negative.
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 20, noNaN: true }),
        fc.double({ min: 8, max: 500, noNaN: true }),
        fc.double({ min: 0.5, max: 300, noNaN: true }),
        fc.double({ min: 1.1, max: 2.0, noNaN: true }),
        (hardnessGPa, ratio, pmax, m) => {
          const reducedModulusGPa = hardnessGPa * ratio;
          const { main } = analyse({ hardnessGPa, reducedModulusGPa, peakLoadsMN: [pmax], m, holdPoints: 0 });
          expect(rel(main.H_GPa, hardnessGPa)).toBeLessThan(1e-4);
          expect(rel(main.Er_GPa, reducedModulusGPa)).toBeLessThan(1e-4);
        },
      ),
      { numRuns: 15, seed: 42 },
    );
  });

  it('refuses to build a curve whose E_r/H is too small for its m (h_f < 0)', () => {
    expect(() => generateIndentationCurve({ hardnessGPa: 20, reducedModulusGPa: 10 })).toThrow(/E_r\/H is too small/);
  });
});

describe('flags', () => {
  it("flags 'poor-fit' when the unloading is not a power law", () => {
    const { curve } = generateIndentationCurve({ reducedModulusGPa: ER_FS, holdPoints: 0 });
    const load = curve.loadMN.slice();
    const start = load.indexOf(Math.max(...load));
    // A ripple of 3 % of P_max over the unloading.
    for (let i = start + 1; i < load.length; i++) load[i] += 1.5 * Math.sin((i - start) / 8);
    const main = analyzeIndentation(syntheticIndentationDataset([{ ...curve, loadMN: load }])).curves[0];
    expect(main.fitR2).toBeLessThan(0.995);
    expect(main.flags).toContain('poor-fit');
    // The threshold is a named parameter.
    expect(analyzeIndentation(syntheticIndentationDataset([{ ...curve, loadMN: load }]), { minFitR2: 0.5 }).curves[0].flags).not.toContain(
      'poor-fit',
    );
  });

  it("flags 'few-points' when the fit range holds fewer points than minFitPoints", () => {
    const { main } = analyse({ unloadingPoints: 8, holdPoints: 0 });
    expect(main.fitPoints).toBeLessThan(DEFAULT_OLIVER_PHARR.minFitPoints);
    expect(main.flags).toContain('few-points');
  });

  it("flags 'exponent-at-bound' when the unloading is flatter than m = 1 allows", () => {
    const { main } = analyse({ m: 1, holdPoints: 0 });
    expect(main.m).toBe(1);
    expect(main.flags).toContain('exponent-at-bound');
  });

  it("flags 'modulus-exceeds-tip' when E_r is above what diamond allows", () => {
    const { main } = analyse({ reducedModulusGPa: 1500, hardnessGPa: 40, holdPoints: 0 });
    expect(rel(main.Er_GPa, 1500)).toBeLessThan(1e-5);
    expect(main.E_GPa).toBeNaN();
    expect(main.flags).toContain('modulus-exceeds-tip');
  });

  it("flags 'no-unloading' on a loading-only curve and keeps the other curves", () => {
    const { curve } = generateIndentationCurve({ reducedModulusGPa: ER_FS, holdPoints: 0 });
    const cut = 150;
    const loadingOnly = {
      ...curve,
      name: 'cut',
      depthNm: curve.depthNm.slice(0, cut),
      loadMN: curve.loadMN.slice(0, cut),
      timeS: curve.timeS!.slice(0, cut),
    };
    const result = analyzeIndentation(syntheticIndentationDataset([loadingOnly, curve]), { nu: FS.nu });
    expect(result.curves[0].flags).toContain('no-unloading');
    expect(result.curves[0].H_GPa).toBeNaN();
    expect(rel(result.curves[1].H_GPa, FS.hardnessGPa)).toBeLessThan(1e-5);
  });

  it('drops NaN and NanoSuite invalid markers (1.797e308) before the analysis', () => {
    const { curve } = generateIndentationCurve({ reducedModulusGPa: ER_FS, holdPoints: 0 });
    const depth = curve.depthNm.slice();
    const load = curve.loadMN.slice();
    depth[10] = 1.797e308;
    load[20] = NaN;
    const main = analyzeIndentation(syntheticIndentationDataset([{ ...curve, depthNm: depth, loadMN: load }]), { nu: FS.nu }).curves[0];
    expect(main.droppedRows).toBe(2);
    expect(rel(main.H_GPa, FS.hardnessGPa)).toBeLessThan(1e-5);
    // Row numbers refer to the curve as given.
    expect(load[main.startRow]).toBe(Math.max(...load.filter(Number.isFinite)));
  });
});

describe('parameters and bad input', () => {
  const { curve } = generateIndentationCurve({ reducedModulusGPa: ER_FS });

  it('records every value used, taking ν from the file when the user gives none', () => {
    const fromFile = analyzeIndentation(syntheticIndentationDataset([curve], { Poissons_Ratio: 0.18 }));
    expect(fromFile.parameters.nu).toBe(0.18);
    expect(fromFile.parameters.nuSource).toBe('file');
    const fromUser = analyzeIndentation(syntheticIndentationDataset([curve], { Poissons_Ratio: 0.18 }), { nu: 0.45 });
    expect(fromUser.parameters).toMatchObject({
      nu: 0.45,
      nuSource: 'user',
      epsilon: 0.75,
      beta: 1.034,
      tipEGPa: 1141,
      tipNu: 0.07,
      fitRange: [0.2, 0.95],
    });
    const byDefault = analyzeIndentation(syntheticIndentationDataset([curve]));
    expect(byDefault.parameters.nu).toBe(0.3);
    expect(byDefault.parameters.nuSource).toBe('default');
    expect(byDefault.parameters.tip).toEqual(IDEAL_BERKOVICH_TIP);
    expect(JSON.parse(JSON.stringify(byDefault.parameters))).toEqual(byDefault.parameters);
  });

  it('throws IndentationAnalysisError naming the bad value', () => {
    const ds = syntheticIndentationDataset([curve]);
    const cases: [Partial<OliverPharrParams>, RegExp][] = [
      [{ nu: 0.7 }, /nu must be in \(-1, 0\.5\], got 0\.7/],
      [{ fitRange: [0.9, 0.2] }, /fitRange .* got \[0\.9,0\.2\]/],
      [{ epsilon: 0 }, /epsilon .* got 0/],
      [{ beta: -1 }, /beta .* got -1/],
      [{ minFitR2: 2 }, /minFitR2 .* got 2/],
      [
        { tip: { name: 'bent', areaCoefficients: [-24.5], frameComplianceNmPerMN: 0 } },
        /tip "bent": area coefficient C0 must be > 0, got -24\.5/,
      ],
      [{ tip: { name: 'bad', areaCoefficients: [24.5, NaN], frameComplianceNmPerMN: 0 } }, /C1 must be finite, got NaN/],
      [{ tip: { name: 'soft', areaCoefficients: [24.5], frameComplianceNmPerMN: -1 } }, /frameComplianceNmPerMN must be >= 0, got -1/],
    ];
    for (const [params, message] of cases) {
      expect(() => analyzeIndentation(ds, params)).toThrow(IndentationAnalysisError);
      expect(() => analyzeIndentation(ds, params)).toThrow(message);
    }
    expect(() => analyzeIndentation(syntheticIndentationDataset([]))).toThrow(/synthetic\.txt: the dataset has no curves/);
    const short = { ...curve, loadMN: curve.loadMN.slice(1) };
    expect(() => analyzeIndentation(syntheticIndentationDataset([short]))).toThrow(/depthNm has \d+ rows but loadMN has \d+/);
    expect(() => analyzeIndentation({ kind: 'cycling' } as unknown as IndentationDataset)).toThrow(
      /not an indentation dataset \(kind cycling\)/,
    );
  });

  it('reports progress per curve and stops when aborted', () => {
    const seen: number[] = [];
    analyzeIndentation(syntheticIndentationDataset([curve, curve]), {}, { onProgress: (f) => seen.push(f) });
    expect(seen).toEqual([0.5, 1]);
    expect(() => analyzeIndentation(syntheticIndentationDataset([curve]), {}, { signal: { aborted: true } })).toThrow(/analysis cancelled/);
  });
});

describe('segmentCurve', () => {
  it('finds loading, hold and unloading of each cycle from the load alone', () => {
    const { curve } = generateIndentationCurve({
      peakLoadsMN: [10, 30, 60],
      unloadToFraction: 0.1,
      holdPoints: 10,
      finalHoldPoints: 20,
      finalHoldS: 20,
    });
    const { segments, unloads } = segmentCurve(curve.loadMN, undefined, DEFAULT_OLIVER_PHARR, curve.timeS);
    expect(unloads.length).toBe(3);
    const kinds = segments.map((s) => s.kind);
    expect(kinds).toEqual(['loading', 'hold', 'unloading', 'loading', 'hold', 'unloading', 'loading', 'hold', 'unloading', 'hold']);
    // Runs tile the curve: each starts where the previous ended.
    segments.forEach((s, k) => expect(s.start).toBe(k === 0 ? 0 : segments[k - 1].end));
    expect(segments.at(-1)!.end).toBe(curve.loadMN.length);
    // Without time a flat tail cannot be told from the end of a power-law unloading: it stays in it.
    const noTime = segmentCurve(curve.loadMN, undefined, DEFAULT_OLIVER_PHARR);
    expect(noTime.segments.at(-1)).toEqual({ kind: 'unloading', start: unloads[2].start, end: curve.loadMN.length });
    for (const u of unloads) expect(curve.loadMN[u.start]).toBe(Math.max(...curve.loadMN.subarray(u.start, u.end)));
  });
});

describe('summaries and CSV', () => {
  it('gives mean ± s.d. per sample', () => {
    const curves = [1, 2, 3, 10].map(
      (h, k) => generateIndentationCurve({ name: `${k < 3 ? 'A' : 'B'}-${k}`, hardnessGPa: h, reducedModulusGPa: 50, holdPoints: 0 }).curve,
    );
    const result = analyzeIndentation(syntheticIndentationDataset(curves), { nu: 0.3 });
    const summary = summariseBySample(result.curves, (r) => r.name.split('-')[0]);
    expect(summary.map((s) => s.sample)).toEqual(['A', 'B']);
    expect(summary[0].count).toBe(3);
    expect(summary[0].H_GPa.mean).toBeCloseTo(2, 5);
    expect(summary[0].H_GPa.sd).toBeCloseTo(1, 5);
    expect(summary[0].Er_GPa.mean).toBeCloseTo(50, 4);
    expect(summary[0].Er_GPa.sd).toBeLessThan(1e-4);
    expect(summary[0].E_GPa.mean).toBeCloseTo(sampleModulus(50, 0.3, 1141, 0.07), 4);
    expect(summary[1].H_GPa.sd).toBeNaN();
  });

  it('writes one row per unload with the main one marked', () => {
    const { curve } = generateIndentationCurve({
      name: 'site "1", In',
      reducedModulusGPa: ER_FS,
      peakLoadsMN: [5, 50],
      unloadToFraction: 0.1,
    });
    const result = analyzeIndentation(syntheticIndentationDataset([curve]), { nu: FS.nu });
    const csv = indentsToCsv(result);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'name,unload,is_main,Pmax_mN,hmax_nm,hf_nm,S_mN_nm,hc_nm,A_nm2,H_GPa,Er_GPa,E_GPa,m,fitR2,alpha,fitPoints,hfOverHmax,elasticWorkFraction,flags',
    );
    expect(lines.length).toBe(3);
    expect(lines[1].startsWith('"site ""1"", In",1,0,5,')).toBe(true);
    expect(lines[2].startsWith('"site ""1"", In",2,1,50,')).toBe(true);
    const h = Number(lines[2].split(',')[10]); // the quoted name holds one comma
    expect(rel(h, FS.hardnessGPa)).toBeLessThan(1e-5);
  });
});
