// A minimal HTTP/1.1 keep-alive client on one socket: the request's bytes are built once, and the reply is
// parsed just enough to find its status and end (Content-Length). Node's http client costs a tenth of a
// millisecond per request on this machine; this one measures the server, not the client.
import { connect, type Socket } from 'node:net';

export class RawHttpClient {
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: ((reply: { status: number; body: Buffer }) => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      this.tryComplete();
    });
  }

  static open(url: URL): Promise<RawHttpClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => resolve(new RawHttpClient(socket)));
      socket.once('error', reject);
    });
  }

  /** The bytes of a POST, built once and sent many times. */
  static request(url: URL, body: Buffer, headers: Record<string, string>): Buffer {
    const lines = [`POST ${url.pathname} HTTP/1.1`, `host: ${url.host}`, `content-length: ${body.length}`];
    for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
    return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), body]);
  }

  send(request: Buffer): Promise<{ status: number; body: Buffer }> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.socket.write(request);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private tryComplete(): void {
    const end = this.buffered.indexOf('\r\n\r\n');
    if (end < 0 || this.waiting === undefined) return;
    const head = this.buffered.subarray(0, end).toString('latin1');
    const length = Number(/^content-length:\s*(\d+)/im.exec(head)?.[1] ?? 0);
    if (this.buffered.length < end + 4 + length) return;
    const body = this.buffered.subarray(end + 4, end + 4 + length);
    this.buffered = this.buffered.subarray(end + 4 + length);
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve({ status: Number(head.slice(9, 12)), body });
  }
}
