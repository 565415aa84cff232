// Proves the registry test helper against the real docker-registry binary: plain HTTP, htpasswd
// (bcrypt) basic auth, TLS with a throwaway CA, and a stop() that frees everything.
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { registryRequest, startRegistry, type RunningRegistry } from '../helpers/registry.js';

/** Resolves true when something accepts a TCP connection on host:port. */
function accepts(host: string): Promise<boolean> {
  const [address, port] = host.split(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('startRegistry', () => {
  let plain: RunningRegistry;
  let withAuth: RunningRegistry;
  let withTls: RunningRegistry;

  beforeAll(async () => {
    // GIVEN three registries: plain, with basic auth, with TLS (started concurrently)
    [plain, withAuth, withTls] = await Promise.all([
      startRegistry(),
      startRegistry({ auth: { username: 'chartkit', password: 's3cret-pass' } }),
      startRegistry({ tls: true }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([plain?.stop(), withAuth?.stop(), withTls?.stop()]);
  });

  it('serves the OCI distribution API on a loopback port', async () => {
    // WHEN /v2/ is asked without credentials
    const answer = await registryRequest(`${plain.baseUrl}/v2/`);
    // THEN it answers 200 as a distribution registry, and the handles are well formed
    expect(answer.status).toBe(200);
    expect(answer.headers['docker-distribution-api-version']).toBe('registry/2.0');
    expect(plain.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(plain.url).toBe(`oci://${plain.host}`);
    expect(plain.caFile).toBeUndefined();
  });

  it('gives each registry its own port', () => {
    // THEN no two registries share a port
    expect(new Set([plain.host, withAuth.host, withTls.host]).size).toBe(3);
  });

  it('with auth, rejects no or a wrong password and accepts the right one', async () => {
    // WHEN /v2/ is asked without, with a wrong and with the right password
    const url = `${withAuth.baseUrl}/v2/`;
    const [anonymous, wrong, right] = await Promise.all([
      registryRequest(url),
      registryRequest(url, { username: 'chartkit', password: 'wrong' }),
      registryRequest(url, { username: withAuth.username!, password: withAuth.password! }),
    ]);
    // THEN only the right password gets in
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect(wrong.status).toBe(401);
    expect(right.status).toBe(200);
  });

  it('with tls, is trusted through the returned CA only', async () => {
    // WHEN /v2/ is asked over HTTPS with and without the CA
    const url = `${withTls.baseUrl}/v2/`;
    expect(withTls.baseUrl).toMatch(/^https:/);
    const trusted = await registryRequest(url, { ca: withTls.caFile! });
    // THEN the CA makes it trusted, and without it the certificate is refused
    expect(trusted.status).toBe(200);
    await expect(registryRequest(url)).rejects.toThrow(/certificate/i);
  });

  it('stop() kills the registry, frees the port and removes its temp folder', async () => {
    // GIVEN a running registry of its own
    const registry = await startRegistry();
    const dir = path.dirname(registry.logFile);
    expect(await accepts(registry.host)).toBe(true);
    // WHEN it is stopped (twice: the second call is a no-op)
    await registry.stop();
    await registry.stop();
    // THEN nothing listens on its port and its files are gone
    expect(await accepts(registry.host)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });
});
