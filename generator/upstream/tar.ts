/**
 * Reads a chart package (`.tgz`: gzip over ustar, as Helm writes it) into memory. Helm's Go writer
 * uses PAX headers for long names; GNU long-name records are handled too, so a path is never cut.
 */
import { gunzipSync } from 'fflate';

/** The regular files of an archive: path → bytes. */
export type ArchiveFiles = Map<string, Uint8Array>;

const decoder = new TextDecoder();
const text = (block: Uint8Array, start: number, length: number) => {
  const slice = block.subarray(start, start + length);
  const end = slice.indexOf(0);
  return decoder.decode(end === -1 ? slice : slice.subarray(0, end));
};
const octal = (block: Uint8Array, start: number, length: number) => Number.parseInt(text(block, start, length).trim() || '0', 8);

function paxPath(records: Uint8Array): string | undefined {
  // Each record is "<length> <key>=<value>\n".
  for (const line of decoder.decode(records).split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

/** Unpacks a gzipped tar archive; throws naming `label` when it is not one. */
export function readTgz(bytes: Uint8Array, label: string): ArchiveFiles {
  let tar: Uint8Array;
  try {
    tar = gunzipSync(bytes);
  } catch (error) {
    throw new Error(`${label} is not a gzip archive: ${(error as Error).message}`);
  }
  const files: ArchiveFiles = new Map();
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] ?? 0);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      longName = paxPath(body);
      continue;
    }
    if (type === 'L') {
      longName = text(body, 0, body.length);
      continue;
    }
    if (type === 'g') continue;
    const prefix = text(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    longName = undefined;
    if (type === '0' || type === '\0') files.set(name, body.slice());
  }
  if (files.size === 0) throw new Error(`${label} holds no files`);
  return files;
}
