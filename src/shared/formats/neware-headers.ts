/**
 * NEWARE BTSDA's column names per role, English and Chinese (BTSDA's UI language decides), shared by the
 * CSV reader (neware-csv.ts) and the Excel reader (neware-xlsx.ts): both exports name their record-layer
 * columns the same way, units in the header as chosen at export time.
 */
import type { HeaderRoles } from './header-mapping';

export type NewareRole =
  | 'record'
  | 'cycle'
  | 'stepIndex'
  | 'stepNumber'
  | 'stepType'
  | 'stepTime'
  | 'totalTime'
  | 'current'
  | 'voltage'
  | 'capacity'
  | 'date'
  | 'temperature';

/** Header names (unit stripped, lower case) of each role, English and Chinese. */
const ROLE_NAMES: Readonly<Record<NewareRole, readonly string[]>> = {
  record: ['datapoint', 'data point', 'record id', 'record index', 'record', '记录序号', '数据序号', '序号'],
  cycle: ['cycle index', 'cycle id', 'cycle', '循环号', '循环序号'],
  stepIndex: ['step index', 'step id', '工步号', '工步序号'],
  stepNumber: ['step number', 'step count', '工步计数'],
  stepType: ['step type', 'step name', '工步类型', '工步名称', '工步状态'],
  stepTime: ['time', 'step time', '时间', '工步时间', '相对时间'],
  totalTime: ['total time', 'cumulative time', 'test time', '总时间', '累计时间', '测试时间'],
  current: ['current', '电流'],
  voltage: ['voltage', '电压'],
  capacity: ['capacity', '容量'],
  date: ['date', 'realtime', 'real time', 'system time', '绝对时间', '系统时间', '日期'],
  temperature: ['t1', 'temperature', '温度'],
};

/** The header-role table of NEWARE's CSV exports (all spellings above). */
export const NEWARE_HEADERS: HeaderRoles<NewareRole> = {
  names: ROLE_NAMES,
  quantities: { current: 'current', voltage: 'voltage', capacity: 'capacity', temperature: 'temperature' },
  canonical: {
    totalTime: 'time',
    current: 'current',
    voltage: 'voltage',
    capacity: 'capacity',
    temperature: 'temperature',
    stepType: 'stepType',
    stepIndex: 'step',
    cycle: 'cycle',
  },
  normalise: (name) => name.toLowerCase().replace(/\s+/g, ' ').trim(),
};

/**
 * The table of the Excel record sheet: the same without the bare `record` and `cycle` spellings, which
 * are Landt's (landt-xlsx.ts), so the workbook reader keeps to BTSDA's own `DataPoint` / `Cycle Index`.
 */
export const NEWARE_XLSX_HEADERS: HeaderRoles<NewareRole> = {
  ...NEWARE_HEADERS,
  names: {
    ...ROLE_NAMES,
    record: ROLE_NAMES.record.filter((name) => name !== 'record'),
    cycle: ROLE_NAMES.cycle.filter((name) => name !== 'cycle'),
  },
};
