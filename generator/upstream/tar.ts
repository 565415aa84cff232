/**
 * Reads a chart package (`.tgz`) into a map of its files, with errors that name the package; the
 * archive format itself is read by the one tar reader in generator/archive.ts.
 */
import { readTgz as readTarFiles } from '../archive.js';

/** The regular files of an archive: path → bytes. */
export type ArchiveFiles = Map<string, Uint8Array>;

/** Unpacks a gzipped tar archive; throws naming `label` when it is not one or holds nothing. */
export function readTgz(bytes: Uint8Array, label: string): ArchiveFiles {
  let files: ReturnType<typeof readTarFiles>;
  try {
    files = readTarFiles(bytes);
  } catch (error) {
    throw new Error(`${label} is not a readable chart package: ${(error as Error).message}`);
  }
  if (files.length === 0) throw new Error(`${label} holds no files`);
  return new Map(files.map((file) => [file.path, file.content]));
}
