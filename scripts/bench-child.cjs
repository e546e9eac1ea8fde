// Runs one bench contender in its own process and prints {"seconds", "maxRssMB", "rows"} as JSON on
// stdout, so each contender's peak RSS is its own.
//   node scripts/bench-child.cjs ours|papaparse|read <file>
const { createReadStream } = require('node:fs');
const { join } = require('node:path');

const [kind, file] = process.argv.slice(2);

async function readFloor() {
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) bytes += chunk.length;
  return bytes > 0 ? 0 : 0;
}

async function ours() {
  const { runImportForBench } = require(join(__dirname, '..', 'out', 'main', 'bench-entry.js'));
  return runImportForBench(file);
}

function papaparse() {
  // papaparse's documented Node streaming mode, typed numbers, rows collected into columns as a user
  // of the library would (time parsed from HH:MM:SS, voltage/current into Float64Arrays).
  const Papa = require('papaparse');
  return new Promise((resolve, reject) => {
    const time = [];
    const voltage = [];
    const current = [];
    let header;
    const stream = createReadStream(file).pipe(Papa.parse(Papa.NODE_STREAM_INPUT, { dynamicTyping: true, skipEmptyLines: true }));
    stream.on('data', (row) => {
      if (!header) {
        header = row;
        return;
      }
      const t = String(row[5]).split(':');
      time.push(+t[0] * 3600 + +t[1] * 60 + +t[2]);
      current.push(row[6]);
      voltage.push(row[7]);
    });
    stream.on('end', () => {
      const columns = [Float64Array.from(time), Float64Array.from(voltage), Float64Array.from(current)];
      resolve(columns[0].length);
    });
    stream.on('error', reject);
  });
}

/** Cycling analysis of `file` rows (here the argument is a row count): analysis time and its floor. */
function analysis() {
  const { runAnalysisForBench } = require(join(__dirname, '..', 'out', 'main', 'bench-entry.js'));
  return runAnalysisForBench(Number(file));
}

const contenders = { ours, papaparse, read: readFloor, analysis };

(async () => {
  const start = process.hrtime.bigint();
  const rows = await contenders[kind]();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const extra = typeof rows === 'object' ? rows : { rows };
  process.stdout.write(JSON.stringify({ seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, ...extra }) + '\n');
})().catch((error) => {
  process.stderr.write(`${kind}: ${error.stack}\n`);
  process.exit(1);
});
