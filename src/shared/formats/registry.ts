/**
 * Every format the importer knows, in detection order. Whole-file formats are tried first on the
 * head's bytes (magic numbers, ZIP members, sheet names, instrument banners); text formats stream and
 * are tried after, the most specific first and the generic delimited text last.
 */
import type { BinaryFormat } from './binary-format';
import { ARBIN_CSV } from './arbin-csv';
import { ARBIN_RES } from './arbin-res';
import { ARBIN_XLSX } from './arbin-xlsx';
import { BASYTEC_TEXT } from './basytec-text';
import { BIOLOGIC_MPR } from './biologic-mpr';
import { BIOLOGIC_MPT } from './biologic-mpt';
import { DELIMITED_TEXT } from './delimited-text';
import { INDENTATION_FORMATS } from './indentation/index';
import { LANDT_XLSX } from './landt-xlsx';
import { MACCOR_TEXT } from './maccor-text';
import { NEWARE_CSV, NEWARE_CSV_NESTED } from './neware-csv';
import { NEWARE_NDA } from './neware-nda';
import { NEWARE_NDAX } from './neware-ndax';
import { NEWARE_XLSX } from './neware-xlsx';
import { NOVONIX_CSV } from './novonix-csv';
import type { TextFormat } from './text-format';

export const BINARY_FORMATS: readonly BinaryFormat[] = [
  NEWARE_NDAX,
  NEWARE_NDA,
  NEWARE_XLSX,
  BIOLOGIC_MPR,
  ARBIN_RES,
  ARBIN_XLSX,
  LANDT_XLSX,
  ...INDENTATION_FORMATS,
];

export const TEXT_FORMATS: readonly TextFormat[] = [
  NEWARE_CSV_NESTED,
  NEWARE_CSV,
  BIOLOGIC_MPT,
  ARBIN_CSV,
  MACCOR_TEXT,
  BASYTEC_TEXT,
  NOVONIX_CSV,
  DELIMITED_TEXT,
];
