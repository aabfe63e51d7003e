/**
 * One end of the frame stream between the pool and an instance worker (format: worker-protocol.ts), used
 * on both sides: messages out as frames, frames in as messages, over a Unix stream socket.
 *
 * Reading: the parent reads the socket `child_process` made as a stream of fresh chunks, so small frames
 * (most results) are decoded in place. The worker opens its fd 3 itself with `onread` into one reused
 * buffer: no allocation per read, reads of up to a socket buffer's worth instead of 64 kB stream chunks,
 * which matters for the large frames that carry batches in (a 0.9 MB batch arrived about 0.25 ms sooner
 * on two cores). Every frame is then copied once out of that buffer into its own.
 *
 * Backpressure: `send` never blocks and never drops. When the kernel's socket buffer is full (a large
 * batch, or a peer busy inside `session.run` and not reading), the frame waits in the socket's writable
 * queue as references to the tensors' memory, not copies, and Node flushes the queue with `writev` as the
 * peer drains it. What can wait is bounded by the senders: the engine caps the batches in flight per
 * instance, and the worker sends one reply per batch. `sent` reports when the kernel has taken a frame,
 * which is what the worker waits for before it exits.
 */
import { Socket, type SocketConstructorOpts } from 'node:net';
import { encodeFrame } from './frame-encoder.js';
import { FrameParser } from './frame-parser.js';
import type { WireMessage } from './worker-protocol.js';

/** The worker's read buffer: more than a Unix socket holds (about 208 kB by default), so reads are whole. */
const READ_BUFFER_BYTES = 256 * 1024;

/** `onread` is an option of `new Socket()` since Node 12.10; @types/node declares it for `connect` only. */
interface OnReadOption {
  readonly onread: {
    readonly buffer: Uint8Array;
    readonly callback: (bytes: number, buffer: Uint8Array) => boolean;
  };
}

/** What the channel reports; each callback runs on the socket's events, never inside `send`. */
export interface FrameChannelEvents<In> {
  /** Each message received, in the order it was sent. */
  readonly message: (message: In) => void;
  /**
   * The stream is unusable: a socket error, or a malformed frame (a bug on the other side). Reported
   * once; the socket is destroyed, so `closed` follows.
   */
  readonly failed: (error: Error) => void;
  /** The socket has closed: the peer closed its end (or exited), or the stream failed. */
  readonly closed: () => void;
}

/**
 * Frames over one socket. `In` is what the peer sends, `Out` what this side sends. A channel lives as long
 * as its socket: a new process gets a new socket and a new channel (and parser), so a frame cut off by a
 * crash never reaches its successor.
 */
export class FrameChannel<In extends WireMessage, Out extends WireMessage> {
  private failure: Error | undefined;

  /** Over a socket made elsewhere (a child process's stdio), read as a stream of fresh chunks. */
  static attach<In extends WireMessage, Out extends WireMessage>(
    socket: Socket,
    events: FrameChannelEvents<In>,
  ): FrameChannel<In, Out> {
    const channel = new FrameChannel<In, Out>(socket, new FrameParser<In>(), events);
    socket.on('data', (chunk: Buffer) => channel.receive(chunk));
    return channel;
  }

  /** Over the socket on file descriptor `fd` (the worker's fd 3), read into one reused buffer. */
  static open<In extends WireMessage, Out extends WireMessage>(
    fd: number,
    events: FrameChannelEvents<In>,
  ): FrameChannel<In, Out> {
    const buffer = Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
    const options: SocketConstructorOpts & OnReadOption = {
      fd,
      readable: true,
      writable: true,
      onread: {
        buffer,
        // Data only arrives from the event loop, once `channel` below is set.
        callback: (bytes) => {
          channel.receive(buffer.subarray(0, bytes));
          return true;
        },
      },
    };
    const parser = new FrameParser<In>({ chunksReused: true });
    const channel = new FrameChannel<In, Out>(new Socket(options), parser, events);
    return channel;
  }

  private constructor(
    private readonly socket: Socket,
    private readonly parser: FrameParser<In>,
    private readonly events: FrameChannelEvents<In>,
  ) {
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => events.closed());
  }

  /**
   * Writes `message` as one frame. Its tensors' data must stay unchanged until `sent` is called (with the
   * write error, if any). Throws, having written nothing, when the message cannot be framed (see
   * `encodeFrame`).
   */
  send(message: Out, sent?: (error: Error | null | undefined) => void): void {
    const chunks = encodeFrame(message);
    const last = chunks.length - 1;
    // Corked, the frame's buffers leave in one writev: the header and tensor views are never joined.
    if (last > 0) this.socket.cork();
    for (const [index, chunk] of chunks.entries())
      this.socket.write(chunk, index === last ? sent : undefined);
    if (last > 0) this.socket.uncork();
  }

  private receive(chunk: Buffer): void {
    if (this.failure !== undefined) return;
    let messages: In[];
    try {
      messages = this.parser.push(chunk);
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    for (const message of messages) this.events.message(message);
  }

  private fail(error: Error): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    this.socket.destroy();
    this.events.failed(error);
  }
}
