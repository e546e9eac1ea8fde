/**
 * The nanoindentation readers against the real instrument files of ../shared/data/real/indentation and
 * the reference values of its MANIFEST.md.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAS_REAL_DATA, REAL_DATA_SKIP_REASON, readReal, realPath } from '../../test-support/real-data';
import type { ParsedIndentation } from '../binary-format';
import type { IndentationCurve } from '../../model/indentation';
import { INDENT_SEGMENT_CODE } from '../../model/indentation';
import { INDENTATION_FORMATS } from './index';

const describeReal = HAS_REAL_DATA ? describe : describe.skip;
if (!HAS_REAL_DATA) console.warn(REAL_DATA_SKIP_REASON);

const HEAD_BYTES = 64 * 1024;

/** Detects like the pipeline (first format claiming the 64 KiB head) and parses the whole file. */
function importReal(relative: string): { formatId: string; parsed: ParsedIndentation; claimedBy: string[] } {
  const bytes = readReal(relative);
  const fileName = relative.split('/').pop()!;
  const head = bytes.subarray(0, HEAD_BYTES);
  const claimedBy = INDENTATION_FORMATS.filter((f) => f.detect(head, fileName)).map((f) => f.id);
  const format = INDENTATION_FORMATS.find((f) => f.detect(head, fileName));
  if (!format) throw new Error(`${relative}: no indentation format detected it`);
  const parsed = format.parse(bytes, { fileName, services: {} });
  if (parsed.kind !== 'indentation') throw new Error('not indentation');
  return { formatId: format.id, parsed, claimedBy };
}

const maxOf = (a: Float64Array): number => a.reduce((m, v) => (v > m ? v : m), -Infinity);
const mean = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0) / values.length;
const result = (c: IndentationCurve, key: string): number => {
  const v = c.instrumentResults?.[key];
  if (v === undefined) throw new Error(`${c.name}: no instrument result ${key}`);
  return v;
};

/** Each instrument result named in `expected` equals its reference value exactly (as the file writes it). */
function expectResults(c: IndentationCurve, expected: Readonly<Record<string, number>>): void {
  for (const [key, value] of Object.entries(expected)) expect(result(c, key), `${c.name}: ${key}`).toBe(value);
}

function expectWellFormed(curves: readonly IndentationCurve[]): void {
  for (const c of curves) {
    expect(c.loadMN.length).toBe(c.depthNm.length);
    if (c.timeS) expect(c.timeS.length).toBe(c.depthNm.length);
    if (c.segment) expect(c.segment.length).toBe(c.depthNm.length);
    expect(c.depthNm.every(Number.isFinite)).toBe(true);
    expect(c.loadMN.every(Number.isFinite)).toBe(true);
  }
}

describeReal('indentation formats on the real files', () => {
  it('each real indentation file is claimed by exactly one indentation format', () => {
    const expected: Record<string, string> = {
      '1000nmXX 1 6958 -4555.txt': 'micromaterials-txt',
      '1750nmXX 1 7211 -4640.txt': 'micromaterials-txt',
      'Exp-50mN_0000.hld': 'hysitron-hld',
      'FQ.xls': 'agilent-xls',
      'FS1.txt': 'fischerscope-txt',
      'FusedSilica.xlsx': 'kla-xlsx',
      'Hysitron_dma.txt': 'hysitron-dma',
      'MTS_1film_SiO2_Si_CSM-2nm.xls': 'agilent-xls',
      'NiAl_250nm_TUIL_max_depth_1000nm_GM3_SM_previousGM1.xls': 'agilent-xls',
      'Popin.xls': 'agilent-xls',
      'RobinSteel0000LC.txt': 'hysitron-txt',
      'Tungsten_FrameStiffness.xlsx': 'kla-xlsx',
    };
    for (const name of readdirSync(realPath('indentation'))) {
      const bytes = readReal(`indentation/${name}`).subarray(0, HEAD_BYTES);
      const claimed = INDENTATION_FORMATS.filter((f) => f.detect(bytes, name)).map((f) => f.id);
      expect([name, claimed]).toEqual([name, [expected[name]]]);
    }
  });

  it('no indentation format claims a cycler file of the other real folders', () => {
    for (const folder of ['arbin', 'biologic', 'gitt', 'maccor', 'neware', 'other']) {
      for (const name of readdirSync(realPath(folder))) {
        if (/\.(parquet)$/.test(name)) continue;
        const bytes = readReal(`${folder}/${name}`).subarray(0, HEAD_BYTES);
        const claimed = INDENTATION_FORMATS.filter((f) => f.detect(bytes, name)).map((f) => f.id);
        expect([`${folder}/${name}`, claimed]).toEqual([`${folder}/${name}`, []]);
      }
    }
  });

  it('FS1.txt (FISCHERSCOPE): 10 indents, µm -> nm, the instrument results of the MANIFEST', () => {
    const { parsed } = importReal('indentation/FS1.txt');
    expect(parsed.curves).toHaveLength(10);
    expectWellFormed(parsed.curves);
    // MANIFEST: per indent EIT/(1-vs^2) GPa, HIT N/mm², hmax µm, hr µm.
    const reference = [
      [83.7, 8553.6, 1.535, 1.053],
      [82.5, 8289.9, 1.554, 1.072],
      [81.1, 8035.5, 1.573, 1.091],
      [80.6, 7923.9, 1.581, 1.1],
      [79.3, 7797.1, 1.595, 1.109],
      [77.9, 7532.8, 1.617, 1.131],
      [78.0, 7643.7, 1.61, 1.121],
      [78.1, 7631.8, 1.61, 1.122],
      [78.0, 7632.0, 1.611, 1.122],
      [77.2, 7437.7, 1.626, 1.139],
    ];
    parsed.curves.forEach((c, k) => {
      expect(c.name).toBe(`Indent ${k + 1}`);
      const [eit, hit, hmax, hr] = reference[k];
      expect(result(c, 'EIT_GPa')).toBe(eit);
      expect(result(c, 'HIT_N_mm2')).toBe(hit);
      expect(result(c, 'hmax_um')).toBe(hmax);
      expect(result(c, 'hr_um')).toBe(hr);
      // Fmax 300 mN (ESP 300 mN/120 s), depth converted from µm: the curve's maximum depth agrees with
      // the instrument's hmax to its printed precision plus its own zero point (< 10 nm).
      expect(maxOf(c.loadMN)).toBeCloseTo(300, 1);
      expect(Math.abs(maxOf(c.depthNm) - hmax * 1000)).toBeLessThan(10);
      expect(c.timeS![c.timeS!.length - 1]).toBeCloseTo(120, 6);
    });
    // Martens hardness HM of the block: mean 3677.88, max 3928.59, min 3530.03 N/mm² (one decimal per indent).
    const hm = parsed.curves.map((c) => result(c, 'HM_N_mm2'));
    expect(mean(hm)).toBeCloseTo(3677.88, 0);
    expect(Math.max(...hm)).toBeCloseTo(3928.59, 0);
    expect(Math.min(...hm)).toBeCloseTo(3530.03, 0);
    expect(parsed.instrumentSettings?.tangentFitRange).toBe('20.95% - 95.33% Fmax');
    expect(parsed.instrumentSettings?.epsilon).toBe(0.75);
  });

  it('FQ.xls (NanoSuite, 5 unloads per test): 10 tests in test order, Pmax ≈ 500 mN, Results per unload', () => {
    const { parsed } = importReal('indentation/FQ.xls');
    expect(parsed.curves.map((c) => c.name)).toEqual(Array.from({ length: 10 }, (_, k) => `Test ${String(k + 1).padStart(3, '0')}`));
    expectWellFormed(parsed.curves);
    for (const c of parsed.curves) {
      expect(maxOf(c.loadMN)).toBeGreaterThan(495);
      expect(maxOf(c.loadMN)).toBeLessThan(505);
      expect(c.segment).toBeDefined();
      expect(c.segment!.includes(INDENT_SEGMENT_CODE.loading)).toBe(true);
      expect(c.segment!.includes(INDENT_SEGMENT_CODE.unloading)).toBe(true);
    }
    const t1 = parsed.curves[0];
    expectResults(t1, {
      unload1_E_GPa: 73.5,
      unload1_H_GPa: 9.44,
      unload1_Displacement_nm: 524.2,
      unload1_Load_mN: 31.136,
      unload1_Stiffness_N_m: 145949.167,
      unload5_E_GPa: 72.5,
      unload5_H_GPa: 9.16,
      unload5_Displacement_nm: 2124.9,
      unload5_Load_mN: 496.989,
      unload5_Stiffness_N_m: 584588.268,
    });
    // The curve passes through the instrument's unload-1 and unload-5 points (depth and load of the
    // Results row, rounded there to 0.1 nm and 0.001 mN).
    for (const [d, p] of [
      [524.2, 31.136],
      [2124.9, 496.989],
    ]) {
      const hit = t1.depthNm.findIndex((v, k) => Math.abs(v - d) <= 0.05 && Math.abs(t1.loadMN[k] - p) <= 0.0005);
      expect(hit).toBeGreaterThan(0);
    }
    // Mean over all unloads: E 72.8 GPa, H 9.25 GPa (MANIFEST).
    const allE = parsed.curves.flatMap((c) => [1, 2, 3, 4, 5].map((u) => result(c, `unload${u}_E_GPa`)));
    const allH = parsed.curves.flatMap((c) => [1, 2, 3, 4, 5].map((u) => result(c, `unload${u}_H_GPa`)));
    // Values are printed to 0.1 GPa (E) and 0.01 GPa (H): means of printed values may differ from the
    // instrument's means of unrounded values by half a last digit. The E mean is that of the per-test
    // averages (`Avg E`); over the 50 printed unload values it comes out 72.746.
    const avgE = parsed.curves.map((c) => result(c, 'Avg_E_GPa'));
    expect(Math.abs(mean(avgE) - 72.8)).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(Math.abs(mean(allE) - 72.8)).toBeLessThan(0.06);
    expect(Math.abs(mean(allH) - 9.25)).toBeLessThanOrEqual(0.005 + 1e-9);
    expect(parsed.instrumentSettings?.poissonRatio).toBe(0.18);
    expect(parsed.instrumentSettings?.frameStiffness_N_m).toBe(3.6e6);
    expect(parsed.instrumentSettings?.tipName).toBe('TB22169 NV');
  });

  it('Popin.xls (NanoSuite CSM): 12 tests, Results moduli, Poisson 0.3, tip S1_1_JD', () => {
    const { parsed } = importReal('indentation/Popin.xls');
    expect(parsed.curves).toHaveLength(12);
    expectWellFormed(parsed.curves);
    const e = parsed.curves.map((c) => result(c, 'Avg_Modulus_100_200_nm_GPa'));
    const h = parsed.curves.map((c) => result(c, 'Avg_Hardness_100_200_nm_GPa'));
    expect(e[0]).toBe(330.9);
    expect(e[1]).toBe(333.3);
    expect(mean(e)).toBeCloseTo(339.2, 1);
    expect(mean(h)).toBeCloseTo(7.02, 2);
    expect(parsed.instrumentSettings?.poissonRatio).toBe(0.3);
    expect(parsed.instrumentSettings?.tipName).toBe('S1_1_JD');
    // Loading stops at the 1000 nm "Depth Limit" of Required Inputs (the last sample falls just short).
    for (const c of parsed.curves) expect(maxOf(c.depthNm)).toBeGreaterThan(980);
    for (const c of parsed.curves) expect(maxOf(c.depthNm)).toBeLessThan(1010);
  });

  it('NiAl .xls (NanoSuite CSM to 1000 nm): 20 tests, moduli, area-function coefficients', () => {
    const { parsed } = importReal('indentation/NiAl_250nm_TUIL_max_depth_1000nm_GM3_SM_previousGM1.xls');
    expect(parsed.curves).toHaveLength(20);
    expectWellFormed(parsed.curves);
    const e = parsed.curves.map((c) => result(c, 'E_Average_Over_Defined_Range_GPa'));
    const h = parsed.curves.map((c) => result(c, 'H_Average_Over_Defined_Range_GPa'));
    expect(e[0]).toBe(140.55);
    expect(e[1]).toBe(139.49);
    expect(mean(e)).toBeCloseTo(137.745, 3);
    expect(mean(h)).toBeCloseTo(3.879, 3);
    expect(parsed.instrumentSettings?.Area_Coefficient_1).toBe(27.3136);
    expect(parsed.instrumentSettings?.Area_Coefficient_2).toBe(152.6988585);
    expect(parsed.instrumentSettings?.Area_Coefficient_3).toBe(-494.1823171);
    expect(parsed.instrumentSettings?.tipName).toBe('Berk40_20210907_MarilaineSP');
    for (const c of parsed.curves) {
      expect(maxOf(c.depthNm)).toBeGreaterThan(990);
      expect(c.segment!.includes(INDENT_SEGMENT_CODE.hold)).toBe(true);
    }
  });

  it('MTS Analyst averaged CSM .xls: one averaged curve in nm / mN', () => {
    const { parsed } = importReal('indentation/MTS_1film_SiO2_Si_CSM-2nm.xls');
    expect(parsed.curves).toHaveLength(1);
    expectWellFormed(parsed.curves);
    const [c] = parsed.curves;
    // ~67 depth points (MANIFEST); 66 data rows between the units row and the end.
    expect(c.depthNm.length).toBeGreaterThan(60);
    expect(c.depthNm.length).toBeLessThan(70);
    // Markers: loading up to the hold at 1904 nm, then unloading and the thermal-drift hold.
    const seg = c.segment!;
    const firstHold = seg.indexOf(INDENT_SEGMENT_CODE.hold);
    expect(c.depthNm[firstHold]).toBeCloseTo(1904.3631597375443, 9);
    for (let k = 1; k < firstHold; k++) {
      expect(seg[k]).toBe(INDENT_SEGMENT_CODE.loading);
      expect(c.depthNm[k]).toBeGreaterThan(c.depthNm[k - 1]);
    }
    expect(seg[firstHold + 1]).toBe(INDENT_SEGMENT_CODE.unloading);
    expect(parsed.instrument).toMatch(/Analyst/);
  });

  it('FusedSilica.xlsx (KLA InView): 16 tests, Pmax mean 47.6268 mN, Poisson 0.188', () => {
    const { parsed } = importReal('indentation/FusedSilica.xlsx');
    expect(parsed.curves).toHaveLength(16);
    expectWellFormed(parsed.curves);
    const pmax = parsed.curves.map((c) => result(c, 'Pmax_mN'));
    // MANIFEST (Results "Average"): 47.6268, four decimals.
    expect(Math.abs(mean(pmax) - 47.6268)).toBeLessThanOrEqual(0.00005 + 1e-9);
    // Results' Pmax is the instrument's corrected peak load; the raw curve peaks at the 48 mN target,
    // < 1 % above it.
    for (const [k, c] of parsed.curves.entries()) {
      expect(Math.abs(maxOf(c.loadMN) - pmax[k]) / pmax[k]).toBeLessThan(0.01);
      expect(c.segment!.includes(INDENT_SEGMENT_CODE.unloading)).toBe(true);
    }
    expect(parsed.instrumentSettings?.poissonRatio).toBe(0.188);
    // Mojibake units repaired: X position in µm.
    expect(result(parsed.curves[0], 'X_Position_um')).toBe(129010.98);
  });

  it('Tungsten_FrameStiffness.xlsx (KLA InView, other column order): 8 tests, Pmax mean 44.645 mN', () => {
    const { parsed } = importReal('indentation/Tungsten_FrameStiffness.xlsx');
    expect(parsed.curves).toHaveLength(8);
    expectWellFormed(parsed.curves);
    const pmax = parsed.curves.map((c) => result(c, 'Pmax_mN'));
    expect(mean(pmax)).toBeCloseTo(44.645, 3);
    for (const [k, c] of parsed.curves.entries()) {
      expect(Math.abs(maxOf(c.loadMN) - pmax[k]) / pmax[k]).toBeLessThan(0.01);
    }
    // Cycles-GroupedByTest: the instrument's results of each of the 6 unloads (rows `1:1` … `1:6`).
    const t1 = parsed.curves[0];
    expectResults(t1, {
      unload1_Pmax_mN: 1.4,
      unload1_Su_N_m: 130000,
      unload6_Pmax_mN: 44.65,
      unload6_hmax_nm: 730,
      unload6_Su_N_m: 1890000,
      unload6_Acu_nm2: 12394918.3,
    });
    // The last unload starts at the curve's peak: its hmax is the curve's maximum depth (to 1 nm).
    expect(Math.abs(maxOf(t1.depthNm) - 730)).toBeLessThan(1);
  });

  it('RobinSteel0000LC.txt (Hysitron LC): 5304 points, µN -> mN', () => {
    const { parsed } = importReal('indentation/RobinSteel0000LC.txt');
    expect(parsed.curves).toHaveLength(1);
    const [c] = parsed.curves;
    expectWellFormed(parsed.curves);
    expect(c.depthNm.length).toBe(5304);
    expect(parsed.warnings).toEqual([]);
    // First row: 0.814723 nm, 1.836146 µN.
    expect(c.depthNm[0]).toBe(0.814723);
    expect(c.loadMN[0]).toBeCloseTo(1.836146e-3, 12);
    // A 3000 µN indent: the peak is 3 mN after conversion.
    expect(maxOf(c.loadMN)).toBeGreaterThan(2.9);
    expect(maxOf(c.loadMN)).toBeLessThan(3.1);
    expect(parsed.encoding).toBe('windows-1252');
  });

  it('Exp-50mN_0000.hld (Hysitron HighLoad): the 1068-point test block, 50 mN peak, load-function segments', () => {
    const { parsed } = importReal('indentation/Exp-50mN_0000.hld');
    const [c] = parsed.curves;
    expectWellFormed(parsed.curves);
    expect(c.depthNm.length).toBe(1068);
    // Maximum Demand 50000 µN.
    expect(parsed.instrumentSettings?.['Maximum Demand (mN)']).toBe(50);
    expect(Math.abs(maxOf(c.loadMN) - 50) / 50).toBeLessThan(0.01);
    // First test row: Disp 5.800346 nm, Force 204.644060 µN.
    expect(c.depthNm[0]).toBe(5.800346);
    expect(c.loadMN[0]).toBeCloseTo(0.20464406, 9);
    // Load function: segment 2 (4.679–5.679 s) rises to 50000 µN, segment 3 falls to 0.
    const peak = c.loadMN.indexOf(maxOf(c.loadMN));
    expect(c.segment![peak - 5]).toBe(INDENT_SEGMENT_CODE.loading);
    expect(c.segment![c.segment!.length - 5]).toBe(INDENT_SEGMENT_CODE.unloading);
    expect(parsed.instrumentSettings?.['Tip C0 (nm^2/nm^2)']).toBe(24.5);
  });

  it('Hysitron_dma.txt (nanoDMA): the load on the sample, µN -> mN', () => {
    const { parsed } = importReal('indentation/Hysitron_dma.txt');
    const [c] = parsed.curves;
    expectWellFormed(parsed.curves);
    expect(c.depthNm.length).toBe(3098);
    const load = parsed.sourceColumns.find((s) => s.mappedTo === 'load');
    expect(load?.header).toBe('Indent Load (µN)');
    // First row: Indent Disp. 0.719472 nm, Indent Load 9.36416 µN.
    expect(c.depthNm[0]).toBe(0.719472);
    expect(c.loadMN[0]).toBeCloseTo(9.36416e-3, 12);
  });

  it('Micro Materials NanoTest files: one curve named after the file, depth-limited to the name’s depth', () => {
    for (const [file, rows, depth] of [
      ['1000nmXX 1 6958 -4555.txt', 886, 1000],
      ['1750nmXX 1 7211 -4640.txt', 904, 1750],
    ] as const) {
      const { parsed } = importReal(`indentation/${file}`);
      expect(parsed.curves).toHaveLength(1);
      const [c] = parsed.curves;
      expectWellFormed(parsed.curves);
      expect(c.name).toBe(file.replace(/\.txt$/, ''));
      expect(c.depthNm.length).toBe(rows);
      // Depth control overshoots its target by a few % at most.
      expect(maxOf(c.depthNm) / depth).toBeGreaterThan(1);
      expect(maxOf(c.depthNm) / depth).toBeLessThan(1.05);
      // Time never runs backwards.
      for (let k = 1; k < c.timeS!.length; k++) expect(c.timeS![k]).toBeGreaterThanOrEqual(c.timeS![k - 1]);
    }
  });
});
