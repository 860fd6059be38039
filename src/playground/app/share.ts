/**
 * Sharing a program through the URL: `#program=` + the program text, deflate-compressed and
 * base64url-encoded (`#name=` keeps its file name, so `extends` and messages read the same).
 * Reading a hash that is not a valid program link gives undefined, never an exception.
 */
function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  return new Uint8Array(await new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream)).arrayBuffer());
}

export async function encodeShare(name: string, text: string): Promise<string> {
  const packed = await pipe(new TextEncoder().encode(text), new CompressionStream('deflate-raw'));
  return `#name=${encodeURIComponent(name)}&program=${toBase64Url(packed)}`;
}

export async function decodeShare(hash: string): Promise<{ name: string; text: string } | undefined> {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const program = params.get('program');
  if (!program) return undefined;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(await pipe(fromBase64Url(program), new DecompressionStream('deflate-raw')));
    const name = params.get('name') ?? 'shared.vae';
    return { name: /^[A-Za-z0-9._-]+\.vae$/.test(name) ? name : 'shared.vae', text };
  } catch {
    return undefined;
  }
}
