/**
 * CSV files: parsing (RFC 4180 style) and selecting the columns of data sites.
 *
 * Parsing. The first record is a header naming the columns. Fields are separated by commas;
 * a field may be double-quoted, and inside quotes `""` is a literal quote and commas and line
 * breaks are literal too. LF and CRLF line ends are accepted, blank lines are skipped, and
 * whitespace around unquoted fields is ignored. Every record must have as many fields as the
 * header.
 *
 * Column selection ({@link selectSites}). For each requested site `{name, size}`:
 *   - a scalar site `y` (size 1) takes column `y` (or `y[0]`);
 *   - a vector site `x` of size d takes columns `x[0]` ... `x[d-1]`;
 *   - when exactly one site is requested and the header has none of these names, the site takes
 *     all columns, which must then number exactly `size`.
 * An empty cell is a missing value: NaN in a float column, -1 in an integer (`Category`) column.
 * Output arrays have shape [N] for a scalar column and [N, d] for a vector site; float32
 * storage, or int32 for integer sites.
 *
 * Contract. Every problem is a one-line DataError naming the file and, where it applies, the
 * 1-based line and the column, e.g. "data.csv has no column 'x[3]' for site x (5 values per
 * example); found columns x[0], x[1], x[2], y".
 */
import { DataError } from './errors';
import { readBytes } from './files';
import type { NdArray } from './ndarray';

/** A parsed CSV file: header names, records of raw strings, and the line each record starts on. */
export interface CsvTable {
  readonly file: string;
  readonly header: string[];
  readonly rows: string[][];
  /** 1-based line number of each row (`lines[i]` for `rows[i]`). */
  readonly lines: number[];
}

/** Parses CSV text; the first record is the header. */
export function parseCsv(text: string, file = 'the CSV file'): CsvTable {
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false; // inside quotes
  let wasQuoted = false; // the current field was quoted
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  const endField = (): void => {
    fields.push(wasQuoted ? field : field.trim());
    field = '';
    wasQuoted = false;
  };
  const endRecord = (): void => {
    const blank = fields.length === 0 && !wasQuoted && field.trim() === '';
    endField();
    if (!blank) records.push({ fields, line: recordLine });
    fields = [];
  };
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0; // skip a byte-order mark
  for (let i = start; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"') {
      if (field.trim() !== '') {
        throw DataError.of({ kind: 'csv-quote-in-field', file, line, column: fields.length + 1 });
      }
      field = '';
      quoted = true;
      wasQuoted = true;
      quoteLine = line;
    } else if (c === ',') {
      endField();
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (wasQuoted) {
      if (c.trim() !== '') {
        throw DataError.of({ kind: 'csv-text-after-quote', file, line, column: fields.length + 1 });
      }
    } else {
      field += c;
    }
  }
  if (quoted) {
    throw DataError.of({ kind: 'csv-unclosed-quote', file, line: quoteLine });
  }
  if (field !== '' || wasQuoted || fields.length > 0) endRecord();

  const head = records.shift();
  if (head === undefined) {
    throw DataError.of({ kind: 'csv-empty', file });
  }
  const header = head.fields;
  const seen = new Set<string>();
  header.forEach((name, j) => {
    if (name === '') {
      throw DataError.of({ kind: 'csv-empty-column-name', file, line: head.line, column: j + 1 });
    }
    if (seen.has(name)) {
      throw DataError.of({ kind: 'csv-duplicate-column', file, line: head.line, column: j + 1, found: name });
    }
    seen.add(name);
  });
  for (const r of records) {
    if (r.fields.length !== header.length) {
      throw DataError.of({ kind: 'csv-field-count', file, line: r.line, found: r.fields.length, expected: header.length });
    }
  }
  return { file, header, rows: records.map((r) => r.fields), lines: records.map((r) => r.line) };
}

/** Reads and parses a CSV file (UTF-8). */
export function readCsv(file: string): CsvTable {
  return parseCsv(new TextDecoder('utf-8').decode(readBytes(file)), file);
}

/** A data site to take from a table: its name and its number of values per example. */
export interface SiteRequest {
  readonly name: string;
  /** Values per example: 1 for a scalar site, d for `Real[d]`, the product of dims otherwise. */
  readonly size: number;
  /** Integer (label) column: parsed as int32 with -1 for an empty cell. Default false. */
  readonly integer?: boolean;
}

/** The columns of each site, in the order of the site's values. */
export function resolveColumns(table: CsvTable, sites: readonly SiteRequest[]): Map<string, number[]> {
  const index = new Map(table.header.map((h, j) => [h, j] as const));
  const out = new Map<string, number[]>();
  for (const site of sites) {
    if (site.size === 1 && index.has(site.name)) {
      out.set(site.name, [index.get(site.name) as number]);
      continue;
    }
    const names = Array.from({ length: site.size }, (_, i) => `${site.name}[${i}]`);
    const cols = names.map((n) => index.get(n));
    if (cols.every((c) => c !== undefined)) {
      out.set(site.name, cols as number[]);
      continue;
    }
    const anyNamed = index.has(site.name) || cols.some((c) => c !== undefined);
    if (sites.length === 1 && !anyNamed) {
      if (table.header.length !== site.size) {
        throw DataError.of({ kind: 'csv-column-count', file: table.file, site: site.name, size: site.size, found: table.header.length });
      }
      out.set(site.name, table.header.map((_, j) => j));
      continue;
    }
    const missing = site.size === 1 && !anyNamed ? site.name : names[cols.findIndex((c) => c === undefined)];
    throw DataError.of({ kind: 'csv-missing-column', file: table.file, line: 1, site: site.name, size: site.size, missing: missing as string, columns: [...table.header] });
  }
  return out;
}

/**
 * Takes the columns of each requested site from a table (see the module comment for the rules).
 * @returns one NdArray per site name: shape [N] for a scalar column, [N, size] otherwise
 */
export function selectSites(table: CsvTable, sites: readonly SiteRequest[]): Record<string, NdArray> {
  const columns = resolveColumns(table, sites);
  const n = table.rows.length;
  const out: Record<string, NdArray> = {};
  for (const site of sites) {
    const cols = columns.get(site.name) as number[];
    const d = cols.length;
    const data = site.integer ? new Int32Array(n * d) : new Float32Array(n * d);
    for (let r = 0; r < n; r++) {
      const row = table.rows[r] as string[];
      for (let k = 0; k < d; k++) {
        const j = cols[k] as number;
        data[r * d + k] = parseCell(row[j] ?? '', site, table, r, j);
      }
    }
    const scalar = site.size === 1 && table.header[cols[0] as number] === site.name;
    out[site.name] = { shape: scalar ? [n] : [n, d], data };
  }
  return out;
}

function parseCell(text: string, site: SiteRequest, table: CsvTable, r: number, j: number): number {
  if (text === '') return site.integer ? -1 : NaN;
  const nanText = /^[+-]?nan$/i.test(text);
  const v = nanText ? NaN : Number(text);
  const ok = site.integer ? Number.isSafeInteger(v) : nanText || !Number.isNaN(v);
  if (!ok || /^[+-]?0[xob]/i.test(text)) {
    const line = table.lines[r] as number;
    throw DataError.of({ kind: 'csv-bad-cell', file: table.file, line, column: j + 1, header: table.header[j] as string, found: text, expected: site.integer ? 'integer' : 'number' });
  }
  return v;
}

/** Reads a CSV file and takes the columns of the requested sites (see {@link selectSites}). */
export function readCsvSites(file: string, sites: readonly SiteRequest[]): Record<string, NdArray> {
  return selectSites(readCsv(file), sites);
}
