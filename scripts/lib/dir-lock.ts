/**
 * An exclusive, process-scoped lock on a folder. PGlite has no lock of its own, and two
 * processes writing one data folder corrupt it, so whoever serves it holds this lock.
 */
import fs from "node:fs";
import path from "node:path";

const LOCK_FILE = "moshi.pid";

export class DirLockedError extends Error {}

/** Takes the lock or throws DirLockedError naming the live owner. Returns the release function. */
export function acquireDirLock(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);

  // Two attempts: the first may find a lock left by a crashed process, which we clear once.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(fs.readFileSync(file, "utf8").trim());
      if (isAlive(owner)) {
        throw new DirLockedError(
          `${dir} is in use by process ${owner} (another \`npm run dev\` or \`npm start\`?). ` +
            `Stop it first, or set DATABASE_URL to use a PostgreSQL server instead.`,
        );
      }
      fs.rmSync(file, { force: true });
      continue;
    }
    return releaseOnce(file);
  }
  throw new DirLockedError(`Could not lock ${dir}: another process keeps taking it.`);
}

function releaseOnce(file: string): () => void {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    // Only remove our own lock: a successor may already have replaced a lock we lost.
    try {
      if (fs.readFileSync(file, "utf8").trim() === String(process.pid)) fs.rmSync(file, { force: true });
    } catch {
      // Already gone.
    }
  };
  // An abrupt process.exit() still releases; a SIGKILL leaves a stale pid, which the next owner clears.
  process.on("exit", release);
  return release;
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
