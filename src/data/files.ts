/**
 * File access for the data layer: reading bytes with user-facing errors, transparent gzip,
 * and atomic writes.
 *
 * Contract. `readBytes` either returns the file's bytes or throws a DataError such as
 * "cannot read 'foo.npy': no such file". `maybeGunzip` decompresses exactly when the bytes start
 * with the gzip magic (1f 8b), whatever the file name says. `writeFileAtomic` writes to a
 * temporary file in the same directory and renames it over the target, so a reader never sees a
 * half-written file and an interrupted write leaves the old file (or none) in place.
 */
import * as fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { writeFileAtomic as writeAtomic } from '../core/atomic-file';
import { DataError, fsError, q } from './errors';

/** Reads a whole file; failures become DataErrors naming `file`. */
export function readBytes(file: string): Uint8Array {
  try {
    const buf = fs.readFileSync(file);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (err) {
    throw fsError(err, file, 'read');
  }
}

/** True when the bytes start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses gzip data (detected by its magic number); other bytes are returned as they are. */
export function maybeGunzip(bytes: Uint8Array, file: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    const out = gunzipSync(bytes);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch {
    throw new DataError(`cannot decompress ${q(file)}: expected valid gzip data, found a corrupt or truncated stream`, {
      hint: 'the file is probably incomplete; download or copy it again',
      file,
    });
  }
}

/** Reads a file and gunzips it when it is gzip-compressed. */
export function readMaybeGzip(file: string): Uint8Array {
  return maybeGunzip(readBytes(file), file);
}

/**
 * Writes `bytes` to `file` atomically (core/atomic-file.ts), creating parent directories.
 * Failures become DataErrors naming `file`.
 */
export function writeFileAtomic(file: string, bytes: Uint8Array): void {
  try {
    writeAtomic(file, bytes);
  } catch (err) {
    throw fsError(err, file, 'write');
  }
}

/** True when `file` exists and is a regular file. */
export function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
