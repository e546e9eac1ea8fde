/**
 * The nanoindentation formats in detection order. All are whole-file formats (BinaryFormat): the text
 * exports are small and are read whole too. Register them in BINARY_FORMATS before any cycler format
 * that could claim the same container (workbooks) and, for the text ones, before the generic cycler
 * delimited text: each detects on a banner or layout no cycler file has, the generic two-column last.
 */
import type { BinaryFormat } from '../binary-format';
import { agilentXlsFormat } from './agilent-xls';
import { fischerscopeTxtFormat } from './fischerscope-txt';
import { genericTwoColumnFormat } from './generic-two-column';
import { hysitronDmaFormat } from './hysitron-dma';
import { hysitronHldFormat } from './hysitron-hld';
import { hysitronTxtFormat } from './hysitron-txt';
import { klaXlsxFormat } from './kla-xlsx';
import { micromaterialsTxtFormat } from './micromaterials-txt';

export {
  agilentXlsFormat,
  fischerscopeTxtFormat,
  genericTwoColumnFormat,
  hysitronDmaFormat,
  hysitronHldFormat,
  hysitronTxtFormat,
  klaXlsxFormat,
  micromaterialsTxtFormat,
};

export const INDENTATION_FORMATS: readonly BinaryFormat[] = [
  agilentXlsFormat,
  klaXlsxFormat,
  hysitronHldFormat,
  hysitronDmaFormat,
  hysitronTxtFormat,
  fischerscopeTxtFormat,
  micromaterialsTxtFormat,
  genericTwoColumnFormat,
];
