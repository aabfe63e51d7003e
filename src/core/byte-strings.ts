/**
 * The length-prefixed encoding of BYTES tensor elements, shared by Triton's binary tensor extension and
 * Sluice's instance frames: each element is a 4-byte little-endian byte count followed by its UTF-8 bytes.
 */

const ENCODER = new TextEncoder();
const STRICT = new TextDecoder('utf-8', { fatal: true });
const LENIENT = new TextDecoder('utf-8');

export function encodeByteStrings(strings: readonly string[]): Uint8Array {
  const encoded = strings.map((s) => ENCODER.encode(s));
  const out = new Uint8Array(encoded.reduce((total, e) => total + 4 + e.byteLength, 0));
  const lengths = new DataView(out.buffer);
  let offset = 0;
  for (const e of encoded) {
    lengths.setUint32(offset, e.byteLength, true);
    out.set(e, offset + 4);
    offset += 4 + e.byteLength;
  }
  return out;
}

/**
 * Decodes every element of `bytes`; with `count`, exactly that many. Returns the strings, or a sentence
 * saying what is wrong (an overrun, bytes left over, a wrong count, or with `strictUtf8` bytes that are
 * not UTF-8) for the caller to wrap in its own error.
 */
export function decodeByteStrings(
  bytes: Uint8Array,
  options: {
    readonly count?: number;
    readonly strictUtf8: boolean;
    /** One character per byte (code 0-255) instead of UTF-8: binary elements such as image files. */
    readonly latin1?: boolean;
  },
): string[] | { readonly problem: string } {
  const { count } = options;
  // Every element takes at least its 4-byte length: bounds the allocation by the bytes received.
  if (count !== undefined && count * 4 > bytes.byteLength) {
    return { problem: `${bytes.byteLength} bytes cannot hold ${count} BYTES elements` };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = options.strictUtf8 ? STRICT : LENIENT;
  const out: string[] = [];
  let offset = 0;
  while (count === undefined ? offset < bytes.byteLength : out.length < count) {
    const i = out.length;
    if (offset + 4 > bytes.byteLength) return { problem: `BYTES element ${i} has no length prefix` };
    const length = view.getUint32(offset, true);
    offset += 4;
    if (offset + length > bytes.byteLength) {
      return { problem: `BYTES element ${i} (${length} bytes) overruns the tensor's data` };
    }
    try {
      const element = bytes.subarray(offset, offset + length);
      out.push(options.latin1 === true ? latin1String(element) : decoder.decode(element));
    } catch {
      return { problem: `BYTES element ${i} is not valid UTF-8 (only text BYTES tensors are supported)` };
    }
    offset += length;
  }
  if (offset !== bytes.byteLength) {
    return { problem: `${bytes.byteLength - offset} bytes left over after ${out.length} BYTES elements` };
  }
  return out;
}

/** Bytes as a string of one character per byte (TextDecoder's "latin1" is windows-1252, not this). */
function latin1String(bytes: Uint8Array): string {
  let out = '';
  // Chunks keep the argument count of fromCharCode well below engine limits.
  for (let i = 0; i < bytes.length; i += 8192)
    out += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 8192)));
  return out;
}
