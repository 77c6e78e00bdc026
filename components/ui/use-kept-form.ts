"use client";

import { type FormEvent, useTransition } from "react";

/**
 * Submits a form to a server action without React's reset afterwards: `<form action>` resets
 * uncontrolled fields once the action returns, so a refused form would lose what was typed. The
 * action still runs in a transition; `pending` says so (SubmitButton takes it).
 *
 * Keep `action={formAction}` on the form as well as `onSubmit`: once the page is hydrated,
 * onSubmit takes the submission over, and before that the browser posts the form to the action
 * rather than putting its fields (a password) in the page's URL.
 */
export function useKeptForm(formAction: (data: FormData) => void) {
  const [pending, startTransition] = useTransition();
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // The button that submitted, as a browser would send it (its name and value, if any).
    const data = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(() => formAction(data));
  }
  return { onSubmit, pending };
}
