import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { captureLog, type CapturedLog } from '../support/capture-log.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

/** A client that goes away half-way through sending (a cancelled upload, a phone losing signal) is not a failure here. */
describe('requests abandoned by the client', () => {
  let platform: TestPlatform;
  let app: FastifyInstance;
  let log: CapturedLog;

  beforeAll(async () => {
    platform = await createTestPlatform();
    log = captureLog();
    app = await buildApp({ services: platform.services, logger: log.logger });
    await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app.close();
    await platform.close();
  });

  const abandon = async (path: string, contentType: string, start: string) => {
    const { port } = app.server.address() as AddressInfo;
    const arrived = new Promise((resolve) => app.server.once('request', resolve));
    const socket = net.connect(port, '127.0.0.1', () => socket.write(`POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${contentType}\r\nContent-Length: 100000\r\n\r\n${start}`));
    await arrived;
    socket.destroy();
  };

  it('logs a body cut off part way as refused, not as a failure of the service', async () => {
    await abandon('/api/v1/referrals', 'application/json', '{"person":');
    await abandon('/app/sign-in', 'application/x-www-form-urlencoded', 'email=someone');
    await vi.waitFor(() => { expect(log.lines.filter((line) => line['msg'] === 'request refused' && line['status'] === 400)).toHaveLength(2); });
    expect(log.lines.filter((line) => Number(line['level']) >= 50)).toEqual([]);
  });
});
