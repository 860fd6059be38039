/**
 * Reading one array file whatever its format: `.npy` or IDX, raw or gzip-compressed.
 *
 * Contract. The format is recognized by content, not by name: the NumPy magic `\x93NUMPY`
 * means `.npy`, a leading `00 00` means IDX, and the gzip magic means "decompress, then look
 * again". CSV files hold several columns and need the site names, so they are refused here with
 * a pointer to `readCsvSites`. Anything else is a DataError that names the file and the formats
 * expected.
 */
import * as path from 'node:path';
import { DataError } from './errors';
import { readMaybeGzip } from './files';
import { parseIdx } from './idx';
import type { NdArray } from './ndarray';
import { parseNpy } from './npy';

/** The array file formats {@link readArray} recognizes. */
export type ArrayFormat = 'npy' | 'idx';

/** The format of (decompressed) bytes, or undefined when neither. */
export function sniffArrayFormat(bytes: Uint8Array): ArrayFormat | undefined {
  if (bytes.length >= 6 && bytes[0] === 0x93 && String.fromCharCode(...bytes.subarray(1, 6)) === 'NUMPY') return 'npy';
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0) return 'idx';
  return undefined;
}

/** Reads a `.npy` or IDX file (optionally gzip-compressed) into an NdArray. */
export function readArray(file: string): NdArray {
  const ext = path.extname(file.replace(/\.gz$/i, '')).toLowerCase();
  if (ext === '.csv' || ext === '.tsv') {
    throw DataError.of({ kind: 'array-file-is-csv', file });
  }
  const bytes = readMaybeGzip(file);
  switch (sniffArrayFormat(bytes)) {
    case 'npy':
      return parseNpy(bytes, file);
    case 'idx':
      return parseIdx(bytes, file);
    default:
      throw DataError.of({ kind: 'array-file-unknown-format', file, npz: ext === '.npz' });
  }
}
