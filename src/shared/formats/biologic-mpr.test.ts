/**
 * BioLogic .mpr from synthetic bytes with analytic answers: a rest, a +1 mA charge and a −1 mA discharge
 * of 3600 s each (1 mA for 3600 s is 1 mAh), written in the three module layouts; then unknown column
 * ids, truncation at every offset and random damage, which must end in an ImportError and nothing else.
 */
import { describe, expect, it } from 'vitest';
import { STEP_TYPE_CODE } from '../model/step-type';
import { createSeededRandom } from '../synth/seeded-random';
import { BIOLOGIC_MPR, MPR_COLUMNS } from './biologic-mpr';
import { isImportError } from './import-error';
import type { ParsedCycling } from './binary-format';

type Layout = 'old-v3' | 'old-v2' | 'new-v0';
type FieldType = 'u1' | 'u2' | 'u4' | 'f4' | 'f8';
const SIZE: Record<FieldType, number> = { u1: 1, u2: 2, u4: 4, f4: 4, f8: 8 };

interface SynthRecord {
  mode: number;
  ox: number;
  ns: number;
  timeS: number;
  ewe: number;
  iMA: number;
  dqMAh: number;
  qHalfMAh: number;
  halfCycle: number;
}

const SAMPLE_S = 60;
const START_S = 100;

/** Rest 600 s, +1 mA for 3600 s, −1 mA for 3600 s, one record per minute, from time/s = 100. */
function gcplRecords(): SynthRecord[] {
  const out: SynthRecord[] = [];
  let q = 0;
  const add = (mode: number, ns: number, iMA: number, halfCycle: number, durationS: number, ewe: (f: number) => number) => {
    q = 0;
    for (let t = SAMPLE_S; t <= durationS; t += SAMPLE_S) {
      const dq = (iMA * SAMPLE_S) / 3600;
      q += dq;
      const timeS = (out.length === 0 ? START_S : out[out.length - 1].timeS) + SAMPLE_S;
      out.push({ mode, ox: iMA >= 0 ? 1 : 0, ns, timeS, ewe: ewe(t / durationS), iMA, dqMAh: dq, qHalfMAh: mode === 3 ? 0 : q, halfCycle });
    }
  };
  add(3, 0, 0, 0, 600, () => 0.62);
  add(1, 1, 1, 0, 3600, (f) => 0.65 + 0.1 * f);
  add(1, 2, -1, 1, 3600, (f) => 0.6 - 0.1 * f);
  return out;
}

/** Column ids with the value each takes from a record (flags: 1 = mode, 2 = ox/red share a byte). */
const FULL_IDS = [1, 2, 131, 4, 6, 8, 467, 468];
const DQ_ONLY_IDS = [1, 2, 131, 4, 7, 6, 211, 468];

function valueOf(id: number, r: SynthRecord): number {
  switch (id) {
    case 131:
      return r.ns;
    case 4:
      return r.timeS;
    case 6:
      return r.ewe;
    case 7:
      return r.dqMAh;
    case 8:
      return r.iMA;
    case 211:
    case 467:
      return r.qHalfMAh;
    case 468:
      return r.halfCycle;
    default:
      return 0;
  }
}

const OLE_2024_01_10_110229886 = Date.UTC(2024, 0, 10, 11, 2, 29, 886) / 86_400_000 + 25569;

interface SynthOptions {
  layout?: Layout;
  ids?: number[];
  /** Ids not in MPR_COLUMNS, with the bytes each takes per record. */
  unknown?: { id: number; bytes: number }[];
  withLog?: boolean;
  records?: SynthRecord[];
  /** Overrides the point count written in the data module. */
  declaredPoints?: number;
  dataVersion?: number;
}

function ascii(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0));
}

function writeModule(out: number[], name: string, data: Uint8Array, layout: Layout, version: number): void {
  out.push(...ascii('MODULE'), ...ascii(name.padEnd(10)), ...ascii(name.padEnd(25)));
  const u32 = (v: number) => out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  if (layout === 'new-v0') {
    u32(0xffffffff);
    u32(data.length);
    u32(version);
    u32(name === 'VMP data' ? 11 : 10);
  } else {
    u32(data.length);
    u32(version);
  }
  out.push(...ascii('01/10/24'));
  out.push(...data);
}

function buildMpr(options: SynthOptions = {}): Uint8Array {
  const layout = options.layout ?? 'old-v3';
  const records = options.records ?? gcplRecords();
  const ids = [...(options.ids ?? FULL_IDS), ...(options.unknown ?? []).map((u) => u.id)];
  const typeOf = (id: number): FieldType | undefined => MPR_COLUMNS.get(id)?.[1];
  let recordBytes = 0;
  let hasFlags = false;
  for (const id of ids) {
    if (id === 1 || id === 2) {
      if (!hasFlags) recordBytes += 1;
      hasFlags = true;
    } else recordBytes += typeOf(id) ? SIZE[typeOf(id)!] : options.unknown!.find((u) => u.id === id)!.bytes;
  }
  const recordsAt = layout === 'new-v0' ? 0x3ef : layout === 'old-v2' ? 0x195 : 0x196;
  const data = new Uint8Array(recordsAt + records.length * recordBytes);
  const view = new DataView(data.buffer);
  view.setUint32(0, options.declaredPoints ?? records.length, true);
  data[4] = ids.length;
  ids.forEach((id, k) => view.setUint16(5 + 2 * k, id, layout !== 'new-v0'));
  records.forEach((r, i) => {
    let p = recordsAt + i * recordBytes;
    let flagsWritten = false;
    for (const id of ids) {
      if (id === 1 || id === 2) {
        if (!flagsWritten) data[p++] = (r.mode & 3) | (r.ox << 2);
        flagsWritten = true;
        continue;
      }
      const type = typeOf(id);
      if (!type) {
        p += options.unknown!.find((u) => u.id === id)!.bytes;
        continue;
      }
      const v = valueOf(id, r);
      if (type === 'f8') view.setFloat64(p, v, true);
      else if (type === 'f4') view.setFloat32(p, v, true);
      else if (type === 'u4') view.setUint32(p, v, true);
      else if (type === 'u2') view.setUint16(p, v, true);
      else data[p] = v;
      p += SIZE[type];
    }
  });
  const version = options.dataVersion ?? (layout === 'new-v0' ? 0 : layout === 'old-v2' ? 2 : 3);
  const out: number[] = [...ascii('BIO-LOGIC MODULAR FILE\x1a'.padEnd(48)), 0, 0, 0, 0];
  writeModule(out, 'VMP Set', new Uint8Array(64), layout, 0);
  writeModule(out, 'VMP data', data, layout, version);
  if (options.withLog ?? true) {
    const log = new Uint8Array(0x249 + 8 + 16);
    new DataView(log.buffer).setFloat64(0x249, OLE_2024_01_10_110229886, true);
    writeModule(out, 'VMP LOG', log, layout, 0);
  }
  return new Uint8Array(out);
}

function parse(bytes: Uint8Array, fileName = 'synthetic.mpr'): ParsedCycling {
  const parsed = BIOLOGIC_MPR.parse(bytes, { fileName, services: {} });
  if (parsed.kind !== 'cycling') throw new Error('expected cycling');
  return parsed;
}

function importErrorOf(bytes: Uint8Array): unknown {
  try {
    parse(bytes);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('BIOLOGIC_MPR on synthetic files with analytic answers', () => {
  const records = gcplRecords();
  const endOfCharge = 10 + 60 - 1;
  const last = records.length - 1;

  it.each<Layout>(['old-v3', 'old-v2', 'new-v0'])('%s layout: rest, +1 mA charge, −1 mA discharge of 1 mAh each', (layout) => {
    const r = parse(buildMpr({ layout }));
    const { timeS, voltageV, currentMA, stepType, step, cycle, capacityMAh } = r.columns;
    expect(r.rowCount).toBe(records.length);
    expect(timeS[0]).toBe(0);
    expect(timeS[last]).toBe(records[last].timeS - records[0].timeS);
    expect(voltageV[endOfCharge]).toBeCloseTo(0.75, 6);
    expect(stepType[0]).toBe(STEP_TYPE_CODE.rest);
    expect(currentMA[0]).toBe(0);
    expect(stepType[endOfCharge]).toBe(STEP_TYPE_CODE.cc_charge);
    expect(currentMA[endOfCharge]).toBe(1);
    expect(stepType[last]).toBe(STEP_TYPE_CODE.cc_discharge);
    expect(currentMA[last]).toBe(-1);
    expect(capacityMAh![endOfCharge]).toBeCloseTo(1, 6);
    expect(capacityMAh![last]).toBeCloseTo(1, 6);
    expect([step[0], step[endOfCharge], step[last]]).toEqual([0, 1, 2]);
    // half cycles 0 and 1 are EC-Lab's cycle 0, our cycle 1.
    expect(new Set(cycle)).toEqual(new Set([1]));
    // acquisition start + the first record's time/s (160 s)
    expect(r.startDateTime).toBe('2024-01-10 11:05:09.886');
    expect(r.warnings.find((w) => w.code === 'time-origin')?.message).toContain(`${START_S + SAMPLE_S} s`);
    expect(r.sourceColumns.find((c) => c.mappedTo === 'current')?.header).toBe('I/mA');
  });

  it("without a current column, the current is dq/dt (EC-Lab's <I>) and said so", () => {
    const r = parse(buildMpr({ ids: DQ_ONLY_IDS, layout: 'new-v0' }));
    expect(r.columns.currentMA[endOfCharge]).toBeCloseTo(1, 9);
    expect(r.columns.currentMA[last]).toBeCloseTo(-1, 9);
    expect(r.columns.currentMA[0]).toBe(0);
    expect(r.warnings.map((w) => w.code)).toContain('current-from-charge');
    expect(r.sourceColumns.find((c) => c.header === 'dq/mA.h')?.mappedTo).toBe('current');
  });

  it('without a log module the start time is unknown and said so', () => {
    const r = parse(buildMpr({ withLog: false }));
    expect(r.startDateTime).toBeUndefined();
    expect(r.warnings.map((w) => w.code)).toContain('no-start-time');
  });

  it('detects by the magic bytes only', () => {
    expect(BIOLOGIC_MPR.detect(buildMpr().subarray(0, 4096), 'x.bin')).toBe(true);
    expect(BIOLOGIC_MPR.detect(new TextEncoder().encode('EC-Lab ASCII FILE\r\n'), 'x.mpr')).toBe(false);
  });
});

describe('BIOLOGIC_MPR column ids it does not know', () => {
  it('one unknown id is sized from the module length, skipped and named in an unknown-column warning', () => {
    const known = parse(buildMpr());
    const r = parse(buildMpr({ unknown: [{ id: 4000, bytes: 4 }] }));
    const warning = r.warnings.find((w) => w.code === 'unknown-column');
    expect(warning?.message).toContain('4000');
    expect(Array.from(r.columns.voltageV)).toEqual(Array.from(known.columns.voltageV));
    expect(Array.from(r.columns.capacityMAh!)).toEqual(Array.from(known.columns.capacityMAh!));
  });

  it('two unknown ids cannot be sized: an ImportError naming both', () => {
    const error = importErrorOf(
      buildMpr({
        unknown: [
          { id: 4000, bytes: 4 },
          { id: 4001, bytes: 8 },
        ],
      }),
    );
    expect(isImportError(error)).toBe(true);
    expect(String(error)).toMatch(/4000, 4001/);
  });

  it('an unknown id whose size is not 1, 2, 4 or 8 bytes: an ImportError naming it', () => {
    const error = importErrorOf(buildMpr({ unknown: [{ id: 4000, bytes: 3 }] }));
    expect(isImportError(error)).toBe(true);
    expect(String(error)).toContain('4000');
  });
});

describe('BIOLOGIC_MPR on damaged input: ImportError and nothing else', () => {
  const bytes = buildMpr({ layout: 'new-v0' });

  it('truncated at every offset', () => {
    const codes = new Set<string>();
    // Cut exactly before the log module, the file is whole without it (and says the start is unknown).
    const logModuleAt = bytes.length - (6 + 59 + 0x249 + 8 + 16);
    expect(parse(bytes.subarray(0, logModuleAt)).startDateTime).toBeUndefined();
    for (let cut = 0; cut < bytes.length; cut++) {
      if (cut === logModuleAt) continue;
      const error = importErrorOf(bytes.subarray(0, cut));
      expect(isImportError(error), `cut at ${cut}: ${String(error)}`).toBe(true);
      if (isImportError(error)) codes.add(error.code);
    }
    expect(codes).toEqual(new Set(['unsupported-format', 'damaged-file']));
  });

  it('a data module declaring more records than it holds', () => {
    const error = importErrorOf(buildMpr({ declaredPoints: 10_000 }));
    expect(isImportError(error) && error.code).toBe('damaged-file');
  });

  it('an unknown data-module version', () => {
    const error = importErrorOf(buildMpr({ dataVersion: 7 }));
    expect(isImportError(error) && error.code).toBe('unsupported-format');
    expect(String(error)).toContain('version 7');
  });

  it('random bytes after the magic, and random byte changes anywhere (seeded)', () => {
    const random = createSeededRandom(20261125);
    for (let trial = 0; trial < 200; trial++) {
      const garbage = new Uint8Array(64 + Math.floor(random.uniform() * 4000));
      garbage.set(bytes.subarray(0, 52));
      for (let i = 52; i < garbage.length; i++) garbage[i] = Math.floor(random.uniform() * 256);
      expect(isImportError(importErrorOf(garbage))).toBe(true);

      const damaged = bytes.slice();
      const changes = 1 + Math.floor(random.uniform() * 8);
      for (let k = 0; k < changes; k++) damaged[Math.floor(random.uniform() * damaged.length)] = Math.floor(random.uniform() * 256);
      const error = importErrorOf(damaged);
      // A change inside the records only changes numbers; anything else must be refused cleanly.
      expect(error === undefined || isImportError(error), String(error)).toBe(true);
    }
  });
});
