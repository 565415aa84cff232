/**
 * Reproducible chart archives. `helm package` decides which files a chart package holds (it
 * applies `.helmignore`, re-serialises Chart.yaml and inlines subcharts), but its tar headers carry
 * the packaging time (Helm 3) or the files' modification times (Helm 4), so the same chart gives a
 * different archive, and a different OCI digest, on every run or clone. This module rewrites such
 * an archive into a canonical one: same paths in the same order, fixed mode, owner and timestamp,
 * gzip by a pure-JavaScript deflate (fflate, pinned) so the bytes do not depend on the machine's
 * zlib. Helm 3 and Helm 4 produce identical file sets, so the canonical archive, and the manifest
 * digest Helm pushes for it, are the same whichever Helm packaged it. Pure: bytes in, bytes out.
 */
import { gunzipSync, gzipSync } from 'fflate';

/** One regular file of a tar archive. */
export interface TarFile {
  /** Path inside the archive, forward slashes (`restaurant-app/Chart.yaml`). */
  readonly path: string;
  readonly content: Uint8Array;
}

/**
 * The timestamp written into every canonical archive: 1980-01-01T00:00:00Z (the ZIP epoch, as
 * other reproducible-build tools use), unless `SOURCE_DATE_EPOCH` says otherwise. Helm derives the
 * OCI `org.opencontainers.image.created` annotation from it, so it must not be the clock.
 */
export const CANONICAL_MTIME = 315_532_800;

const BLOCK = 512;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

function field(header: Uint8Array, offset: number, length: number): string {
  const raw = header.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return decoder.decode(end === -1 ? raw : raw.subarray(0, end));
}

function octal(header: Uint8Array, offset: number, length: number): number {
  const text = field(header, offset, length).trim();
  return text ? Number.parseInt(text, 8) : 0;
}

/** Parses PAX extended-header records (`LEN key=value\n`). */
function paxRecords(data: Uint8Array): Map<string, string> {
  const records = new Map<string, string>();
  let position = 0;
  while (position < data.length) {
    const space = data.indexOf(0x20, position);
    if (space === -1) break;
    const length = Number(decoder.decode(data.subarray(position, space)));
    if (!Number.isInteger(length) || length <= 0) break;
    const record = decoder.decode(data.subarray(space + 1, position + length - 1));
    const equals = record.indexOf('=');
    if (equals > 0) records.set(record.slice(0, equals), record.slice(equals + 1));
    position += length;
  }
  return records;
}

/**
 * Reads the regular files of a gzip-compressed tar archive, in archive order. Understands USTAR
 * prefixes, PAX `path` records and GNU long names, which is what Go's archive/tar writes.
 * @throws Error on a truncated archive.
 */
export function readTgz(bytes: Uint8Array): TarFile[] {
  const tar = gunzipSync(bytes);
  const files: TarFile[] = [];
  let position = 0;
  let longName: string | undefined;
  while (position + BLOCK <= tar.length) {
    const header = tar.subarray(position, position + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] ?? 0x30);
    const dataStart = position + BLOCK;
    if (dataStart + size > tar.length) throw new Error('truncated tar archive');
    const data = tar.subarray(dataStart, dataStart + size);
    position = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      longName = paxRecords(data).get('path') ?? longName;
      continue;
    }
    if (type === 'L') {
      longName = field(data, 0, data.length);
      continue;
    }
    if (type === 'g') continue;
    const prefix = field(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    if (type === '0' || type === '\0') files.push({ path: name, content: data.slice() });
  }
  return files;
}

function writeField(header: Uint8Array, offset: number, length: number, value: string): void {
  const bytes = encoder.encode(value);
  if (bytes.length > length) throw new Error(`tar header field too long: ${value}`);
  header.set(bytes, offset);
}

function writeOctal(header: Uint8Array, offset: number, length: number, value: number): void {
  writeField(header, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

/** Splits a path into USTAR name (≤ 100 bytes) and prefix (≤ 155 bytes) at a slash. */
function splitPath(path: string): { name: string; prefix: string } {
  if (encoder.encode(path).length <= 100) return { name: path, prefix: '' };
  for (let cut = path.indexOf('/'); cut !== -1; cut = path.indexOf('/', cut + 1)) {
    const prefix = path.slice(0, cut);
    const name = path.slice(cut + 1);
    if (encoder.encode(prefix).length <= 155 && encoder.encode(name).length <= 100) return { name, prefix };
  }
  throw new Error(`path too long for a tar archive: ${path}`);
}

function header(path: string, size: number, mtime: number): Uint8Array {
  const block = new Uint8Array(BLOCK);
  const { name, prefix } = splitPath(path);
  writeField(block, 0, 100, name);
  writeOctal(block, 100, 8, 0o644);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, mtime);
  block.fill(0x20, 148, 156);
  block[156] = 0x30;
  writeField(block, 257, 6, 'ustar\0');
  writeField(block, 263, 2, '00');
  writeField(block, 345, 155, prefix);
  const sum = block.reduce((total, byte) => total + byte, 0);
  writeField(block, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

/**
 * Writes files into a canonical gzip-compressed USTAR archive: given order, mode 0644, owner 0:0,
 * no user names, one fixed mtime, gzip header without name or time. The same input gives the same
 * bytes on any machine.
 */
export function writeTgz(files: readonly TarFile[], mtime = CANONICAL_MTIME): Uint8Array {
  const size = files.reduce((total, file) => total + BLOCK + Math.ceil(file.content.length / BLOCK) * BLOCK, 2 * BLOCK);
  const tar = new Uint8Array(size);
  let position = 0;
  for (const file of files) {
    tar.set(header(file.path, file.content.length, mtime), position);
    position += BLOCK;
    tar.set(file.content, position);
    position += Math.ceil(file.content.length / BLOCK) * BLOCK;
  }
  return gzipSync(tar, { level: 9, mtime: 0 });
}

/** The timestamp canonical archives carry: `SOURCE_DATE_EPOCH` when set, else {@link CANONICAL_MTIME}. */
export function canonicalMtime(env: NodeJS.ProcessEnv = process.env): number {
  const epoch = env.SOURCE_DATE_EPOCH;
  return epoch && /^\d+$/.test(epoch) ? Number(epoch) : CANONICAL_MTIME;
}

/**
 * Rewrites a chart archive produced by `helm package` into its canonical form. Files are sorted
 * by path (Helm writes an umbrella's subcharts in a different order from run to run), except that
 * the chart's own Chart.yaml stays first, where Helm puts it for readers that stream the archive.
 */
export function canonicalChartArchive(bytes: Uint8Array, mtime = canonicalMtime()): Uint8Array {
  const rank = (file: TarFile) => (/^[^/]+\/Chart\.yaml$/.test(file.path) ? 0 : 1);
  const files = readTgz(bytes).sort((a, b) => rank(a) - rank(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return writeTgz(files, mtime);
}
