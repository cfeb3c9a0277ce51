// A loopback relay that adds `Authorization: Bearer <token>` to every
// request it forwards (one that carries its own Authorization keeps it).
// For test tools that cannot send a header of their own — the conformance
// suite has no header option — against a mode-B server, which serves
// 2026-07-28 only to callers with a bearer. Bodies are piped both ways, so
// SSE streams pass as they arrive. No dependencies.
//
// Usage: MALGOMO_RELAY_BEARER=<token> node relay.mjs <target base URL>
// Prints "relay listening on http://127.0.0.1:PORT" once it accepts; the
// token is never printed.
import http from 'node:http';

const target = new URL(process.argv[2] ?? '');
const token = process.env.MALGOMO_RELAY_BEARER ?? '';
if (target.protocol !== 'http:' || token === '') {
  console.error('usage: MALGOMO_RELAY_BEARER=<token> node relay.mjs http://HOST:PORT');
  process.exit(2);
}

const server = http.createServer((incoming, outgoing) => {
  const headers = { ...incoming.headers, host: target.host };
  headers.authorization ??= `Bearer ${token}`;
  const upstream = http.request(
    {
      host: target.hostname,
      port: target.port,
      method: incoming.method,
      path: incoming.url,
      headers,
    },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    },
  );
  upstream.on('error', (err) => {
    if (!outgoing.headersSent) {
      outgoing.writeHead(502, { 'content-type': 'text/plain' });
    }
    outgoing.end(`relay: upstream failed: ${err.code ?? err.message}`);
  });
  // A client that leaves ends the upstream request too (held SSE streams).
  outgoing.on('close', () => upstream.destroy());
  incoming.pipe(upstream);
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  console.log(`relay listening on http://127.0.0.1:${port}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(0));
}
