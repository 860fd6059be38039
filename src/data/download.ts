/**
 * Downloading one data file into a cache: streamed, checksummed, written atomically.
 *
 * Contract. {@link downloadFile} fetches a URL, feeds a progress callback (the CLI draws a bar
 * with it, src/cli/progress.ts), checks the published checksum (MD5 or SHA-256) and an
 * optional structural check, and only then writes the file with temp-file-plus-rename, so the
 * cache never holds a partial or unverified file. Failures are DataErrors; a failure to reach
 * the server (DNS, refused connection, reset, timeout) is a {@link DownloadError} with
 * `offline: true`, so a caller can replace it with a message listing the files to place by
 * hand. The fetch function is injectable for tests.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { DataError } from './errors';
import { writeFileAtomic } from './files';

/** The subset of a fetch `Response` the downloader uses. */
export interface FetchResponseLike {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText?: string;
  readonly headers?: { get(name: string): string | null };
  readonly body?: AsyncIterable<Uint8Array> | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A fetch function: the global `fetch`, or a fake in tests. */
export type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<FetchResponseLike>;

/** One file to download. */
export interface RemoteFile {
  /** The file name (also the name in the cache). */
  readonly name: string;
  readonly url: string;
  /** The published MD5 of the file, lowercase hex. */
  readonly md5?: string;
  /** The published SHA-256 of the file, lowercase hex. */
  readonly sha256?: string;
  /** A structural check of the downloaded bytes; throws a DataError when they are wrong. */
  readonly verify?: (bytes: Uint8Array, name: string) => void;
}

/** Options of {@link downloadFile}. */
export interface DownloadOptions {
  /** Default: the global `fetch`. */
  readonly fetch?: FetchLike;
  /** Called as bytes of the file `name` arrive (`total` from Content-Length, when the server sends it). */
  readonly onProgress?: (received: number, total: number | undefined, name: string) => void;
  /** Abort when no bytes arrive for this long (default 60 s). */
  readonly idleTimeoutMs?: number;
}

/** A download failure; `offline` marks a failure to reach the server at all. */
export class DownloadError extends DataError {
  constructor(
    message: string,
    readonly offline: boolean,
    info: { hint?: string; file?: string } = {},
  ) {
    super(message, info);
  }
}

/** Lowercase hex digests of `bytes`. */
export function digest(bytes: Uint8Array, algorithm: 'md5' | 'sha256'): string {
  return createHash(algorithm).update(bytes).digest('hex');
}

/**
 * Downloads `file` to `dest` (see the module comment).
 * @returns the verified bytes that were written
 */
export async function downloadFile(file: RemoteFile, dest: string, opts: DownloadOptions = {}): Promise<Uint8Array> {
  const doFetch: FetchLike = opts.fetch ?? (globalThis.fetch as unknown as FetchLike);
  const idleMs = opts.idleTimeoutMs ?? 60_000;
  const ctrl = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => ctrl.abort(), idleMs);
  };
  const offline = (): DownloadError =>
    new DownloadError(`cannot download ${file.url}: the server could not be reached (no network, or it timed out)`, true, {
      hint: `place ${file.name} in ${path.dirname(dest)} by hand`,
      file: file.name,
    });

  try {
    arm();
    let res: FetchResponseLike;
    try {
      res = await doFetch(file.url, { signal: ctrl.signal });
    } catch {
      throw offline();
    }
    if (!res.ok) {
      throw new DownloadError(`cannot download ${file.url}: the server answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`, false, {
        hint: `the file may have moved; place ${file.name} in ${path.dirname(dest)} by hand`,
        file: file.name,
      });
    }
    const lengthHeader = res.headers?.get('content-length');
    const total = lengthHeader != null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
    const chunks: Uint8Array[] = [];
    let received = 0;
    const progress = (n: number): void => {
      received += n;
      arm();
      opts.onProgress?.(received, total, file.name);
    };
    try {
      if (res.body != null) {
        for await (const chunk of res.body) {
          chunks.push(chunk);
          progress(chunk.byteLength);
        }
      } else {
        const all = new Uint8Array(await res.arrayBuffer());
        chunks.push(all);
        progress(all.byteLength);
      }
    } catch {
      throw offline();
    }
    const bytes = concat(chunks, received);
    if (total !== undefined && received !== total) {
      throw new DownloadError(`cannot download ${file.url}: expected ${total} bytes, received ${received}`, false, {
        hint: 'the connection dropped; try again',
        file: file.name,
      });
    }
    checkDigest(file, bytes, 'md5', file.md5);
    checkDigest(file, bytes, 'sha256', file.sha256);
    file.verify?.(bytes, file.name);
    writeFileAtomic(dest, bytes);
    return bytes;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

function checkDigest(file: RemoteFile, bytes: Uint8Array, algorithm: 'md5' | 'sha256', expected: string | undefined): void {
  if (expected === undefined) return;
  const found = digest(bytes, algorithm);
  if (found !== expected.toLowerCase()) {
    throw new DownloadError(`checksum mismatch for ${file.name} from ${file.url}: expected ${algorithm} ${expected}, found ${found}`, false, {
      hint: 'the download is corrupt or the published file changed; try again, or place a verified copy by hand',
      file: file.name,
    });
  }
}

function concat(chunks: readonly Uint8Array[], n: number): Uint8Array {
  const only = chunks.length === 1 ? chunks[0] : undefined;
  if (only !== undefined && only.byteLength === n) return only;
  const out = new Uint8Array(n);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}
