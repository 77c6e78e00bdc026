/**
 * The demo's Denver appointments line, with signed webhooks: a dental practice whose reminders
 * say "Reply C to confirm, R to reschedule". Confirmations, a few patients' threads (one in
 * Spanish), a long message that Twilio joined before calling, one message delivered twice
 * (Twilio retried when the first attempt got no answer in time), and a status callback for one
 * of the practice's own reminders, sent to the inbound URL and ignored.
 */
import type { DemoPlan, Line, ProviderDemo } from "@/lib/demo-traffic";
import type { SimulatedRequest } from "../../types";
import { SIGNATURE_HEADER, signTwilioRequest } from "./signature";

/** The demo number's Auth Token: Twilio signs every webhook with it. Public, like the demo password. */
export const DEMO_TWILIO_CREDENTIALS = { authToken: "moshi-demo-auth-token" } as const;

export const twilioDemo: ProviderDemo = {
  e164: "+13035550187",
  label: "Denver appointments",
  credentials: { ...DEMO_TWILIO_CREDENTIALS },
  utcOffset: -7,
  // Twilio tries once more when the first attempt times out (5 s to connect, 15 s to answer).
  retryDelayMs: [5_000, 15_000],
  plan,
};

const HOUR = 60 * 60_000;

function plan(plan: DemoPlan) {
  const threads: Line[][] = [
    ["Hi, this is Jordan Ellis. My car is in the shop so I can't make my cleaning on Thursday. Anything next week?", "Tuesday at 10 works, thank you!"],
    ["Running about 10 minutes late, stuck on I-25. So sorry!"],
    ["Do you take Delta Dental PPO?", "Perfect, I'll bring my card"],
    ["My crown feels loose since yesterday. Is that an emergency?", "OK, I can be there at 4. Thank you!"],
    ["Hola, ¿tienen citas el sábado para mi hija? Tiene 8 años.", "¡Gracias! Nos vemos el sábado a las 9."],
    ["Can my son's appointment be moved to after school? He gets out at 3:15", { text: "Thanks for fitting him in 😊", after: "days" }],
  ];
  for (const thread of threads) plan.thread("TWILIO", plan.sender("US"), thread, plan.randomDay(2, plan.days - 1));

  // Replies to the reminders, two days before each appointment.
  const replies = ["C", "C", "c", "C thanks", "C!", "Confirmed", "C see you then", "R", "R please", "Can't make it, R"];
  const patients = Array.from({ length: 14 }, () => plan.sender("US"));
  for (let i = 0; i < 18; i++) plan.message("TWILIO", plan.pick(patients), plan.pick(replies), plan.at("TWILIO", plan.randomDay(2, plan.days - 1)));
  plan.message("TWILIO", plan.pick(patients), "C", new Date(plan.now.getTime() - 9 * HOUR), { retryParts: [] });

  // Three SMS on the sender's phone, one request from Twilio: it joins long messages itself.
  plan.message(
    "TWILIO",
    plan.sender("US"),
    "Hello, this is Maria Alvarez, mom of Lucas and Sofia. Both kids have checkups on the 14th but we will be out of town visiting family that week. Could we move both to the same afternoon the week after, back to back after 3:30, so I only make one trip? Also Sofia says her back tooth hurts when she drinks something cold, so maybe the dentist could look at that too. Thanks so much!",
    plan.at("TWILIO", 10, 19),
    { note: "a long message, joined by Twilio" },
  );
  // The practice's server was slow to answer: Twilio sent the same request again.
  plan.message("TWILIO", plan.pick(patients), "Confirmed for Monday 8am", plan.at("TWILIO", 6, 7, 40), { retryParts: [1], note: "a message Twilio sent twice" });
  // A status callback for one of the practice's own reminders, sent to the inbound URL.
  statusCallback(plan, plan.pick(patients), "delivered", plan.at("TWILIO", 3, 10, 2));
}

/**
 * A status callback for a message the team sent (`StatusCallback` pointed at the inbound URL by
 * mistake): signed like every Twilio webhook.
 */
function statusCallback(plan: DemoPlan, patient: string, status: "delivered" | "undelivered", sentAt: Date) {
  const number = plan.number("TWILIO");
  const sid = `SM${hex(plan.random, 16)}`;
  const params: [string, string][] = [
    ["SmsSid", sid],
    ["SmsStatus", status],
    ["MessageStatus", status],
    ["To", patient],
    ["MessageSid", sid],
    ["AccountSid", `AC${hex(plan.random, 16)}`],
    ["From", number.e164],
    ["ApiVersion", "2010-04-01"],
  ];
  const token = (number.credentials as { authToken?: string } | null | undefined)?.authToken;
  const request: SimulatedRequest = {
    method: "POST",
    query: new URLSearchParams(),
    body: new URLSearchParams(params).toString(),
    contentType: "application/x-www-form-urlencoded",
    ...(token && number.url ? { headers: { [SIGNATURE_HEADER]: signTwilioRequest(token, number.url, params) }, signed: true } : {}),
  };
  plan.request("TWILIO", new Date(sentAt.getTime() + plan.lag()), request, 200, `a status callback (${status})`);
}

function hex(random: () => number, bytes: number): string {
  return Array.from({ length: bytes }, () => Math.floor(random() * 256).toString(16).padStart(2, "0")).join("");
}
