/**
 * Every NEWARE CSV export in ../shared/data/real/neware against its reference values (MANIFEST.md):
 * the fastnda table made from BTSDA's own export, cellpy's row counts, and the nested export's own
 * per-cycle summary rows (the instrument's capacities, a built-in reference for our records).
 */
import { describe, expect, it } from 'vitest';
import { STEP_TYPE_CODE, stepTypeFromLabel } from '../model/step-type';
import { HAS_REAL_DATA, REAL_DATA_SKIP_REASON, importBytes, readReal, readSimpleCsv } from '../test-support/real-data';

const describeReal = HAS_REAL_DATA ? describe : describe.skip;
if (!HAS_REAL_DATA) console.warn(REAL_DATA_SKIP_REASON);

describeReal('NEWARE CSV exports in ../shared/data/real', () => {
  it('interp-test.csv (Latin-1 µA/mV/mAs, trailing commas) matches the fastnda reference row by row', async () => {
    const dataset = await importBytes('interp-test.csv', readReal('neware/interp-test.csv'));
    const reference = readSimpleCsv(new TextDecoder().decode(readReal('neware/interp-test.ndax.reference.csv')));
    const col = (name: string) => reference.header.indexOf(name);
    expect(dataset.meta.format).toBe('neware-csv');
    expect(dataset.meta.encoding).toBe('windows-1252');
    expect(dataset.meta.sourceColumns.find((c) => c.mappedTo === 'current')?.unit).toBe('µA');
    expect(dataset.rowCount).toBe(reference.rows.length);
    expect(dataset.rowCount).toBe(333);
    const t0 = Number(reference.rows[0][col('Total Time')]);
    reference.rows.forEach((row, i) => {
      expect(Math.abs(dataset.columns.voltageV[i] - Number(row[col('Voltage(mV)')]) / 1000)).toBeLessThan(6e-5);
      expect(Math.abs(dataset.columns.currentMA[i] - Number(row[col('Current(uA)')]) / 1000)).toBeLessThan(0.05);
      expect(Math.abs(dataset.columns.timeS[i] - (Number(row[col('Total Time')]) - t0))).toBeLessThan(0.0101);
      expect(Math.abs(dataset.columns.capacityMAh![i] - Number(row[col('Capacity(mAs)')]) / 3600)).toBeLessThan(6e-4);
      expect(dataset.columns.step[i]).toBe(Number(row[col('Step Index')]));
      expect(dataset.columns.cycle![i]).toBe(Number(row[col('Cycle Index')]));
      expect(dataset.columns.stepType[i]).toBe(STEP_TYPE_CODE[stepTypeFromLabel(row[col('Step Type')])]);
    });
  });

  it("neware_uio.csv (A/V/Ah) has cellpy's 9065 rows, 4 cycles, signed current and capacities that integrate", async () => {
    const dataset = await importBytes('neware_uio.csv', readReal('neware/neware_uio.csv'));
    const { timeS, currentMA, capacityMAh, stepType, cycle, step } = dataset.columns;
    expect(dataset.rowCount).toBe(9065);
    expect(Math.max(...cycle!)).toBe(4);
    expect(dataset.meta.startDateTime).toBe('2022-05-18 16:27:52');
    expect(dataset.meta.warnings).toEqual([]);
    // MANIFEST: the anode half cell starts with CC DChg (lithiation), current negative on discharge.
    const firstActive = stepType.findIndex((s) => s !== STEP_TYPE_CODE.rest);
    expect(stepType[firstActive]).toBe(STEP_TYPE_CODE.cc_discharge);
    for (let i = 0; i < dataset.rowCount; i++) {
      if (stepType[i] === STEP_TYPE_CODE.cc_discharge) expect(currentMA[i]).toBeLessThanOrEqual(0);
      if (stepType[i] === STEP_TYPE_CODE.cc_charge) expect(currentMA[i]).toBeGreaterThanOrEqual(0);
    }
    // ±0.99 mA (MANIFEST) in mA after the A -> mA conversion.
    expect(Math.max(...currentMA)).toBeCloseTo(0.99, 2);
    // Trapezoid ∫|I| dt over each constant-current step equals the instrument's capacity at the step's end
    // (1-min logging and 1-s time stamps bound the difference to well under 1 %).
    let checked = 0;
    for (let i = 1, startOfStep = 0; i <= dataset.rowCount; i++) {
      if (i === dataset.rowCount || step[i] !== step[i - 1] || cycle![i] !== cycle![i - 1]) {
        const end = i - 1;
        if (stepType[end] !== STEP_TYPE_CODE.rest && end - startOfStep > 10) {
          let integralMAh = 0;
          for (let k = startOfStep + 1; k <= end; k++) {
            integralMAh += (((Math.abs(currentMA[k]) + Math.abs(currentMA[k - 1])) / 2) * (timeS[k] - timeS[k - 1])) / 3600;
          }
          expect(Math.abs(integralMAh - capacityMAh![end]) / capacityMAh![end]).toBeLessThan(0.01);
          checked++;
        }
        startOfStep = i;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(6);
  });

  it('nw_regular_export_ife_example.csv (3 nested layers) has 9295 records whose capacities match its cycle rows', async () => {
    const bytes = readReal('neware/nw_regular_export_ife_example.csv');
    const dataset = await importBytes('nw_regular_export_ife_example.csv', bytes);
    expect(dataset.meta.format).toBe('neware-csv-nested');
    expect(dataset.rowCount).toBe(9295);
    // The instrument's own cycle rows: Cycle Index, Chg. Cap.(Ah), DChg. Cap.(Ah), …
    const cycleRows = new TextDecoder()
      .decode(bytes)
      .split(/\r?\n/)
      .slice(3)
      .filter((l) => /^\d/.test(l))
      .map((l) => l.split(',').map(Number));
    expect(cycleRows.length).toBe(20);
    const { capacityMAh, cycle, stepType, currentMA, temperatureC } = dataset.columns;
    for (const [index, chgAh, dchgAh] of cycleRows) {
      let chg = 0;
      let dchg = 0;
      for (let i = 0; i < dataset.rowCount; i++) {
        if (cycle![i] !== index) continue;
        if (stepType[i] === STEP_TYPE_CODE.cc_charge) chg = Math.max(chg, capacityMAh![i]);
        if (stepType[i] === STEP_TYPE_CODE.cc_discharge) dchg = Math.max(dchg, capacityMAh![i]);
      }
      expect(Math.abs(chg - chgAh * 1000)).toBeLessThan(0.006);
      expect(Math.abs(dchg - dchgAh * 1000)).toBeLessThan(0.006);
    }
    // DataPoint 12 opens the first CC Chg step at 0.50000 A.
    expect(Math.abs(currentMA[11] - 500)).toBeLessThan(0.05);
    expect(temperatureC![0]).toBeCloseTo(26.61, 2);
  });
});
