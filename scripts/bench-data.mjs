// The generated NEWARE-like CSV shared by the benches (scripts/bench.mjs, scripts/bench-ui.mjs): written
// once per row count under .bench/ and reused by every later run.
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { ROOT } from './ensure-build.mjs';

export const BENCH_DIR = join(ROOT, '.bench');

function duration(s) {
  const h = Math.floor(s / 3600);
  const m = Math.floor(s / 60) % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** A NEWARE BTSDA record-layer export (the columns of a real BTS 8 export), 1 s logging. */
export async function generate(path, rows) {
  const out = createWriteStream(path);
  out.write(
    'DataPoint,Cycle Index,Step Index,Step Type,Time,Total Time,Current(mA),Voltage(V),Capacity(mAh),Spec. Cap.(mAh/g),Chg. Cap.(mAh),Chg. Spec. Cap.(mAh/g),DChg. Cap.(mAh),DChg. Spec. Cap.(mAh/g),Energy(mWh),Spec. Energy(mWh/g),Chg. Energy(mWh),Chg. Spec. Energy(mWh/g),DChg. Energy(mWh),DChg. Spec. Energy(mWh/g),Date,Power(mW),dQ/dV(mAh/V),dQm/dV(mAh/V.g),Contact resistance(mO),Module start-stop switch\n',
  );
  const halfCycleS = 7200;
  let buffer = '';
  for (let i = 0; i < rows; i++) {
    const cycle = Math.floor(i / (2 * halfCycleS)) + 1;
    const inCycle = i % (2 * halfCycleS);
    const isPlating = inCycle < halfCycleS;
    const stepTime = isPlating ? inCycle : inCycle - halfCycleS;
    const current = isPlating ? -0.0785 : 0.0785;
    const voltage = (isPlating ? 0.608 - 0.025 * Math.exp(-stepTime / 180) : 0.632) + 0.0004 * Math.sin(i * 12.9898);
    const cap = (0.0785 * stepTime) / 3600;
    const chg = isPlating ? 0 : cap;
    const dchg = isPlating ? cap : 0;
    const date = new Date(Date.UTC(2026, 2, 2) + i * 1000).toISOString().replace('T', ' ').slice(0, 19);
    buffer += `${i + 1},${cycle},${isPlating ? 2 : 4},${isPlating ? 'CC DChg' : 'CC Chg'},${duration(stepTime)},${duration(i)},${current.toFixed(4)},${voltage.toFixed(4)},${cap.toFixed(6)},0.00,${chg.toFixed(6)},0.00,${dchg.toFixed(6)},0.00,${(cap * voltage).toFixed(6)},0.00,${(chg * voltage).toFixed(6)},0.00,${(dchg * voltage).toFixed(6)},0.00,${date},${(current * voltage).toFixed(5)},0.0000,0.0000,0,Close\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

/** The path of the generated file with `rows` records, written first if it is not there yet. */
export async function ensureBenchFile(rows) {
  mkdirSync(BENCH_DIR, { recursive: true });
  const file = join(BENCH_DIR, `neware-${rows}.csv`);
  if (!existsSync(file)) {
    process.stdout.write(`generating ${rows.toLocaleString('en')} NEWARE-like rows …\n`);
    await generate(file, rows);
  }
  return file;
}
