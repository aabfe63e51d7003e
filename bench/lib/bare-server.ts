// The baseline of the front-end throughput benchmark: a bare fastify route on the same path that parses
// the body (JSON, or a raw buffer for the binary extension) and answers a fixed OIP response, with no
// inference, no validation and no engine. Prints "serving ... at URL" like sluice serve.
import Fastify from 'fastify';

const app = Fastify();
app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) =>
  done(null, body),
);
const answer = JSON.stringify({
  model_name: 'simple',
  outputs: [
    { name: 'OUTPUT0', datatype: 'FP32', shape: [1, 4], data: [0, 0, 0, 0] },
    { name: 'OUTPUT1', datatype: 'FP32', shape: [1, 4], data: [0, 0, 0, 0] },
  ],
});
app.post('/v2/models/simple/infer', (_request, reply) => {
  void reply.header('content-type', 'application/json').send(answer);
});
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stderr.write(`serving bare fastify at ${address}\n`);
process.once('SIGINT', () => void app.close().then(() => process.exit(0)));
