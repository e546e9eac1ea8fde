import { ColumnBuilder } from '../model/column-builder';
import type { DatasetColumns, ImportWarning } from '../model/dataset';
import { isDischargeStep, isChargeStep } from '../model/step-type';

/** Which optional canonical columns a parser will fill. */
export interface OptionalColumns {
  capacity: boolean;
  cycle: boolean;
  temperature: boolean;
}

const MAX_BAD_LINES_LISTED = 3;

/**
 * Collects canonical records row by row into typed columns, and applies the conventions every
 * format shares: time rebased to the first record, the current signed by the step type when the file
 * writes magnitudes, rows that cannot be read counted (with their line numbers) instead of aborting.
 */
export class RecordAccumulator {
  private readonly time: ColumnBuilder<Float64Array>;
  private readonly voltage: ColumnBuilder<Float32Array>;
  private readonly current: ColumnBuilder<Float32Array>;
  private readonly step: ColumnBuilder<Int32Array>;
  private readonly stepType: ColumnBuilder<Uint8Array>;
  private readonly capacity?: ColumnBuilder<Float32Array>;
  private readonly cycle?: ColumnBuilder<Int32Array>;
  private readonly temperature?: ColumnBuilder<Float32Array>;

  private signFlips = 0;
  private timeBackwards = 0;
  private lastTime = -Infinity;
  private badLines: number[] = [];
  private badLineCount = 0;

  /** `expectedRows`: a size estimate (file size / line length) so big files do not grow by doubling. */
  constructor(optional: OptionalColumns, expectedRows?: number) {
    const hint = expectedRows === undefined || !Number.isFinite(expectedRows) ? undefined : Math.min(Math.ceil(expectedRows), 1 << 28);
    this.time = new ColumnBuilder(Float64Array, hint);
    this.voltage = new ColumnBuilder(Float32Array, hint);
    this.current = new ColumnBuilder(Float32Array, hint);
    this.step = new ColumnBuilder(Int32Array, hint);
    this.stepType = new ColumnBuilder(Uint8Array, hint);
    if (optional.capacity) this.capacity = new ColumnBuilder(Float32Array, hint);
    if (optional.cycle) this.cycle = new ColumnBuilder(Int32Array, hint);
    if (optional.temperature) this.temperature = new ColumnBuilder(Float32Array, hint);
  }

  get rowCount(): number {
    return this.time.size;
  }

  get badRowCount(): number {
    return this.badLineCount;
  }

  /** Records a line that could not be read; it is skipped. */
  rejectLine(lineNumber: number): void {
    this.badLineCount++;
    if (this.badLines.length < MAX_BAD_LINES_LISTED) this.badLines.push(lineNumber);
  }

  /**
   * Appends one record. `timeS` may be on any origin (absolute or test time); it is rebased on finish.
   * `currentMA` may be a magnitude: a positive current in a discharge step (or negative in a charge
   * step) is given the step's sign and counted in a warning.
   */
  push(
    timeS: number,
    voltageV: number,
    currentMA: number,
    step: number,
    stepTypeCode: number,
    capacityMAh = NaN,
    cycle = 0,
    temperatureC = NaN,
  ): void {
    let i = currentMA;
    if (i > 0 && isDischargeStep(stepTypeCode)) {
      i = -i;
      this.signFlips++;
    } else if (i < 0 && isChargeStep(stepTypeCode)) {
      i = -i;
      this.signFlips++;
    }
    if (timeS < this.lastTime) this.timeBackwards++;
    else this.lastTime = timeS;
    this.time.push(timeS);
    this.voltage.push(voltageV);
    this.current.push(i);
    this.step.push(step);
    this.stepType.push(stepTypeCode);
    // `inf` / `1e999` cells in optional columns are missing values, not numbers to plot.
    this.capacity?.push(Number.isFinite(capacityMAh) ? Math.abs(capacityMAh) : NaN);
    this.cycle?.push(cycle);
    this.temperature?.push(Number.isFinite(temperatureC) ? temperatureC : NaN);
  }

  /** Returns the columns and the warnings about what was converted or skipped. */
  finish(): { columns: DatasetColumns; warnings: ImportWarning[] } {
    const warnings: ImportWarning[] = [];
    const timeS = this.time.finish();
    const t0 = timeS.length > 0 ? timeS[0] : 0;
    for (let k = 0; k < timeS.length; k++) timeS[k] -= t0;
    if (this.signFlips > 0) {
      warnings.push({
        code: 'current-sign-from-step-type',
        message: `${this.signFlips} records had a current sign that disagreed with their step type; the sign was taken from the step type (positive = charge).`,
        count: this.signFlips,
      });
    }
    if (this.timeBackwards > 0) {
      warnings.push({
        code: 'time-not-monotonic',
        message: `time goes backwards at ${this.timeBackwards} records.`,
        count: this.timeBackwards,
      });
    }
    if (this.badLineCount > 0) {
      warnings.push({
        code: 'rows-skipped',
        message: `${this.badLineCount} unreadable lines were skipped (first at line ${this.badLines.join(', ')}).`,
        count: this.badLineCount,
      });
    }
    const columns: DatasetColumns = {
      timeS,
      voltageV: this.voltage.finish(),
      currentMA: this.current.finish(),
      step: this.step.finish(),
      stepType: this.stepType.finish(),
    };
    if (this.capacity) columns.capacityMAh = this.capacity.finish();
    if (this.cycle) columns.cycle = this.cycle.finish();
    if (this.temperature) columns.temperatureC = this.temperature.finish();
    return { columns, warnings };
  }

  /** Line numbers of the first skipped lines (for error messages). */
  firstBadLines(): readonly number[] {
    return this.badLines;
  }
}
