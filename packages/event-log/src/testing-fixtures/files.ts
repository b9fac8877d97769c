import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Segment file names of a log directory, oldest first. */
export async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => /^segment-\d{12}\.jsonl$/.test(name)).sort();
}

/** Byte offset where each line of a file starts. */
export async function lineOffsets(file: string): Promise<number[]> {
  const data = await readFile(file);
  const offsets = [0];
  for (let i = data.indexOf(0x0a); i !== -1 && i + 1 < data.length; i = data.indexOf(0x0a, i + 1)) offsets.push(i + 1);
  return offsets;
}

/** Changes one byte inside line `line` (1-based) of `file`, in its payload area, to another printable byte. */
export async function flipByteInLine(file: string, line: number): Promise<number> {
  const data = await readFile(file);
  const start = (await lineOffsets(file))[line - 1] as number;
  const at = data.indexOf('"payload"', start) + 12;
  data[at] = data[at] === 0x41 ? 0x42 : 0x41;
  await writeFile(file, data);
  return start;
}

/** Every file under `dir`, recursively, as paths relative to it. */
export async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await allFiles(full)).map((f) => path.join(entry.name, f)));
    else out.push(entry.name);
  }
  return out;
}
