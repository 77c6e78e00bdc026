import { Phone } from "lucide-react";
import type { Metadata } from "next";
import { PageHeader } from "@/components/dashboard/page-header";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { requireTeam } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { listNumbers, summarizeNumberActivity } from "@/lib/data/numbers";
import { describePhoneNumber } from "@/lib/phone";
import { providerForms, providerNames } from "@/lib/providers";
import { pathSegmentOf } from "@/lib/sms/registry";
import { AddNumberButton } from "./add-number";
import { NumberCard } from "./number-card";

export const metadata: Metadata = { title: "Numbers" };

// GET /<team>/numbers - the team's numbers and their webhook URLs
export default async function NumbersPage({ params }: PageProps<"/[team]/numbers">) {
  const { team: slug } = await params;
  const { team, canManage } = await requireTeam(slug);
  const numbers = await listNumbers(db(), team.id);
  const activity = await summarizeNumberActivity(db(), team.id, numbers.map((n) => n.id));
  const now = new Date();
  const forms = providerForms();
  const formOf = new Map(forms.map((form) => [form.provider, form]));
  return (
    <div className="mx-auto max-w-5xl">
      <PageHeader
        title="Numbers"
        description="Each number gets its own secret webhook URL. Paste it into your provider's portal and Moshi receives, verifies and stores every inbound SMS."
        // One button in one place: it must stay mounted when the first number turns the empty
        // state into the list, or the dialog showing the new URL would vanish with it.
        actions={canManage ? <AddNumberButton team={team.slug} forms={forms} /> : undefined}
      />
      {!canManage && (
        <Alert className="mb-6" title="You have read-only access">
          Only owners and admins of {team.name} can add numbers or change webhook URLs.
        </Alert>
      )}
      {numbers.length === 0 ? (
        <EmptyState icon={Phone} title="No numbers yet">
          {canManage
            ? `Use “Add number” to register the first number you rent from ${providerNames()}. You get a webhook URL to paste into the provider's portal.`
            : "An owner or admin of this team can add the numbers you rent from your SMS providers."}
        </EmptyState>
      ) : (
        <ul className="space-y-3">
          {numbers.map((number) => (
            <li key={number.id}>
              <NumberCard
                team={team.slug}
                canManage={canManage}
                form={formOf.get(number.provider)!}
                number={{
                  ...number,
                  webhookPathPrefix: `/api/webhooks/${pathSegmentOf(number.provider)}/`,
                  display: describePhoneNumber(number.e164),
                  graceActive: Boolean(number.previousTokenExpiresAt && number.previousTokenExpiresAt > now),
                }}
                activity={activity.get(number.id) ?? { count: 0, tests: 0, last: null }}
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
