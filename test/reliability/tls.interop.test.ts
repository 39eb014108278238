import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../commands/shared/local-redis.js';
import type { Snapshot } from '../../src/snapshot/select-snapshot.js';
import { runQtop } from '../helpers/qtop-cli.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { schemaErrors } from '../helpers/schema.js';
import { fillQueue, taskMessage } from './wire.js';

// `rediss://` against redis-server's own TLS (Debian's build links OpenSSL), with a test CA and a
// server certificate for 127.0.0.1 made by openssl here, plus a second CA that signed nothing.
let dir: string;
let server: RedisServer;
let tlsPort: number;

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

/** A CA key and self-signed certificate `{name}.pem` (P-256: quick to make). */
function makeCa(name: string): void {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-days',
    '2',
    '-subj',
    `/CN=qtop test ${name}`,
  );
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtop-tls-'));
  makeCa('ca');
  makeCa('other-ca');
  fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=127.0.0.1',
  );
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  );
  tlsPort = await freePort();
  // The plain port stays for the helper's readiness check and the test's own setup.
  server = await startRedis({
    args: [
      '--tls-port',
      String(tlsPort),
      '--tls-cert-file',
      path.join(dir, 'server.pem'),
      '--tls-key-file',
      path.join(dir, 'server.key'),
      '--tls-ca-cert-file',
      path.join(dir, 'ca.pem'),
      '--tls-auth-clients',
      'no',
    ],
  });
  const redis = new Redis(server.url(0));
  await fillQueue(redis, 'secure', [taskMessage(), taskMessage()]);
  redis.disconnect();
});

afterAll(async () => {
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const tlsUrl = (query: string) => `rediss://127.0.0.1:${tlsPort}/0?${query}`;

async function snapshotOver(url: string): Promise<Snapshot> {
  const result = await runQtop(['-b', url, '--json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const snap = JSON.parse(result.stdout) as Snapshot;
  expect(schemaErrors(snap)).toEqual([]);
  return snap;
}

async function refused(url: string): Promise<string> {
  const result = await runQtop(['-b', url, '--json']);
  expect(result.code).toBe(3);
  const { error } = JSON.parse(result.stdout) as { error: { code: string; message: string } };
  expect(schemaErrors({ schema: 'qtop/1', error })).toEqual([]);
  expect(error.code).toBe('tls');
  expect(result.stderr).toBe(`qtop: ${error.message}\n`);
  expect(result.ms).toBeLessThan(3_000);
  return error.message;
}

describe('qtop over TLS (rediss://)', () => {
  it('connects with the test CA from ?ssl_ca_certs= and reads the cluster', async () => {
    const snap = await snapshotOver(tlsUrl(`ssl_ca_certs=${path.join(dir, 'ca.pem')}`));
    expect(snap.queues.find((q) => q.name === 'secure')?.total).toBe(2);
    expect(snap.meta.sources.queues.state).toBe('ok');
  });

  it('refuses a certificate its CA did not sign, with one clear line and exit 3', async () => {
    const message = await refused(tlsUrl(`ssl_ca_certs=${path.join(dir, 'other-ca.pem')}`));
    expect(message).toMatch(
      new RegExp(
        `^TLS with rediss://127\\.0\\.0\\.1:${tlsPort}/0 failed \\((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY): `,
      ),
    );
    expect(message).toMatch(
      /pass the server's CA as \?ssl_ca_certs=\/path\/ca\.pem, or add \?ssl_cert_reqs=none/,
    );
  });

  it('refuses it too without ssl_ca_certs (the system CAs do not know the test CA)', async () => {
    expect(await refused(tlsUrl('ssl_cert_reqs=required'))).toMatch(/^TLS with rediss:\/\/127\.0\.0\.1/);
  });

  it('connects without verification when told ssl_cert_reqs=none', async () => {
    const snap = await snapshotOver(tlsUrl('ssl_cert_reqs=none'));
    expect(snap.queues.find((q) => q.name === 'secure')?.total).toBe(2);
  });

  it('names a missing CA file instead of failing the handshake', async () => {
    const message = await refused(tlsUrl('ssl_ca_certs=/nonexistent/ca.pem'));
    expect(message).toBe(
      'cannot read TLS file /nonexistent/ca.pem given as ssl_ca_certs (ENOENT): check the path',
    );
  });
});
