// Runs the real OCI registry (CNCF distribution 2.8, Debian's docker-registry) on loopback for
// tests: a free port, temp filesystem storage, optional htpasswd (bcrypt) basic auth and optional
// TLS with a throwaway CA. Its logs go to a file in its temp folder, never to the console.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import dns from 'node:dns/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { hashSync } from 'bcryptjs';
import { resolveTool } from './tools.js';

const execFileAsync = promisify(execFile);

/** What {@link startRegistry} sets up besides a plain-HTTP, unauthenticated registry. */
export interface RegistryOptions {
  /** Require HTTP basic auth with this one user (stored as a bcrypt htpasswd entry). */
  auth?: { username: string; password: string };
  /**
   * Serve HTTPS with a server certificate signed by a fresh CA, addressed by {@link tlsHostName}
   * (Helm 3 speaks plain HTTP to `localhost` and to any loopback IP, whatever `--ca-file` says).
   */
  tls?: boolean;
  /** How long to wait for `/v2/` to answer, in milliseconds (default 15 000). */
  startTimeoutMs?: number;
}

/** A registry process started by {@link startRegistry}. */
export interface RunningRegistry {
  /** `127.0.0.1:PORT` (with `tls`: `<loopback host name>:PORT`), as `helm registry login` wants it. */
  host: string;
  /** `oci://<host>`, the prefix of `helm push` / `helm pull` references. */
  url: string;
  /** `http://<host>` or `https://<host>`, for plain HTTP requests. */
  baseUrl: string;
  /** PEM file of the CA that signed the server certificate (only with `tls`). */
  caFile?: string;
  /** The basic-auth user (only with `auth`). */
  username?: string;
  /** The basic-auth password (only with `auth`). */
  password?: string;
  /** The registry's log file (stdout and stderr). */
  logFile: string;
  /** Kills the process, waits for it to exit and removes its temp folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** An HTTP answer from {@link registryRequest}. */
export interface RegistryResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Registries still running, killed when the test process exits so none outlives it. */
const live = new Set<{ child: ChildProcess; dir: string }>();
process.once('exit', () => {
  for (const { child, dir } of live) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Asks the kernel for a free loopback port by binding port 0 and closing again. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not read the bound port'))));
    });
  });
}

/**
 * One GET (or other method) against a registry, with optional CA and basic auth; resolves with the
 * status whatever it is, rejects only on a connection or TLS error.
 */
export function registryRequest(
  url: string,
  options: { ca?: string; username?: string; password?: string; method?: string; timeoutMs?: number } = {},
): Promise<RegistryResponse> {
  const target = new URL(url);
  const headers: Record<string, string> = {};
  if (options.username !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;
  }
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: options.method ?? 'GET',
        headers,
        agent: false,
        timeout: options.timeoutMs ?? 5_000,
        ...(options.ca ? { ca: readFileSync(options.ca) } : {}),
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${url}: no answer within ${options.timeoutMs ?? 5_000} ms`)));
    request.on('error', reject);
    request.end();
  });
}

async function run(command: string, args: string[], cwd: string): Promise<void> {
  try {
    await execFileAsync(command, args, { cwd });
  } catch (error) {
    const err = error as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') {
      throw new Error(`registry: ${command} is not available, needed for a TLS registry; install it (Debian: apt-get install openssl)`);
    }
    throw new Error(`registry: \`${command} ${args.join(' ')}\` failed: ${err.stderr ?? err.message}`);
  }
}

/**
 * A host name that resolves to 127.0.0.1-style loopback but is not `localhost`: this machine's own
 * name, else another name /etc/hosts maps to 127.x (Debian maps the machine's name to 127.0.1.1).
 * Helm 3 (containerd's MatchLocalhost) forces plain HTTP for `localhost` and loopback IPs, so only
 * such a name lets it speak TLS to a registry on this machine. Returns the name and the address
 * it resolves to, which the registry listens on.
 * @throws Error saying what to change when no such name exists.
 */
export async function tlsHostName(): Promise<{ name: string; address: string }> {
  let hostsFile = '';
  try {
    hostsFile = readFileSync('/etc/hosts', 'utf8');
  } catch {
    // no hosts file: only the machine's own name is a candidate
  }
  const fromHostsFile = hostsFile
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim().split(/\s+/))
    .filter(([address]) => address?.startsWith('127.'))
    .flatMap(([, ...names]) => names);
  const candidates = [os.hostname(), ...fromHostsFile]
    .map((name) => name.toLowerCase())
    .filter((name) => /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) && !name.includes('localhost'));
  for (const name of new Set(candidates)) {
    const { address } = await dns.lookup(name, { family: 4 }).catch(() => ({ address: '' }));
    if (address.startsWith('127.')) return { name, address };
  }
  throw new Error(
    `registry: a TLS test registry needs a host name that resolves to 127.x and is not "localhost" (Helm 3 forces plain HTTP there), and this machine has none (tried: ${[...new Set(candidates)].join(', ') || 'nothing'}); map the machine's name to 127.0.1.1 in /etc/hosts`,
  );
}

/** Writes ca.crt, server.crt and server.key (ECDSA P-256, valid one day) for `hostName` into `dir` with openssl. */
async function makeCertificates(dir: string, hostName: string): Promise<{ caFile: string; certFile: string; keyFile: string }> {
  const curve = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run(
    'openssl',
    [
      'req',
      '-x509',
      ...curve,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '1',
      '-subj',
      '/CN=chartkit test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  await run('openssl', ['req', ...curve, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${hostName}`], dir);
  writeFileSync(
    path.join(dir, 'server.ext'),
    [
      `subjectAltName=DNS:${hostName},IP:127.0.0.1,DNS:localhost`,
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      '',
    ].join('\n'),
  );
  await run(
    'openssl',
    ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '1', '-extfile', 'server.ext'],
    dir,
  );
  return { caFile: path.join(dir, 'ca.crt'), certFile: path.join(dir, 'server.crt'), keyFile: path.join(dir, 'server.key') };
}

function tail(file: string, lines = 30): string {
  try {
    const text = readFileSync(file, 'utf8').trimEnd();
    return text ? text.split('\n').slice(-lines).join('\n') : '(empty)';
  } catch {
    return '(no log)';
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts the real docker-registry on 127.0.0.1 at a free port, with filesystem storage in a temp
 * folder, and resolves once `GET /v2/` answers (200, or 401 with `auth`).
 *
 * @throws Error with the registry's log when it exits or does not answer in time, and the
 *   {@link resolveTool} how-to when the binary is missing.
 */
export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  const bin = resolveTool('registry');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chartkit-registry-'));
  try {
    const storage = path.join(dir, 'storage');
    mkdirSync(storage);
    const config: string[] = [
      'version: 0.1',
      'log:',
      '  level: warn',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${JSON.stringify(storage)}`,
      '  delete:',
      '    enabled: true',
      'http:',
      '  addr: __ADDR__',
      `  secret: ${randomBytes(16).toString('hex')}`,
    ];
    let tlsFiles: Awaited<ReturnType<typeof makeCertificates>> | undefined;
    const { name: hostName, address: listenAddress } = options.tls ? await tlsHostName() : { name: '127.0.0.1', address: '127.0.0.1' };
    if (options.tls) {
      const tlsDir = path.join(dir, 'tls');
      mkdirSync(tlsDir);
      tlsFiles = await makeCertificates(tlsDir, hostName);
      config.push('  tls:', `    certificate: ${JSON.stringify(tlsFiles.certFile)}`, `    key: ${JSON.stringify(tlsFiles.keyFile)}`);
    }
    if (options.auth) {
      const htpasswd = path.join(dir, 'htpasswd');
      // The registry only accepts bcrypt entries. Cost 4 (the minimum): it checks the hash on every
      // request, and this is a throwaway test registry.
      writeFileSync(htpasswd, `${options.auth.username}:${hashSync(options.auth.password, 4)}\n`, { mode: 0o600 });
      config.push('auth:', '  htpasswd:', '    realm: chartkit-test', `    path: ${JSON.stringify(htpasswd)}`);
    }
    const logFile = path.join(dir, 'registry.log');
    const scheme = options.tls ? 'https' : 'http';
    const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);

    // The port is free when probed but could be taken before the registry binds it: retry then.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const host = `${hostName}:${port}`;
      const configFile = path.join(dir, 'config.yml');
      // Listen on loopback only, whatever name clients use.
      writeFileSync(configFile, `${config.join('\n').replace('__ADDR__', `${listenAddress}:${port}`)}\n`);
      const log = openSync(logFile, 'w');
      const child = spawn(bin, ['serve', configFile], { stdio: ['ignore', log, log] });
      closeSync(log);
      const entry = { child, dir };
      live.add(entry);
      let spawnError: Error | undefined;
      child.once('error', (error) => (spawnError = error));

      const baseUrl = `${scheme}://${host}`;
      let lastError = '';
      let up = false;
      while (!up && Date.now() < deadline && child.exitCode === null && child.signalCode === null && !spawnError) {
        try {
          const answer = await registryRequest(`${baseUrl}/v2/`, {
            timeoutMs: 1_000,
            ...(tlsFiles ? { ca: tlsFiles.caFile } : {}),
          });
          up = answer.status === 200 || answer.status === 401;
          if (!up) lastError = `GET /v2/ answered ${answer.status}`;
        } catch (error) {
          lastError = (error as Error).message;
        }
        if (!up) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      if (up) {
        let stopped = false;
        return {
          host,
          url: `oci://${host}`,
          baseUrl,
          logFile,
          ...(tlsFiles ? { caFile: tlsFiles.caFile } : {}),
          ...(options.auth ? { username: options.auth.username, password: options.auth.password } : {}),
          async stop() {
            if (stopped) return;
            stopped = true;
            child.kill('SIGTERM');
            if (!(await waitForExit(child, 5_000))) {
              child.kill('SIGKILL');
              await waitForExit(child, 5_000);
            }
            live.delete(entry);
            rmSync(dir, { recursive: true, force: true });
          },
        };
      }
      const exitCode = child.exitCode;
      const exitSignal = child.signalCode;
      child.kill('SIGKILL');
      await waitForExit(child, 5_000);
      live.delete(entry);
      const logText = tail(logFile);
      if (attempt < 3 && /address already in use/i.test(logText) && Date.now() < deadline) continue;
      const why = spawnError
        ? `could not be started (${spawnError.message})`
        : exitCode !== null || exitSignal !== null
          ? `exited (${exitCode !== null ? `code ${exitCode}` : exitSignal}) before answering`
          : `did not answer GET ${baseUrl}/v2/ within ${options.startTimeoutMs ?? 15_000} ms (last: ${lastError})`;
      throw new Error(`registry: ${bin} ${why}; its log:\n${logText}`);
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
