import { Card } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";

const TYPESCRIPT = `// npm install standardwebhooks
import { Webhook } from "standardwebhooks";

const webhook = new Webhook(process.env.MOSHI_WEBHOOK_SECRET!); // whsec_…

// Next.js route handler; any framework works the same way with the raw body.
export async function POST(request: Request) {
  const body = await request.text(); // the raw body, before any JSON parsing
  let event;
  try {
    event = webhook.verify(body, Object.fromEntries(request.headers)) as { type: string; data: unknown };
  } catch {
    return new Response("invalid signature", { status: 401 });
  }
  const id = request.headers.get("webhook-id")!; // the same on every retry
  if (await alreadyHandled(id)) return new Response(null, { status: 204 });
  await handle(event);
  return new Response(null, { status: 204 });
}`;

const PYTHON = `# pip install standardwebhooks
import os
from flask import Flask, request
from standardwebhooks.webhooks import Webhook

app = Flask(__name__)
webhook = Webhook(os.environ["MOSHI_WEBHOOK_SECRET"])  # whsec_…

@app.post("/moshi-events")
def moshi_events():
    payload = request.get_data()  # the raw body, before any JSON parsing
    try:
        event = webhook.verify(payload, dict(request.headers))
    except Exception:
        return "invalid signature", 401
    if already_handled(request.headers["webhook-id"]):  # the same on every retry
        return "", 204
    handle(event)
    return "", 204`;

/** Copy-paste verification with the official Standard Webhooks libraries. */
export function VerifySnippets() {
  return (
    <section aria-labelledby="verify" className="space-y-3">
      <h2 id="verify" className="text-base font-semibold">
        Verify the requests
      </h2>
      <p className="max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">
        Every request is signed with the endpoint&rsquo;s secret the{" "}
        <a href="https://www.standardwebhooks.com" className="font-medium text-brand-600 underline dark:text-brand-400">
          Standard Webhooks
        </a>{" "}
        way; the official libraries check the signature and refuse requests older than 5 minutes. Verify the <strong>raw body</strong> exactly as it arrived
        (parsing and re-serializing the JSON changes the bytes), answer 2xx quickly, and deduplicate on the <code className="font-mono">webhook-id</code>{" "}
        header: a retry or a resend carries the same one.
      </p>
      <div className="space-y-4">
        <Snippet title="TypeScript" code={TYPESCRIPT} />
        <Snippet title="Python" code={PYTHON} />
      </div>
    </section>
  );
}

function Snippet({ title, code }: { title: string; code: string }) {
  return (
    <Card className="min-w-0">
      <div className="flex items-center justify-between gap-2 border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
        <h3 className="text-sm font-semibold">{title}</h3>
        <CopyButton value={code} label={`Copy ${title}`} />
      </div>
      <pre
        tabIndex={0}
        aria-label={`${title} verification code`}
        className="max-h-[28rem] overflow-auto p-4 font-mono text-xs leading-relaxed text-zinc-800 dark:text-zinc-200"
      >
        {code}
      </pre>
    </Card>
  );
}
