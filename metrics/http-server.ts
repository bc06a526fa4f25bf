import http from 'node:http';
import type { AddressInfo } from 'node:net';

// The /metrics listener of the API and of the worker: its own port (API_METRICS_PORT,
// WORKER_METRICS_PORT), apart from the API's, without a token. It answers GET /metrics and nothing
// else; what it shows is counts, durations and route patterns, never a person (R-O7). Bind it to
// loopback or to a network only the scraper reaches (README "Metrics", deploy/README.md).

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

export async function startMetricsServer(opts: {
  host: string;
  port: number;
  render: () => Promise<{ contentType: string; body: string }>;
}): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    opts.render().then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
      (err: Error) =>
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${err.name}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host}:${port}/metrics`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
