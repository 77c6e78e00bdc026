/**
 * `npm run bench:inbox -- --pages`: how long the production server takes to answer the dashboard
 * pages over the bench's data set. bench/inbox.ts loads the data and calls this at the end.
 *
 * It starts the server as `npm start` runs it (scripts/serve.ts, through scripts/lib/harness.ts)
 * on the bench database, signs in through Auth.js's credentials endpoint as a member of the big
 * team, then requests each page sequentially over one keep-alive connection: one untimed request,
 * then `runs` timed ones. A time runs from sending the request to the last byte of the answer,
 * streamed parts included; each answer must be a 200 that holds a marker of the page's data, so
 * a sign-in page or an error page is never timed as a result.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import { ensureBuild, startServer, type Server } from "../scripts/lib/harness";

export type PageTarget = {
  name: string;
  path: string;
  /** Text the answer must contain: proof that the page rendered its data. */
  marker: string;
};

export type PageTiming = { name: string; bytes: number; times: number[] };

/** Builds the app (unless told not to): before the data loads, so the build's CPU use disturbs nothing measured. */
export const buildForPages = (build: boolean) => ensureBuild(build);

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string; ms: number };

/** One request on `agent`, read to its last byte. */
function request(origin: string, agent: http.Agent, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, origin);
    const started = performance.now();
    const outgoing = http.request({ host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - started }),
      );
      response.on("error", reject);
    });
    outgoing.setTimeout(120_000, () => outgoing.destroy(new Error(`${method} ${path}: no answer within 120 s`)));
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** Cookies as a browser keeps them: name → value, from each Set-Cookie. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(headers: http.IncomingHttpHeaders) {
    for (const line of headers["set-cookie"] ?? []) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      if (at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
  }
  has(prefix: string) {
    return [...this.cookies.keys()].some((name) => name.startsWith(prefix));
  }
  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

/**
 * Adds a user with a password to the team, starts the production server on `databaseUrl`, signs
 * in and times each page; stops the server again, also on failure. `encryptionKey` must be the
 * one the numbers were created with.
 */
export async function measurePages(options: {
  databaseUrl: string;
  encryptionKey: string;
  addMember: (email: string, passwordHash: string) => Promise<void>;
  pages: PageTarget[];
  runs: number;
  onServer?: (stop: () => Promise<void>) => void;
}): Promise<PageTiming[]> {
  const { hashPassword } = await import("@/lib/auth/password");
  const email = `bench-${randomBytes(4).toString("hex")}@moshi.test`;
  const password = randomBytes(16).toString("hex");
  await options.addMember(email, await hashPassword(password));

  const server = await startServer({
    databaseUrl: options.databaseUrl,
    secrets: { AUTH_SECRET: randomBytes(32).toString("base64url"), MOSHI_ENCRYPTION_KEY: options.encryptionKey },
    name: "bench-inbox",
  });
  const stop = () => stopServer(server);
  options.onServer?.(stop);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const jar = await signIn(server.origin, agent, email, password);
    const results: PageTiming[] = [];
    for (const page of options.pages) {
      const headers = { cookie: jar.header(), accept: "text/html" };
      const check = (answer: Answer) => {
        if (answer.status !== 200 || !answer.body.includes(page.marker)) {
          throw new Error(`${page.name} (${page.path}) answered ${answer.status} without "${page.marker}":\n${answer.body.slice(0, 500)}`);
        }
      };
      const first = await request(server.origin, agent, "GET", page.path, headers);
      check(first);
      const times: number[] = [];
      for (let i = 0; i < options.runs; i++) {
        const answer = await request(server.origin, agent, "GET", page.path, headers);
        check(answer);
        times.push(answer.ms);
      }
      results.push({ name: page.name, bytes: Buffer.byteLength(first.body), times });
    }
    return results;
  } finally {
    agent.destroy();
    await stop();
  }
}

/** Signs in as the sign-in form does, through Auth.js's credentials callback; answers the session cookies. */
async function signIn(origin: string, agent: http.Agent, email: string, password: string): Promise<CookieJar> {
  const jar = new CookieJar();
  const csrf = await request(origin, agent, "GET", "/api/auth/csrf");
  if (csrf.status !== 200) throw new Error(`GET /api/auth/csrf answered ${csrf.status}`);
  jar.take(csrf.headers);
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const form = new URLSearchParams({ email, password, csrfToken, callbackUrl: `${origin}/` });
  const answer = await request(
    origin,
    agent,
    "POST",
    "/api/auth/callback/credentials",
    { "content-type": "application/x-www-form-urlencoded", cookie: jar.header(), origin },
    form.toString(),
  );
  jar.take(answer.headers);
  if (!jar.has("authjs.session-token")) {
    throw new Error(`Signing in answered ${answer.status} (${answer.headers.location ?? "no redirect"}) without a session cookie`);
  }
  return jar;
}

async function stopServer({ child }: Server) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}
