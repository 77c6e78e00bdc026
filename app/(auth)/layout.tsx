import { CheckCircle2 } from "lucide-react";
import { Logo } from "@/components/logo";
import { providerNames } from "@/lib/providers";

const points = [
  `One secret webhook URL per number, for ${providerNames("and")}`,
  "Retries absorbed, long texts reassembled, every message stored once",
  "Every delivery logged, with the reason any was refused",
];

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="grid min-h-dvh lg:grid-cols-[1fr_1.1fr]">
      <aside className="relative hidden overflow-hidden bg-zinc-950 p-12 text-zinc-100 lg:flex lg:flex-col lg:justify-between">
        <div className="pointer-events-none absolute -right-24 -top-24 size-96 rounded-full bg-brand-600/30 blur-3xl" aria-hidden="true" />
        <Logo className="text-lg text-white" />
        <div className="relative space-y-6">
          <h2 className="max-w-md text-3xl font-semibold leading-tight tracking-tight">
            Your customers&rsquo; replies, from every SMS provider, in one inbox.
          </h2>
          <ul className="space-y-3 text-sm text-zinc-300">
            {points.map((point) => (
              <li key={point} className="flex gap-3">
                <CheckCircle2 className="mt-0.5 size-4 shrink-0 text-brand-400" aria-hidden="true" />
                {point}
              </li>
            ))}
          </ul>
        </div>
        <p className="relative text-xs text-zinc-400">もしもし — hello, who&rsquo;s texting?</p>
      </aside>
      <main className="flex items-center justify-center px-4 py-12 sm:px-8">
        <div className="w-full max-w-sm space-y-8">
          <Logo className="text-lg lg:hidden" />
          {children}
        </div>
      </main>
    </div>
  );
}
