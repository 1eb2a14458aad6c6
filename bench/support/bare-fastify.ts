import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';

/** A bare Fastify route in this process: the baseline that throughput ratios in the issues are measured against. */
export async function startBareFastify(): Promise<{ readonly baseUrl: string; readonly path: string; close(): Promise<void> }> {
  const bare = Fastify();
  bare.get('/bare', () => 'ok');
  await bare.listen({ host: '127.0.0.1', port: 0 });
  return {
    baseUrl: `http://127.0.0.1:${String((bare.server.address() as AddressInfo).port)}`,
    path: '/bare',
    close: () => bare.close(),
  };
}
