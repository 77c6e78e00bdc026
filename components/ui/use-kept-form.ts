"use client";

import { type FormEvent, useTransition } from "react";

/**
 * Submits a form to a server action without React's reset afterwards: `<form action>` resets
 * uncontrolled fields once the action returns, so a refused form would lose what was typed. The
 * action still runs in a transition; `pending` says so (SubmitButton takes it).
 */
export function useKeptForm(formAction: (data: FormData) => void) {
  const [pending, startTransition] = useTransition();
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => formAction(data));
  }
  return { onSubmit, pending };
}
