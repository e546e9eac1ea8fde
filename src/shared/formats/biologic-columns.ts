/**
 * BioLogic (EC-Lab / BT-Lab) columns, shared by the `.mpt`/`.txt`/`.csv` text exports and the binary
 * `.mpr`: which column plays which role (matched loosely: names vary by technique, device, version and
 * locale), and how one BioLogic record becomes one canonical record of DOMAIN.md.
 *
 * Conventions (decided here once, for text and binary alike):
 * - current: BioLogic's own sign, positive = oxidation of the working electrode, which is DOMAIN.md's
 *   positive = charge. Measured `I` wins over the averaged `<I>`; without either, EC-Lab's own definition
 *   of `<I>` = dq/dt is used (that is how EC-Lab writes `<I>/mA` into the `.mpt` of a `.mpr` that stores
 *   only `dq`); then the set-point `control/mA`; an open-circuit run (every record `mode` 3, or an OCV
 *   technique) with no current column gets 0 mA and a warning; anything else is refused.
 * - stepType: `mode` 1 = CC, 2 = CV, 3 = rest; charge/discharge from the current's sign (`ox/red` when
 *   the current is exactly 0). Without a `mode` column: |I| ≤ {@link REST_CURRENT_MA} is rest, else CC.
 * - step: `Ns` (the sequence index of the technique), else `half cycle`.
 * - cycle: EC-Lab's `cycle number` counts from 0; DOMAIN.md counts from 1, so cycle = cycle number + 1
 *   always (a warning says so). A `.mpr` stores no cycle number, only `half cycle`, and EC-Lab's export
 *   writes cycle number = floor(half cycle / 2) (checked on every real `.mpt` with both); the same rule
 *   gives the cycle when a file has `half cycle` only.
 * - capacity: `Q charge/discharge` (EC-Lab's charge since the half cycle began) as a magnitude, mAh; else
 *   |Δ(Q-Qo)| since the start of the current step.
 */
import type { ImportWarning, SourceColumn } from '../model/dataset';
import { STEP_TYPE_CODE } from '../model/step-type';
import { unitConversion, type Quantity } from '../model/units';
import { ImportError } from './import-error';
import { RecordAccumulator } from './record-accumulator';
import type { ParsedRecords } from './text-format';

export type BiologicRole =
  | 'time'
  | 'date'
  | 'voltage'
  | 'current'
  | 'controlCurrent'
  | 'controlVoltageOrCurrent'
  | 'dq'
  | 'halfCycleCharge'
  | 'cumulativeCharge'
  | 'halfCycle'
  | 'cycleNumber'
  | 'ns'
  | 'mode'
  | 'oxRed'
  | 'temperature';

/** |I| at or below this (mA) is rest when a file has no `mode` column (100 nA: below any cycling current). */
export const REST_CURRENT_MA = 1e-4;

interface RolePattern {
  readonly role: BiologicRole;
  /** Matched against the normalised header; group 1, when present, is the unit. */
  readonly pattern: RegExp;
  readonly quantity?: Quantity;
  /** Lower wins when several headers play the role (`Ewe` before `<Ewe>` before `Ecell`). */
  readonly rank: number;
}

const UNIT = '([^/]+)';

const ROLE_PATTERNS: readonly RolePattern[] = [
  { role: 'time', pattern: new RegExp(`^time/${UNIT}$`), quantity: 'time', rank: 0 },
  { role: 'date', pattern: /^(?:date|date ?time|timestamp|absolute time)$/, rank: 0 },
  { role: 'voltage', pattern: new RegExp(`^ewe/${UNIT}$`), quantity: 'voltage', rank: 0 },
  { role: 'voltage', pattern: new RegExp(`^<ewe>/${UNIT}$`), quantity: 'voltage', rank: 1 },
  { role: 'voltage', pattern: new RegExp(`^ecell/${UNIT}$`), quantity: 'voltage', rank: 2 },
  { role: 'voltage', pattern: new RegExp(`^<ecell>/${UNIT}$`), quantity: 'voltage', rank: 3 },
  { role: 'current', pattern: new RegExp(`^i/${UNIT}$`), quantity: 'current', rank: 0 },
  { role: 'current', pattern: new RegExp(`^<i>/${UNIT}$`), quantity: 'current', rank: 1 },
  { role: 'controlCurrent', pattern: /^control\/(m?a|[uµ]a)$/, quantity: 'current', rank: 0 },
  { role: 'controlVoltageOrCurrent', pattern: /^control\/v\/(m?a)$/, quantity: 'current', rank: 0 },
  { role: 'dq', pattern: new RegExp(`^dq/${UNIT}$`), quantity: 'capacity', rank: 0 },
  { role: 'halfCycleCharge', pattern: new RegExp(`^q charge/discharge/${UNIT}$`), quantity: 'capacity', rank: 0 },
  { role: 'cumulativeCharge', pattern: new RegExp(`^\\(q-qo\\)/${UNIT}$`), quantity: 'capacity', rank: 0 },
  { role: 'halfCycle', pattern: /^half cycle$/, rank: 0 },
  { role: 'cycleNumber', pattern: /^cycle number$/, rank: 0 },
  { role: 'ns', pattern: /^ns$/, rank: 0 },
  { role: 'mode', pattern: /^mode$/, rank: 0 },
  { role: 'oxRed', pattern: /^ox\/red$/, rank: 0 },
  // EC-Lab's ";" CSV conversion names the column `ox` and writes the whole packed flags byte into it.
  { role: 'oxRed', pattern: /^ox$/, rank: 1 },
  // `Temperature/°C`, `T/°C`, and the CSV's doubled `Temperature/°C/°c`.
  { role: 'temperature', pattern: /^(?:temperature|t)\/(°c|k)(?:\/°c)?$/, quantity: 'temperature', rank: 0 },
];

/**
 * Lower case, single spaces, and the degree sign restored where re-encoding lost it: cp1252 `°` read as
 * UTF-8 becomes U+FFFD, and U+FFFD written back as UTF-8 then read as cp1252 becomes `ï¿½`.
 */
export function normaliseBiologicHeader(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/ï¿½|\ufffd|º/g, '°')
    .replace(/\s*\/\s*/g, '/');
}

export interface BiologicColumn {
  readonly index: number;
  readonly header: string;
  /** canonical = value * factor + offset */
  readonly factor: number;
  readonly offset: number;
  readonly rank: number;
}

export type BiologicColumnMap = Partial<Record<BiologicRole, BiologicColumn>>;

/** Canonical column each role feeds, for the dataset's record of source columns. */
const CANONICAL_OF_ROLE: Partial<Record<BiologicRole, string>> = {
  time: 'time',
  date: 'time',
  voltage: 'voltage',
  current: 'current',
  halfCycleCharge: 'capacity',
  cycleNumber: 'cycle',
  ns: 'step',
  mode: 'stepType',
  temperature: 'temperature',
};

function roleOf(header: string): { entry: RolePattern; unit: string } | undefined {
  const name = normaliseBiologicHeader(header);
  for (const entry of ROLE_PATTERNS) {
    const m = entry.pattern.exec(name);
    if (m) return { entry, unit: m[1] ?? '' };
  }
  return undefined;
}

/** The role a header would play, or undefined (for detection). */
export function biologicRoleOf(header: string): BiologicRole | undefined {
  return roleOf(header)?.entry.role;
}

/**
 * Maps headers to roles: per role the best-ranked header (then the first). Throws an ImportError naming
 * the column when a quantity's unit is not one we know: reading µA as mA silently would be worse.
 */
export function mapBiologicColumns(
  fileName: string,
  headers: readonly string[],
): { map: BiologicColumnMap; sourceColumns: SourceColumn[] } {
  const map: BiologicColumnMap = {};
  for (let index = 0; index < headers.length; index++) {
    const header = headers[index];
    if (header.trim() === '') continue;
    const found = roleOf(header);
    if (!found) continue;
    const { entry, unit } = found;
    const current = map[entry.role];
    if (current && current.rank <= entry.rank) continue;
    let factor = 1;
    let offset = 0;
    if (entry.quantity) {
      const conversion = unitConversion(entry.quantity, unit);
      if (!conversion) {
        throw new ImportError(
          'unsupported-format',
          fileName,
          `column "${header}" has a unit "${unit}" that is not a ${entry.quantity} unit.`,
        );
      }
      factor = conversion.factor;
      offset = conversion.offset;
    }
    map[entry.role] = { index, header, factor, offset, rank: entry.rank };
  }
  const mappedIndex = new Map<number, string>();
  for (const [role, column] of Object.entries(map) as [BiologicRole, BiologicColumn][]) {
    const canonical = CANONICAL_OF_ROLE[role];
    if (canonical) mappedIndex.set(column.index, canonical);
  }
  const current = currentSourceOf(map);
  const currentColumn =
    current === 'dq'
      ? map.dq
      : current === 'control'
        ? map.controlCurrent
        : current === 'control-cc-only'
          ? map.controlVoltageOrCurrent
          : undefined;
  if (currentColumn) mappedIndex.set(currentColumn.index, 'current');
  if (!map.halfCycleCharge && map.cumulativeCharge) mappedIndex.set(map.cumulativeCharge.index, 'capacity');
  if (!map.cycleNumber && map.halfCycle) mappedIndex.set(map.halfCycle.index, 'cycle');
  if (!map.ns && map.halfCycle && !mappedIndex.has(map.halfCycle.index)) mappedIndex.set(map.halfCycle.index, 'step');
  const sourceColumns: SourceColumn[] = [];
  headers.forEach((header, index) => {
    if (header.trim() === '') return;
    const slash = header.lastIndexOf('/');
    const unit = slash > 0 && !/^ox\/red$/i.test(header.trim()) ? header.slice(slash + 1).trim() : '';
    const mappedTo = mappedIndex.get(index);
    sourceColumns.push(mappedTo ? { header, unit, mappedTo } : { header, unit });
  });
  return { map, sourceColumns };
}

/** One BioLogic record in canonical units; NaN where the file has no such column. */
export interface BiologicRecord {
  timeS: number;
  voltageV: number;
  currentMA: number;
  controlCurrentMA: number;
  dqMAh: number;
  halfCycleChargeMAh: number;
  cumulativeChargeMAh: number;
  halfCycle: number;
  cycleNumber: number;
  ns: number;
  mode: number;
  oxRed: number;
  temperatureC: number;
}

export function emptyBiologicRecord(): BiologicRecord {
  return {
    timeS: NaN,
    voltageV: NaN,
    currentMA: NaN,
    controlCurrentMA: NaN,
    dqMAh: NaN,
    halfCycleChargeMAh: NaN,
    cumulativeChargeMAh: NaN,
    halfCycle: NaN,
    cycleNumber: NaN,
    ns: NaN,
    mode: NaN,
    oxRed: NaN,
    temperatureC: NaN,
  };
}

/** Where the canonical current comes from, best first. */
export type CurrentSource = 'measured' | 'dq' | 'control' | 'control-cc-only' | 'none';

/** The best current source a file's columns offer (control/V/mA only with `mode` to tell CC rows). */
export function currentSourceOf(map: BiologicColumnMap): CurrentSource {
  if (map.current) return 'measured';
  if (map.dq) return 'dq';
  if (map.controlCurrent) return 'control';
  if (map.controlVoltageOrCurrent && map.mode) return 'control-cc-only';
  return 'none';
}

export interface BiologicBuilderOptions {
  readonly fileName: string;
  readonly map: BiologicColumnMap;
  /** The header names an open-circuit technique (OCV), so a missing current is 0 by definition. */
  readonly isOpenCircuit: boolean;
  /** `mode`/`ox` hold EC-Lab's packed flags byte (mode in bits 0–1, ox in bit 2), as in the ";" CSV. */
  readonly hasPackedFlags: boolean;
}

/**
 * Turns BioLogic records into canonical records (see the file comment for every convention) and
 * collects them in a RecordAccumulator. Throws ImportError('missing-column') at construction when
 * the file cannot give time, voltage or (unless open-circuit) current.
 */
export class BiologicRecordBuilder {
  private readonly acc: RecordAccumulator;
  readonly currentSource: CurrentSource;
  private readonly hasMode: boolean;
  private readonly capacityFromHalfCycle: boolean;
  private readonly capacityFromCumulative: boolean;
  private readonly cycleFrom: 'cycle-number' | 'half-cycle' | 'none';
  private firstTime = NaN;
  private prevTimeS = NaN;
  private prevDerivedCurrent = 0;
  private prevStep = NaN;
  private prevStepType = -1;
  private prevCumulative = NaN;
  private segmentBase = NaN;
  private openCircuitZeroes = 0;
  private underControlWithoutCurrent = 0;
  private modeLessRecords = 0;

  constructor(private readonly options: BiologicBuilderOptions) {
    const { map, fileName } = options;
    if (!map.time && !map.date) {
      throw new ImportError('missing-column', fileName, 'BioLogic export without a "time/s" column: cannot place records in time.');
    }
    if (!map.voltage) {
      throw new ImportError('missing-column', fileName, 'BioLogic export without a potential column (Ewe/V, <Ewe>/V, Ecell/V).');
    }
    this.hasMode = map.mode !== undefined;
    this.currentSource = currentSourceOf(map);
    if (this.currentSource === 'none' && !this.hasMode && !options.isOpenCircuit) {
      throw new ImportError(
        'missing-column',
        fileName,
        'BioLogic export without a current column (I/mA, <I>/mA, dq/mA.h or control/mA) and without a "mode" column to show it is an open-circuit run.',
      );
    }
    this.capacityFromHalfCycle = map.halfCycleCharge !== undefined;
    this.capacityFromCumulative = !this.capacityFromHalfCycle && map.cumulativeCharge !== undefined;
    this.cycleFrom = map.cycleNumber ? 'cycle-number' : map.halfCycle ? 'half-cycle' : 'none';
    this.acc = new RecordAccumulator({
      capacity: this.capacityFromHalfCycle || this.capacityFromCumulative,
      cycle: this.cycleFrom !== 'none',
      temperature: map.temperature !== undefined,
    });
  }

  rejectLine(lineNumber: number): void {
    this.acc.rejectLine(lineNumber);
  }

  get rowCount(): number {
    return this.acc.rowCount;
  }

  /** Time of the first accepted record as the file writes it (before rebasing); NaN before any. */
  get firstTimeS(): number {
    return this.firstTime;
  }

  /** Adds one record (the object may be reused by the caller). `lineNumber` names it when rejected. */
  push(r: BiologicRecord, lineNumber: number): void {
    const { timeS, voltageV } = r;
    if (!Number.isFinite(timeS) || !Number.isFinite(voltageV)) return this.acc.rejectLine(lineNumber);
    let mode = r.mode;
    let oxRed = r.oxRed;
    if (this.options.hasPackedFlags) {
      // The packed flags byte: mode in bits 0–1, ox/red in bit 2 (the .mpr layout).
      const byte = Number.isFinite(mode) ? mode : oxRed;
      mode = byte & 0x03;
      oxRed = (byte >> 2) & 1;
    }
    const currentMA = this.currentOf(r, mode);
    if (Number.isNaN(currentMA)) return this.acc.rejectLine(lineNumber);
    const stepTypeCode = this.stepTypeOf(mode, currentMA, oxRed);
    const step = Number.isFinite(r.ns) ? r.ns : Number.isFinite(r.halfCycle) ? r.halfCycle : 0;

    let capacityMAh = NaN;
    if (this.capacityFromHalfCycle) capacityMAh = Math.abs(r.halfCycleChargeMAh);
    else if (this.capacityFromCumulative) {
      const q = r.cumulativeChargeMAh;
      if (step !== this.prevStep || stepTypeCode !== this.prevStepType || Number.isNaN(this.segmentBase)) {
        // The step began after the previous record: its charge counts from that record's (Q-Qo).
        this.segmentBase = Number.isFinite(this.prevCumulative) ? this.prevCumulative : q;
      }
      capacityMAh = Math.abs(q - this.segmentBase);
      if (Number.isFinite(q)) this.prevCumulative = q;
    }
    let cycle = 0;
    if (this.cycleFrom === 'cycle-number') cycle = Math.round(r.cycleNumber) + 1;
    else if (this.cycleFrom === 'half-cycle') cycle = Math.floor(r.halfCycle / 2) + 1;
    if (Number.isNaN(cycle)) cycle = 0;

    if (Number.isNaN(this.firstTime)) this.firstTime = timeS;
    this.prevTimeS = timeS;
    this.prevStep = step;
    this.prevStepType = stepTypeCode;
    this.acc.push(timeS, voltageV, currentMA, step, stepTypeCode, capacityMAh, cycle, r.temperatureC);
  }

  private currentOf(r: BiologicRecord, mode: number): number {
    switch (this.currentSource) {
      case 'measured':
        return r.currentMA;
      case 'dq': {
        // EC-Lab's <I> = dq / dt over the interval since the previous point (mAh → mA·s: × 3600).
        const dt = r.timeS - this.prevTimeS;
        if (!Number.isFinite(r.dqMAh)) return NaN;
        if (dt > 0) this.prevDerivedCurrent = (r.dqMAh * 3600) / dt;
        else if (r.dqMAh === 0 || Number.isNaN(this.prevTimeS)) this.prevDerivedCurrent = 0;
        return this.prevDerivedCurrent;
      }
      case 'control':
        return mode === 3 ? 0 : r.controlCurrentMA;
      case 'control-cc-only':
        // control/V/mA holds a current only under current control (mode 1); under CV it is a voltage.
        return mode === 3 ? 0 : mode === 1 ? r.controlCurrentMA : NaN;
      case 'none':
        if (mode === 3 || this.options.isOpenCircuit) {
          this.openCircuitZeroes++;
          return 0;
        }
        this.underControlWithoutCurrent++;
        return NaN;
    }
  }

  private stepTypeOf(mode: number, currentMA: number, oxRed: number): number {
    if (!this.hasMode || !Number.isFinite(mode)) {
      this.modeLessRecords++;
      if (Math.abs(currentMA) <= REST_CURRENT_MA) return STEP_TYPE_CODE.rest;
      return currentMA > 0 ? STEP_TYPE_CODE.cc_charge : STEP_TYPE_CODE.cc_discharge;
    }
    if (mode === 3) return STEP_TYPE_CODE.rest;
    const sign = currentMA > 0 ? 1 : currentMA < 0 ? -1 : oxRed === 1 ? 1 : oxRed === 0 ? -1 : 0;
    if (mode === 1) return sign > 0 ? STEP_TYPE_CODE.cc_charge : sign < 0 ? STEP_TYPE_CODE.cc_discharge : STEP_TYPE_CODE.other;
    if (mode === 2) return sign > 0 ? STEP_TYPE_CODE.cv_charge : sign < 0 ? STEP_TYPE_CODE.cv_discharge : STEP_TYPE_CODE.other;
    return STEP_TYPE_CODE.other;
  }

  /**
   * The records and every warning; `extra` warnings (format-specific) come first. `isTimeAbsolute`: the
   * times were date-times, so their origin is not worth a warning.
   */
  finish(sourceColumns: SourceColumn[], extra: ImportWarning[] = [], startDateTime?: string, isTimeAbsolute = false): ParsedRecords {
    const { fileName, map } = this.options;
    if (this.underControlWithoutCurrent > 0) {
      throw new ImportError(
        'missing-column',
        fileName,
        `BioLogic export without a current column (I/mA, <I>/mA, dq/mA.h or control/mA), but ${this.underControlWithoutCurrent} records are under current or potential control (mode CC/CV): their current is unknown.`,
      );
    }
    const { columns, warnings } = this.acc.finish();
    if (columns.temperatureC && columns.temperatureC.every((t) => Number.isNaN(t))) {
      // BT-Lab writes a temperature column even without a probe; an all-empty column is no data.
      delete columns.temperatureC;
    }
    const out: ImportWarning[] = [...extra];
    if (Number.isFinite(this.firstTime) && this.firstTime !== 0 && !isTimeAbsolute) {
      out.push({
        code: 'time-origin',
        message: `time/s starts at ${this.firstTime} s in the file (EC-Lab counts from the start of the whole linked experiment); times are rebased to the first record.`,
      });
    }
    if (this.currentSource === 'dq') {
      out.push({
        code: 'current-from-charge',
        message: `no current column: current is EC-Lab's <I> = dq/dt from "${map.dq!.header}".`,
        count: columns.timeS.length,
      });
    } else if (this.currentSource === 'control' || this.currentSource === 'control-cc-only') {
      const header = (map.controlCurrent ?? map.controlVoltageOrCurrent)!.header;
      out.push({
        code: 'current-from-control',
        message: `no measured current column: current is the set-point "${header}" (0 at rest), not a measurement.`,
        count: columns.timeS.length,
      });
    }
    if (this.openCircuitZeroes > 0) {
      out.push({
        code: 'current-missing-open-circuit',
        message: `open-circuit run without a current column: current set to 0 mA for ${this.openCircuitZeroes} records.`,
        count: this.openCircuitZeroes,
      });
    }
    if (!this.hasMode && this.modeLessRecords > 0) {
      out.push({
        code: 'step-type-from-current',
        message: `no "mode" column: step types are taken from the current (|I| ≤ ${REST_CURRENT_MA} mA is rest, else constant current); constant-voltage steps cannot be told apart.`,
        count: this.modeLessRecords,
      });
    }
    if (this.cycleFrom === 'cycle-number') {
      out.push({
        code: 'cycle-renumbered',
        message: `EC-Lab's "cycle number" starts at 0: cycle = cycle number + 1, so the first cycle is 1 (DOMAIN.md).`,
      });
    } else if (this.cycleFrom === 'half-cycle') {
      out.push({
        code: 'cycle-from-half-cycle',
        message: 'no "cycle number" column: cycle = floor(half cycle / 2) + 1, as EC-Lab numbers cycles (from 1 here).',
      });
    }
    if (this.capacityFromCumulative) {
      out.push({
        code: 'capacity-from-cumulative-charge',
        message: `no "Q charge/discharge" column: capacity is |Δ(Q-Qo)| since the start of each step, from "${map.cumulativeCharge!.header}".`,
      });
    }
    out.push(...warnings);
    return {
      columns,
      rowCount: columns.timeS.length,
      sourceColumns,
      warnings: out,
      startDateTime,
    };
  }
}

/** Days from the OLE automation epoch (1899-12-30) to the Unix epoch. */
const OLE_UNIX_EPOCH_DAYS = 25569;
const MS_PER_DAY = 86_400_000;

/** A wall-clock time (ms on a zone-free axis) as `YYYY-MM-DD HH:MM:SS.fff`. */
export function formatWallClock(ms: number): string | undefined {
  // Date's range is ±8.64e15 ms; a damaged file can hold any number.
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return undefined;
  const iso = new Date(Math.round(ms)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/** OLE automation date (days since 1899-12-30, local wall clock) → ms on the zone-free axis. */
export function oleDateToMs(oleDays: number): number {
  return (oleDays - OLE_UNIX_EPOCH_DAYS) * MS_PER_DAY;
}
