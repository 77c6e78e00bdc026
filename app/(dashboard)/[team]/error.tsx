"use client";

import { TriangleAlert } from "lucide-react";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

/**
 * A page of the dashboard failed to load (the database was unreachable, say). The sidebar stays,
 * so people can go elsewhere; "Try again" re-renders the page. Webhooks are unaffected: they
 * answer providers on their own, and a provider retries whatever Moshi could not store.
 */
export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="mx-auto max-w-2xl py-10" role="alert">
      <EmptyState
        icon={TriangleAlert}
        title="This page could not be loaded"
        action={
          <Button type="button" variant="secondary" onClick={reset}>
            Try again
          </Button>
        }
      >
        <p>Something went wrong on our side. Your messages are safe: providers keep retrying anything Moshi could not store.</p>
        {error.digest && <p className="mt-2 font-mono text-xs">Reference: {error.digest}</p>}
      </EmptyState>
    </div>
  );
}
