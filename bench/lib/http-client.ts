// A minimal keep-alive HTTP client for the benchmarks: one POST, resolved with status and body.
import http from 'node:http';

export interface Posted {
  readonly status: number;
  readonly body: Buffer;
}

export function post(
  agent: http.Agent,
  url: URL,
  body: Buffer,
  headers: Record<string, string>,
): Promise<Posted> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A JSON OIP body, or a binary-extension body with its headers. */
export function oipBody(
  inputs: readonly { name: string; shape: number[]; data: Float32Array }[],
  binary: boolean,
): { body: Buffer; headers: Record<string, string> } {
  if (!binary) {
    const json = {
      inputs: inputs.map((i) => ({
        name: i.name,
        datatype: 'FP32',
        shape: i.shape,
        data: Array.from(i.data),
      })),
    };
    return { body: Buffer.from(JSON.stringify(json)), headers: { 'content-type': 'application/json' } };
  }
  const header = Buffer.from(
    JSON.stringify({
      inputs: inputs.map((i) => ({
        name: i.name,
        datatype: 'FP32',
        shape: i.shape,
        parameters: { binary_data_size: i.data.byteLength },
      })),
      parameters: { binary_data_output: true },
    }),
  );
  return {
    body: Buffer.concat([
      header,
      ...inputs.map((i) => Buffer.from(i.data.buffer, i.data.byteOffset, i.data.byteLength)),
    ]),
    headers: {
      'content-type': 'application/octet-stream',
      'inference-header-content-length': String(header.length),
    },
  };
}
