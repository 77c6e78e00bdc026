/**
 * Child-process helpers. CLIs are started with the Node binary that runs this script rather than
 * through their `#!/usr/bin/env node` line, so a machine whose PATH still points at an older Node
 * cannot slip a different runtime underneath us.
 */
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { binPath, projectRoot } from "./project";

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
}

/** Starts a local CLI with inherited stdio; the caller owns the returned process. */
export function startBin(name: string, args: string[], options: RunOptions = {}): ChildProcess {
  return spawn(process.execPath, [binPath(name), ...args], {
    cwd: projectRoot,
    env: options.env ?? process.env,
    stdio: "inherit",
  });
}

/** Starts one of the project's TypeScript scripts (through tsx) with inherited stdio. */
export function startScript(file: string, args: string[] = [], options: RunOptions = {}): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", path.join(projectRoot, file), ...args], {
    cwd: projectRoot,
    env: options.env ?? process.env,
    stdio: "inherit",
  });
}

/** Runs a local CLI quietly, keeping its output for an error message or a report. */
export function runBinCaptured(
  name: string,
  args: string[],
  options: RunOptions = {},
): Promise<{ code: number; output: string }> {
  const child = spawn(process.execPath, [binPath(name), ...args], {
    cwd: projectRoot,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  return exitCodeOf(child).then((code) => ({ code, output }));
}

export function exitCodeOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    // A child killed by a signal has no code; report it the way a shell would (128 + signal).
    child.once("exit", (code, signal) => resolve(code ?? 128 + (signal ? os.constants.signals[signal] : 0)));
  });
}
