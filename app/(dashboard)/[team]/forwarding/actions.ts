"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { type ActionState, teamAction } from "@/lib/actions";
import { changedFields, endpointTarget, recordAudit } from "@/lib/audit";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import {
  createEndpoint,
  deleteEndpoint,
  resendDispatches,
  rotateEndpointSecret,
  sendTestEvent,
  setEndpointEnabled,
  updateEndpoint,
} from "@/lib/forwarding/endpoints";

const endpointId = z.string().min(1);

/** What a form shows once: the signing secret of a new endpoint, or of a rotation. */
export type SecretResult = { secret: string; url: string };

const endpointForm = z.looseObject({
  url: z.string().trim().min(1, "Enter the URL Moshi should send events to.").max(2000, "The URL is too long (2,000 characters at most)."),
  description: z.string().trim().max(200, "200 characters at most.").default(""),
  numbers: z.enum(["all", "some"]).default("all"),
  events: z.enum(["all", "some"]).default("all"),
});

/**
 * The endpoint form's fields as the data layer takes them. The number and event type checkboxes
 * are named `number:<id>` and `event:<type>` (one form value each) and collected here into
 * lists; "some" with none ticked is refused, because an empty list means "all" to an endpoint.
 */
function readEndpointForm(form: z.infer<typeof endpointForm>, context: z.RefinementCtx) {
  const ticked = (prefix: string) => Object.keys(form).filter((key) => key.startsWith(prefix) && form[key] === "on").map((key) => key.slice(prefix.length));
  const phoneNumberIds = form.numbers === "some" ? ticked("number:") : [];
  const eventTypes = form.events === "some" ? ticked("event:") : [];
  if (form.numbers === "some" && phoneNumberIds.length === 0) {
    context.addIssue({ code: "custom", path: ["phoneNumberIds"], message: "Tick at least one number, or choose all numbers." });
  }
  if (form.events === "some" && eventTypes.length === 0) {
    context.addIssue({ code: "custom", path: ["eventTypes"], message: "Tick at least one event type, or choose all events." });
  }
  return { url: form.url, description: form.description, phoneNumberIds, eventTypes };
}

// POST (action) add a forwarding endpoint - owner/admin; answers its signing secret once
export const createEndpointAction = teamAction(endpointForm.transform((form, context) => ({ ...readEndpointForm(form, context), enabled: form.enabled === "on" })), async (input, { team, user }): Promise<ActionState<SecretResult>> => {
  const { endpoint, secret } = await createEndpoint(db(), team.id, input, user.id);
  await recordAudit(db(), { team, user }, {
    action: "endpoint.created",
    target: { type: "endpoint", id: endpoint.id, label: endpoint.url },
    summary: `added the forwarding endpoint ${endpoint.url}${endpoint.enabled ? "" : " (off)"}`,
    details: { url: endpoint.url, description: endpoint.description, numbers: endpoint.phoneNumberIds, eventTypes: endpoint.eventTypes, enabled: endpoint.enabled },
  });
  revalidatePath(`/${team.slug}/forwarding`);
  return { status: "success", data: { secret, url: endpoint.url } };
});


// POST (action) edit an endpoint's URL, description, numbers and event types - owner/admin
export const updateEndpointAction = teamAction(
  endpointForm.extend({ endpointId }).transform((form, context) => ({ ...readEndpointForm(form, context), endpointId: form.endpointId })),
  async ({ endpointId, ...input }, { team, user }) => {
    const { target, endpoint: before } = await endpointTarget(db(), team.id, endpointId);
    await updateEndpoint(db(), team.id, endpointId, input);
    const { endpoint: after } = await endpointTarget(db(), team.id, endpointId);
    const plain = ({ url, description, phoneNumberIds, eventTypes }: typeof before) => ({ url, description, numbers: phoneNumberIds, eventTypes });
    const changes = changedFields(plain(before), plain(after));
    await recordAudit(db(), { team, user }, {
      action: "endpoint.updated",
      target: { ...target, label: after.url },
      summary: Object.keys(changes).length ? `changed the forwarding endpoint ${after.url} (${Object.keys(changes).join(", ")})` : `saved the forwarding endpoint ${after.url} without changes`,
      details: changes,
    });
    revalidatePath(`/${team.slug}`, "layout");
    return { status: "success", message: "Saved." };
  },
);

// POST (action) turn an endpoint on or off - owner/admin
export const setEndpointEnabledAction = teamAction(z.object({ endpointId, enabled: z.enum(["true", "false"]) }), async (input, { team, user }) => {
  const enabled = input.enabled === "true";
  const { target, endpoint } = await endpointTarget(db(), team.id, input.endpointId);
  await setEndpointEnabled(db(), team.id, input.endpointId, enabled);
  await recordAudit(db(), { team, user }, {
    action: enabled ? "endpoint.enabled" : "endpoint.disabled",
    target,
    summary: `turned ${enabled ? "on" : "off"} forwarding to ${target.label}`,
    details: { enabled: { before: endpoint.enabled, after: enabled } },
  });
  // The banner about an endpoint Moshi turned off goes with it.
  revalidatePath(`/${team.slug}`, "layout");
  return { status: "success", message: enabled ? "Turned on." : "Turned off." };
});

// POST (action) rotate an endpoint's signing secret - owner/admin; the old one signs 24 h more
export const rotateSecretAction = teamAction(z.object({ endpointId }), async (input, { team, user }): Promise<ActionState<SecretResult>> => {
  const { secret } = await rotateEndpointSecret(db(), team.id, input.endpointId);
  const { url } = await db().webhookEndpoint.findFirstOrThrow({ where: { id: input.endpointId, teamId: team.id }, select: { url: true } });
  await recordAudit(db(), { team, user }, {
    action: "endpoint.secret_rotated",
    target: { type: "endpoint", id: input.endpointId, label: url },
    summary: `rotated the signing secret of ${url} (the old one signs 24 hours more)`,
  });
  revalidatePath(`/${team.slug}/forwarding`, "layout");
  return { status: "success", data: { secret, url } };
});

// POST (action) delete an endpoint, its pending events and its attempts - owner/admin
export const deleteEndpointAction = teamAction(z.object({ endpointId }), async (input, { team, user }) => {
  const { target, endpoint } = await endpointTarget(db(), team.id, input.endpointId);
  await deleteEndpoint(db(), team.id, input.endpointId);
  await recordAudit(db(), { team, user }, {
    action: "endpoint.deleted",
    target,
    summary: `deleted the forwarding endpoint ${target.label}`,
    details: { url: endpoint.url, description: endpoint.description },
  });
  revalidatePath(`/${team.slug}`, "layout");
  redirect(`/${team.slug}/forwarding`);
});

// POST (action) send a test event to one endpoint - owner/admin
export const sendTestEventAction = teamAction(z.object({ endpointId }), async (input, { team }) => {
  await sendTestEvent(db(), team.id, input.endpointId);
  revalidatePath(`/${team.slug}/forwarding`, "layout");
  return { status: "success", message: "Test event queued: its attempt shows below within seconds." };
});

// POST (action) send one event to an endpoint again - owner/admin
export const resendDispatchAction = teamAction(z.object({ endpointId, dispatchId: z.string().min(1) }), async (input, { team }) => {
  await resendDispatches(db(), team.id, input.endpointId, { dispatchId: input.dispatchId });
  revalidatePath(`/${team.slug}/forwarding`, "layout");
  return { status: "success", message: "Queued again." };
});

/** Instants, computed in the browser from the viewer's days (see ResendFailedForm). */
const instant = z.iso.datetime({ error: "Choose a day." }).transform((value) => new Date(value));

// POST (action) send every failed event of a period to an endpoint again - owner/admin
export const resendFailedAction = teamAction(
  z.object({ endpointId, failedSince: instant, failedUntil: instant }).refine((v) => v.failedSince < v.failedUntil, {
    path: ["to"],
    message: "The last day comes on or after the first.",
  }),
  async (input, { team }) => {
    const count = await resendDispatches(db(), team.id, input.endpointId, { failedSince: input.failedSince, failedUntil: input.failedUntil });
    if (count === 0) throw new AppError("INVALID", "No failed events in that period: nothing was resent.");
    revalidatePath(`/${team.slug}/forwarding`, "layout");
    return { status: "success", message: count === 1 ? "1 failed event queued again." : `${count.toLocaleString("en")} failed events queued again.` };
  },
);
