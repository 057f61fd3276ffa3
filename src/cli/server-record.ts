import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const SERVER_FILE = 'server.json';

/** What a running `runtools dev` leaves in its data dir so every command finds it, whatever the port. */
const serverRecordSchema = z.object({
  url: z.string(),
  pid: z.number().int(),
  /** The key file clients read; null when the server's key came from RUNTOOLS_API_KEY. */
  keyFile: z.string().nullable(),
  configFile: z.string().nullable(),
  startedAt: z.string(),
});

export type ServerRecord = z.infer<typeof serverRecordSchema>;

export function writeServerRecord(dataDir: string, record: ServerRecord): void {
  writeFileSync(path.join(dataDir, SERVER_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** Removes the record, only if it is this process's (a second server must not erase the first's). */
export function removeServerRecord(dataDir: string, pid = process.pid): void {
  if (readServerRecord(dataDir)?.pid === pid) rmSync(path.join(dataDir, SERVER_FILE), { force: true });
}

/** The record of a server whose process is alive; a stale one (a crash, kill -9) reads as none. */
export function readServerRecord(dataDir: string): ServerRecord | undefined {
  const file = path.join(dataDir, SERVER_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const parsed = serverRecordSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success && isAlive(parsed.data.pid) ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
