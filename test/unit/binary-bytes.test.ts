// Binary BYTES elements that are files (a PNG image for an application), not text: decoded one character
// per byte when asked, refused as non-UTF-8 otherwise.
import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../src/core/errors.js';
import { decodeInferRequest } from '../../src/server/oip-codec.js';

function body(bytes: number[]): { body: Buffer; header: string } {
  const element = Buffer.alloc(4 + bytes.length);
  element.writeUInt32LE(bytes.length, 0);
  element.set(bytes, 4);
  const json = JSON.stringify({
    inputs: [
      { name: 'image', datatype: 'BYTES', shape: [1], parameters: { binary_data_size: element.length } },
    ],
  });
  return { body: Buffer.concat([Buffer.from(json), element]), header: String(Buffer.byteLength(json)) };
}

describe('binary BYTES as files', () => {
  const bytes = [0x89, 0x50, 0x00, 0x80, 0x9f, 0xff];

  it('keeps every byte as one character when asked', () => {
    const { body: b, header } = body(bytes);
    const decoded = decodeInferRequest(b, {
      inferenceHeaderLength: header,
      maxJsonDepth: 64,
      binaryBytesAsLatin1: true,
    });
    if (decoded instanceof SluiceError) throw decoded;
    const [element] = decoded.inputs[0]?.data as string[];
    expect([...(element ?? '')].map((c) => c.charCodeAt(0))).toEqual(bytes);
  });

  it('refuses bytes that are not UTF-8 otherwise', () => {
    const { body: b, header } = body(bytes);
    const decoded = decodeInferRequest(b, { inferenceHeaderLength: header, maxJsonDepth: 64 });
    expect(decoded).toBeInstanceOf(SluiceError);
    expect((decoded as SluiceError).message).toMatch(/not valid UTF-8/);
  });
});
