/**
 * Arbin MITS Pro / DataPro Excel exports (.xlsx), MANIFEST.md "Arbin":
 * - a `Global_Info` sheet (test name, channel, start date-time, schedule) and data sheets
 *   `Channel_<ch>_<k>`; a long test continues on `Channel_<ch>_2`, `_3` … (Excel's row limit);
 * - data columns `Date_Time` (Excel date serial), `Test_Time(s)`, `Step_Time(s)`, `Step_Index`,
 *   `Cycle_Index`, `Voltage(V)`, `Current(A)`, `Charge_Capacity(Ah)`, `Discharge_Capacity(Ah)`, energies …;
 *   units in parentheses, or none (then Arbin's implicit s, A, V, Ah, °C);
 * - current positive on charge (DOMAIN.md's convention); no step-type column.
 *
 * Capacity: Arbin's `Charge_Capacity` / `Discharge_Capacity` are non-negative counters that accumulate
 * over a cycle and restart when `Cycle_Index` increments. The canonical `capacity` is a per-step
 * magnitude, so it is derived as the growth of both counters since the step began
 * (`arbinStepCapacityMAh` of arbin-csv.ts, shared with the CSV and `.res` readers); step types are
 * inferred from the current and voltage the same way (`finishArbinColumns`), and a warning says so.
 *
 * Pipeline: workbook -> channel sheets in order -> header roles + units -> rows -> RecordAccumulator ->
 * per-step capacity + inferred step types.
 */
import type { UnitConversion } from '../model/units';
import { splitHeaderUnit, unitConversion } from '../model/units';
import { ARBIN_IMPLICIT_UNIT, ARBIN_QUANTITY, finishArbinColumns, formatWallClock } from './arbin-csv';
import type { BinaryFormat, ParseContext, ParsedCycling } from './binary-format';
import { cellNumber, cellText, dateCellMs, readWorkbook } from './containers/read-workbook';
import { isZip, probeXlsxHead } from './containers/xlsx-reader';
import { ImportError } from './import-error';
import type { RecordAccumulator } from './record-accumulator';
import { checkAbort, pushRow, recordAccumulatorFor, workbookCycling, type RecordFieldCells } from './workbook-cycler-common';
import { STEP_TYPE_CODE } from '../model/step-type';
import type { SourceColumn } from '../model/dataset';

type ArbinRole =
  'testTime' | 'dateTime' | 'stepIndex' | 'cycle' | 'current' | 'voltage' | 'chargeCapacity' | 'dischargeCapacity' | 'temperature';

/** Header names, unit stripped, lower case, `_` read as a space. */
const ROLE_NAMES: Readonly<Record<ArbinRole, readonly string[]>> = {
  testTime: ['test time'],
  dateTime: ['date time', 'datetime'],
  stepIndex: ['step index'],
  cycle: ['cycle index'],
  current: ['current'],
  voltage: ['voltage'],
  chargeCapacity: ['charge capacity'],
  dischargeCapacity: ['discharge capacity'],
  temperature: ['temperature', 'aux temperature 1', 'temperature 1'],
};

const CANONICAL: Partial<Record<ArbinRole, string>> = {
  testTime: 'time',
  current: 'current',
  voltage: 'voltage',
  stepIndex: 'step',
  cycle: 'cycle',
  temperature: 'temperature',
};

const CHANNEL_SHEET = /^Channel_?(\d+)_(\d+)$/i;

function roleOf(header: string): ArbinRole | undefined {
  const name = splitHeaderUnit(header).name.toLowerCase().replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
  for (const role of Object.keys(ROLE_NAMES) as ArbinRole[]) if (ROLE_NAMES[role].includes(name)) return role;
  return undefined;
}

function isArbinDataHeader(headers: readonly string[]): boolean {
  const roles = new Set(headers.map(roleOf));
  return (['testTime', 'current', 'voltage', 'chargeCapacity', 'dischargeCapacity'] as const).every((r) => roles.has(r));
}

/** Content detection: `Global_Info` plus `Channel_<ch>_<k>` sheets, or Arbin's data headers in the head. */
function detectArbinXlsx(head: Uint8Array): boolean {
  if (!isZip(head)) return false;
  const probe = probeXlsxHead(head);
  if (probe.sheetNames) {
    const names = probe.sheetNames;
    return names.some((n) => CHANNEL_SHEET.test(n)) && (names.includes('Global_Info') || isArbinDataHeader(probe.strings));
  }
  return isArbinDataHeader(probe.strings);
}

interface Mapped {
  index: number;
  conversion?: UnitConversion;
}

function mapArbinHeaders(headers: readonly string[], fileName: string, sheetName: string) {
  const roles = new Map<ArbinRole, Mapped>();
  const sourceColumns: SourceColumn[] = [];
  headers.forEach((header, index) => {
    if (header === '') return;
    const { unit } = splitHeaderUnit(header);
    const role = roleOf(header);
    if (role === undefined || roles.has(role)) {
      sourceColumns.push({ header, unit });
      return;
    }
    const quantity = ARBIN_QUANTITY[role];
    let conversion: UnitConversion | undefined;
    if (quantity) {
      conversion = unitConversion(quantity, unit === '' ? (ARBIN_IMPLICIT_UNIT[role] ?? '') : unit);
      if (!conversion)
        throw new ImportError(
          'unsupported-format',
          fileName,
          `sheet "${sheetName}": column "${header}" has a unit "${unit}" that is not a ${quantity} unit.`,
        );
    }
    roles.set(role, { index, conversion });
    const mappedTo = CANONICAL[role];
    sourceColumns.push(mappedTo ? { header, unit, mappedTo } : { header, unit });
  });
  for (const needed of ['testTime', 'current', 'voltage'] as const)
    if (!roles.has(needed))
      throw new ImportError(
        'missing-column',
        fileName,
        `sheet "${sheetName}" has no ${needed === 'testTime' ? 'Test_Time' : needed} column.`,
      );
  return { roles, sourceColumns };
}

/** Growable Float64 array for the capacity counters (kept in double: they are differenced). */
class Float64Builder {
  private data = new Float64Array(1024);
  size = 0;

  push(v: number): void {
    if (this.size === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.size++] = v;
  }

  finish(): Float64Array {
    return this.data.slice(0, this.size);
  }
}

/** Parses an Arbin .xlsx export: the first channel's data sheets in order. Throws ImportError only. */
export function parseArbinXlsx(bytes: Uint8Array, context: ParseContext): ParsedCycling {
  const fileName = context.fileName;
  const wb = readWorkbook(bytes, fileName);
  const channelSheets = wb.sheetNames
    .map((name) => ({ name, m: CHANNEL_SHEET.exec(name) }))
    .filter((s): s is { name: string; m: RegExpExecArray } => s.m !== null)
    .map((s) => ({ name: s.name, channel: Number(s.m[1]), part: Number(s.m[2]) }));
  if (channelSheets.length === 0)
    throw new ImportError('missing-column', fileName, `no Channel_<ch>_<k> data sheet (sheets: ${wb.sheetNames.join(', ')}).`);
  const channel = channelSheets[0].channel;
  const sheets = channelSheets.filter((s) => s.channel === channel).sort((a, b) => a.part - b.part);
  const otherChannels = [...new Set(channelSheets.map((s) => s.channel))].filter((c) => c !== channel);

  let acc: RecordAccumulator | undefined;
  const chargeAh = new Float64Builder();
  const dischargeAh = new Float64Builder();
  let sourceColumns: SourceColumn[] = [];
  let hasStepIndex = false;
  let hasCapacity = false;
  let startDateTime: string | undefined;
  let rowsSeen = 0;
  for (const { name } of sheets) {
    const rows = wb.sheet(name)!.rows()[Symbol.iterator]();
    const first = rows.next();
    if (first.done) continue;
    const headers = first.value.map(cellText);
    if (!isArbinDataHeader(headers) && !headers.some((h) => roleOf(h) === 'current')) continue;
    const { roles, sourceColumns: sc } = mapArbinHeaders(headers, fileName, name);
    const at = (role: ArbinRole) => roles.get(role)?.index ?? -1;
    const conv = (role: ArbinRole) => roles.get(role)?.conversion ?? { factor: 1, offset: 0, unit: '' };
    const [iTime, iDate, iStep, iCycle, iI, iV, iChg, iDchg, iTemp] = (
      ['testTime', 'dateTime', 'stepIndex', 'cycle', 'current', 'voltage', 'chargeCapacity', 'dischargeCapacity', 'temperature'] as const
    ).map(at);
    const [cTime, cI, cV, cChg, cDchg, cTemp] = (
      ['testTime', 'current', 'voltage', 'chargeCapacity', 'dischargeCapacity', 'temperature'] as const
    ).map(conv);
    // Capacity comes from the counters after all records are in (finishArbinColumns), not per row.
    const fields: RecordFieldCells = {
      step: iStep,
      cycle: iCycle,
      capacity: -1,
      capacityConversion: cChg,
      temperature: iTemp,
      temperatureConversion: cTemp,
    };
    if (!acc) {
      sourceColumns = sc;
      hasStepIndex = iStep >= 0;
      hasCapacity = iChg >= 0 && iDchg >= 0;
      acc = recordAccumulatorFor(fields);
    }
    let rowNumber = 1;
    for (let r = rows.next(); !r.done; r = rows.next()) {
      rowNumber++;
      checkAbort(++rowsSeen, context);
      const cells = r.value;
      if (cells.length === 0) continue;
      const timeS = cellNumber(cells[iTime]) * cTime.factor;
      const voltageV = cellNumber(cells[iV]) * cV.factor;
      const currentMA = cellNumber(cells[iI]) * cI.factor;
      const first = acc.rowCount === 0;
      // Step types are inferred after all records are in (finishArbinColumns); `other` never flips a sign.
      if (!pushRow(acc, rowNumber, cells, fields, timeS, voltageV, currentMA, () => STEP_TYPE_CODE.other)) continue;
      if (first && iDate >= 0) {
        const ms = dateCellMs(cells[iDate]);
        if (Number.isFinite(ms)) startDateTime = formatWallClock(ms);
      }
      // Counters in Ah (the conversion's factor gives mAh; finishArbinColumns wants Ah).
      if (hasCapacity) {
        chargeAh.push((cellNumber(cells[iChg]) * cChg.factor) / 1000);
        dischargeAh.push((cellNumber(cells[iDchg]) * cDchg.factor) / 1000);
      }
    }
  }
  if (!acc || acc.rowCount === 0)
    throw new ImportError('no-data-rows', fileName, `the Channel_${channel} sheets hold no readable records.`);
  const { columns, warnings } = acc.finish();
  finishArbinColumns(columns, chargeAh.finish(), dischargeAh.finish(), hasStepIndex, hasCapacity, warnings);
  if (hasCapacity)
    warnings.push({
      code: 'capacity-from-counters',
      message:
        'capacity per step was derived from Arbin’s Charge_Capacity/Discharge_Capacity counters (which accumulate over a cycle): the growth of both since the step began.',
    });
  if (sheets.length > 1)
    warnings.push({
      code: 'sheets-joined',
      message: `records joined from ${sheets.length} sheets in order: ${sheets.map((s) => s.name).join(', ')}.`,
      count: sheets.length,
    });
  if (otherChannels.length > 0)
    warnings.push({
      code: 'channels-ignored',
      message: `the workbook also holds channel(s) ${otherChannels.join(', ')}; only channel ${channel} was imported.`,
      count: otherChannels.length,
    });
  context.onProgress?.(1);
  return workbookCycling(columns, sourceColumns, warnings, startDateTime);
}

export const ARBIN_XLSX: BinaryFormat = {
  id: 'arbin-xlsx',
  instrument: 'Arbin MITS Pro (Excel export)',
  detect: (head) => detectArbinXlsx(head),
  parse: parseArbinXlsx,
};
