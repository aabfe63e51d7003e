/**
 * How inference request bodies reach the codec: always as one Buffer (fastify's own JSON parser is
 * removed, because the binary tensor extension puts raw bytes after the JSON and because the codec bounds
 * the nesting depth before parsing), after checking the media type and undoing gzip/deflate
 * content-encoding (Triton clients can compress requests). fastify's `bodyLimit` applies to the
 * decompressed bytes as well as to the bytes received, so a small compressed bomb still answers 413.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { SluiceError } from '../core/errors.js';

/** A request body stream as fastify hands it to `preParsing` hooks. */
export type RequestPayload = Readable & { receivedEncodedLength?: number };

/**
 * Media types an inference request may declare. Triton decides JSON versus binary by the
 * `Inference-Header-Content-Length` header, not by the content type: its Python client sends no content
 * type, its C++ client `application/octet-stream`, and `curl --data-binary` (as Triton's docs use it)
 * `application/x-www-form-urlencoded`. Anything else is refused with 415.
 */
export const ACCEPTED_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'application/json',
  'application/octet-stream',
  'application/x-www-form-urlencoded',
]);

/**
 * Replaces fastify's body parsers with one that hands every body over as a Buffer of at most
 * `bodyLimitBytes` (received and, for compressed bodies, decompressed). The bytes are copied once, as
 * fastify's own buffer parser would, but into a buffer placed so that the binary tensors after the JSON
 * header start 8-byte aligned: the codec can then view them as typed arrays instead of copying again.
 */
export function registerRawBodyParser(app: FastifyInstance, bodyLimitBytes: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (request, payload, done) => {
    readBody(request.headers, payload, bodyLimitBytes, done);
  });
}

function readBody(
  headers: IncomingHttpHeaders,
  payload: RequestPayload,
  limit: number,
  done: (error: Error | null, body?: Buffer) => void,
): void {
  const tooLarge = (): SluiceError =>
    new SluiceError('PAYLOAD_TOO_LARGE', `the request body is larger than ${limit} bytes`);
  const declared = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  if (declared !== undefined && declared > limit) return done(tooLarge());
  const chunks: Buffer[] = [];
  let received = 0;
  const cleanup = (): void => {
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onEnd);
  };
  function onData(chunk: Buffer | string): void {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    received += buffer.length;
    if (received > limit || (payload.receivedEncodedLength ?? 0) > limit) {
      cleanup();
      done(tooLarge());
      return;
    }
    chunks.push(buffer);
  }
  function onEnd(error?: Error): void {
    cleanup();
    if (error !== undefined) {
      done(new SluiceError('INVALID_REQUEST', `the request body could not be read: ${error.message}`));
      return;
    }
    const wire = payload.receivedEncodedLength ?? received;
    if (declared !== undefined && wire !== declared) {
      done(new SluiceError('INVALID_REQUEST', `the body has ${wire} bytes, Content-Length says ${declared}`));
      return;
    }
    done(null, assemble(chunks, received, headerLength(headers)));
  }
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onEnd);
  payload.resume();
}

/** The chunks in one buffer, placed so that byte `alignAt` lands on an 8-byte boundary. */
function assemble(chunks: readonly Buffer[], total: number, alignAt: number): Buffer {
  const whole = Buffer.allocUnsafe(total + 7);
  const pad = (8 - ((whole.byteOffset + alignAt) % 8)) % 8;
  let offset = pad;
  for (const chunk of chunks) {
    chunk.copy(whole, offset);
    offset += chunk.length;
  }
  return whole.subarray(pad, pad + total);
}

function headerLength(headers: IncomingHttpHeaders): number {
  const raw = headers['inference-header-content-length'];
  return typeof raw === 'string' && /^\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : 0;
}

/**
 * Checks the media type and content encoding before any byte of the body is read, and returns the stream
 * the body is to be read from (a decompressor for gzip/deflate).
 * @returns UNSUPPORTED_MEDIA_TYPE (415) for another media type or encoding
 */
export function openRequestBody(
  headers: IncomingHttpHeaders,
  payload: RequestPayload,
): RequestPayload | SluiceError {
  const contentType = headers['content-type'];
  if (contentType !== undefined) {
    const mediaType = (contentType.split(';', 1)[0] ?? '').trim().toLowerCase();
    if (!ACCEPTED_MEDIA_TYPES.has(mediaType)) {
      return new SluiceError(
        'UNSUPPORTED_MEDIA_TYPE',
        `content type '${contentType.slice(0, 100)}' is not accepted; send application/json or the binary tensor extension`,
      );
    }
  }
  const encoding = (headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return payload;
  if (encoding !== 'gzip' && encoding !== 'deflate') {
    return new SluiceError(
      'UNSUPPORTED_MEDIA_TYPE',
      `content encoding '${encoding.slice(0, 100)}' is not supported (gzip, deflate)`,
    );
  }
  const decoder = encoding === 'gzip' ? createGunzip() : createInflate();
  const decoded: RequestPayload = decoder;
  // fastify compares Content-Length with the encoded byte count and limits both counts.
  decoded.receivedEncodedLength = 0;
  payload.on('data', (chunk: Buffer) => {
    decoded.receivedEncodedLength = (decoded.receivedEncodedLength ?? 0) + chunk.length;
  });
  payload.on('error', (error) => decoder.destroy(error));
  payload.pipe(decoder);
  return decoded;
}
