import { describe, expect, it } from 'vitest';
import { hysitronTxtFormat } from '../formats/indentation/hysitron-txt';
import { INDENTATION_FORMATS } from '../formats/indentation/index';
import { createSeededRandom } from './seeded-random';
import { formatAscTime, formatHysitronLcTxt, hysitronLcTxtBytes } from './hysitron-txt-writer';

/**
 * An Oliver–Pharr-shaped test curve: loading P = C h² (Berkovich, C = 24.5 · H with H = 1 GPa
 * -> 2.45e-5 mN/nm²) to 3 mN, then unloading P = α (h − h_f)^m with m = 1.5, h_f = 0.7 h_max, plus
 * seeded noise so that the six-decimal formatting is exercised on arbitrary digits.
 */
function testCurve(seed: number): { depthNm: Float64Array; loadMN: Float64Array; timeS: Float64Array } {
  const random = createSeededRandom(seed);
  const c = 2.45e-5;
  const pMax = 3;
  const hMax = Math.sqrt(pMax / c);
  const hF = 0.7 * hMax;
  const n = 400;
  const depthNm = new Float64Array(n);
  const loadMN = new Float64Array(n);
  const timeS = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const noise = (random.uniform() - 0.5) * 0.01;
    if (k < 200) {
      depthNm[k] = (hMax * (k + 1)) / 200 + noise;
      loadMN[k] = c * depthNm[k] ** 2;
    } else {
      depthNm[k] = hMax - ((hMax - hF) * (k - 199)) / 200 + noise;
      loadMN[k] = pMax * (Math.max(0, depthNm[k] - hF) / (hMax - hF)) ** 1.5;
    }
    timeS[k] = 0.005005 * k;
  }
  return { depthNm, loadMN, timeS };
}

describe('Hysitron LC.txt writer', () => {
  it('writes the TriboScan layout', () => {
    const text = formatHysitronLcTxt({ depthNm: [1.5, 2], loadMN: [0.001, 0.0025] }, { startMs: Date.UTC(2019, 3, 29, 10, 41, 6) });
    expect(text.split('\n')).toEqual([
      'Mon Apr 29 10:41:06 2019',
      '',
      'Number of Points = 2',
      'Depth (nm)\tLoad (µN)\tTime (s)\tDepth (V)\tLoad (V)',
      '1.500000\t1.000000\t0.000000\t0.000300\t0.000167',
      '2.000000\t2.500000\t0.005005\t0.000400\t0.000417',
      '',
    ]);
    expect(formatAscTime(Date.UTC(2026, 2, 4, 9, 0, 0))).toBe('Wed Mar 04 09:00:00 2026');
  });

  it('round-trips through the importer to the six decimals it writes', () => {
    for (const seed of [1, 2, 3]) {
      const curve = testCurve(seed);
      const bytes = hysitronLcTxtBytes(curve);
      // Latin-1 µ (0xB5), as the instrument writes it.
      expect(bytes.includes(0xb5)).toBe(true);
      const head = bytes.subarray(0, 65_536);
      expect(INDENTATION_FORMATS.find((f) => f.detect(head, 'demo LC.txt'))?.id).toBe('hysitron-txt');
      const parsed = hysitronTxtFormat.parse(bytes, { fileName: 'demo LC.txt', services: {} });
      if (parsed.kind !== 'indentation') throw new Error('expected indentation');
      const [c] = parsed.curves;
      expect(parsed.warnings).toEqual([]);
      expect(c.depthNm.length).toBe(curve.depthNm.length);
      // Depth written to 1e-6 nm, load to 1e-6 µN = 1e-9 mN, time to 1e-6 s: half a last digit each.
      c.depthNm.forEach((v, k) => expect(Math.abs(v - curve.depthNm[k])).toBeLessThanOrEqual(5e-7 + 1e-12));
      c.loadMN.forEach((v, k) => expect(Math.abs(v - curve.loadMN[k])).toBeLessThanOrEqual(5e-10 + 1e-15));
      c.timeS!.forEach((v, k) => expect(Math.abs(v - curve.timeS[k])).toBeLessThanOrEqual(5e-7 + 1e-12));
    }
  });

  it('refuses columns of different lengths', () => {
    expect(() => formatHysitronLcTxt({ depthNm: [1, 2], loadMN: [1] })).toThrow(RangeError);
  });
});
