import { readFile } from 'node:fs/promises';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const END_RECORD_SIZE = 22;
const ENTRY_HEADER_SIZE = 46;

export interface ZipEntry {
  name: string;
  size: number;
}

/** The entries of a zip archive, read from its central directory (no extraction, no dependency). */
export async function listZip(file: string): Promise<ZipEntry[]> {
  const zip = await readFile(file);
  let end = zip.length - END_RECORD_SIZE;
  // The end record sits at the very end unless the archive has a comment.
  while (end >= 0 && zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) end -= 1;
  if (end < 0) throw new Error(`${file} is not a zip archive`);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    if (zip.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY) throw new Error(`${file}: broken central directory`);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const name = zip.toString('utf8', offset + ENTRY_HEADER_SIZE, offset + ENTRY_HEADER_SIZE + nameLength);
    entries.push({ name, size });
    offset += ENTRY_HEADER_SIZE + nameLength + extraLength + commentLength;
  }
  return entries;
}
