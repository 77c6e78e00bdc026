/**
 * The demo's US hotline, with signed webhooks: delivery questions, YES/NO confirmations, HELP, a
 * STOP that stays and one taken back with START, long messages (one in the wrong order, one
 * missing a part since yesterday, one still arriving), a binary vCard; an hour of requests
 * signed with an old secret, a developer's unsigned test, delivery receipts sent to the inbound
 * URL.
 */
import type { Country, DemoPlan, Line, ProviderDemo } from "@/lib/demo-traffic";
import type { SimulatedRequest } from "../../types";
import { formRequest } from "../simulation";
import { signVonageParams } from "./signature";

/** The demo number's webhooks are signed, as a careful team sets them up. Public, like the demo password. */
export const DEMO_VONAGE_CREDENTIALS = { signatureMethod: "SHA256", signatureSecret: "moshi-demo-signature-secret" } as const;

export const vonageDemo: ProviderDemo = {
  e164: "+12192259404",
  label: "US hotline",
  credentials: { ...DEMO_VONAGE_CREDENTIALS },
  utcOffset: -6,
  // Vonage retries what got no answer within a few seconds.
  retryDelayMs: [5_000, 6_000],
  plan,
};

const HOUR = 60 * 60_000;

function plan(plan: DemoPlan) {
  const threads: [Country, Line[]][] = [
    ["US", ["Hi, my order #48213 says delivered but I can't find it", "I checked with the neighbors too", "Found it! It was behind the planter. Thanks anyway 🙏"]],
    ["US", ["HELP", "How do I change my delivery address? I moved last week."]],
    ["US", ["Where is my refund? It has been 3 weeks since I sent the blender back.", { text: "Still nothing. This is ridiculous.", after: "days" }, "STOP"]],
    ["US", ["Can I add a second item to order 48377 before it ships?", "Perfect, the blue one please"]],
    ["US", ["Do you price match?", "OK never mind, ordered anyway"]],
    ["UK", ["Hello from Manchester! Do you ship to the UK?", "Brilliant, cheers"]],
    ["DE", ["Guten Tag, ist die Bestellung 48290 schon unterwegs?", "Vielen Dank für die schnelle Antwort!"]],
    ["US", ["Is the 20% off code still valid?", "It says expired at checkout 😕", "Worked now, thanks!"]],
    ["US", ["My package was left in the rain and the box is soaked", "Everything inside is fine actually, just wanted you to know"]],
    ["US", ["What time does the driver usually come on Saturdays?"]],
    ["FR", ["Bonjour, est-ce que vous livrez en France ?"]],
    ["US", ["Thank you so much for the birthday coupon!! 🎂🎉"]],
    ["US", ["HELP", "I was charged twice for order 48455", { text: "Refund showed up today, thank you", after: "days" }]],
    ["US", ["Can the driver leave it with the doorman?", "Building 4, the doorman is there until 10pm"]],
    ["DE", ["Hallo, kann ich die Lieferadresse noch ändern? Bestellung 48471", "Neue Adresse: Lindenstraße 12, 10969 Berlin", "Danke!"]],
    ["US", ["Is there a store in Chicago where I can return this?"]],
    ["UK", ["Cheers for sorting the exchange so quickly 👍"]],
  ];
  for (const [country, thread] of threads) plan.thread("VONAGE", plan.sender(country), thread, plan.randomDay(1, plan.days - 1));

  // Replies to "Reply YES to confirm your delivery window, NO to pick another".
  const replies = ["YES", "YES", "Yes", "yes", "Y", "YES thanks", "Yes!", "NO", "No", "NO can we do Thursday instead?", "no"];
  const repliers = Array.from({ length: 30 }, (_, i) => plan.sender(i % 6 === 5 ? "UK" : "US"));
  for (let i = 0; i < 52; i++) plan.message("VONAGE", plan.pick(repliers), plan.pick(replies), plan.at("VONAGE", plan.randomDay(0, plan.days - 1)));

  // Opted out, then back in five days later.
  plan.thread("VONAGE", plan.sender("US"), ["STOP", { text: "START", after: "days" }, "Sorry, I unsubscribed by mistake. I do want the delivery updates."], plan.at("VONAGE", 18));

  // Long messages: two parts; three parts arriving out of order; emoji in UCS-2 parts.
  plan.message(
    "VONAGE",
    plan.sender("US"),
    "Hello, I ordered the walnut standing desk on the 3rd and the delivery window has been moved twice now. I took a day off work for the first one. Can someone please call me back before Friday to arrange a fixed time? Thanks, Dana",
    plan.at("VONAGE", 12),
  );
  plan.message(
    "VONAGE",
    plan.sender("US"),
    "Hi there, quick feedback on the new app: tracking works great, but the map never loads on my phone (Android 14, latest update). Also the notification for \"out for delivery\" came two hours after the driver had already left the parcel at my door. Otherwise love the service, and the driver on our route is always friendly. Keep it up!",
    plan.at("VONAGE", 8),
    { order: [2, 1, 3], note: "three parts, out of order" },
  );
  plan.message("VONAGE", plan.sender("US"), "Just got the package and my kids are thrilled! The dinosaur lamp is even better than in the pictures 😍 Thank you for the handwritten note too 🎁", plan.at("VONAGE", 4), { note: "unicode, in parts" });
  // A long message whose middle part never arrived: incomplete since a few hours ago, so it is
  // among the inbox's first conversations.
  plan.message(
    "VONAGE",
    plan.sender("US"),
    "I need to return the office chair from order 48402. The gas lift sinks every time I sit down, it has done this since day one. I still have the original box. Please send me a return label to this number or to the email on my account, and let me know if you need photos or a video of the problem first. I am home most afternoons if a courier needs to pick it up.",
    new Date(plan.now.getTime() - 27 * HOUR),
    { missing: [2], note: "three parts, part 2 lost" },
  );
  // Still arriving: two of three parts are here.
  plan.message(
    "VONAGE",
    plan.sender("UK"),
    "Hi, I've just moved into the flat above the bakery on Elm Street and there are three parcels for the previous tenant in the hallway. They have your labels on them. Should I leave them with the bakery downstairs, or is there a way to send them back to you? I would rather not leave them in the hallway over the weekend.",
    new Date(plan.now.getTime() - 7 * 60_000),
    { missing: [3], newest: true, note: "three parts, the last one still on its way" },
  );
  // A contact card sent as binary data (destination port 9204, vCard).
  binary(plan, plan.sender("US"), "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Rivera;Sam\r\nTEL;CELL:+12025550143\r\nEND:VCARD\r\n", "06050423F40000", plan.at("VONAGE", 9));

  // An hour with the old signature secret (it was rotated in the Vonage dashboard first): refused.
  // Within the last week, so the default Statistics period shows why.
  const wrongSecret = plan.at("VONAGE", 5, 14, 5);
  for (const [i, text] of ["YES", "Is my order on the way?", "YES"].entries()) {
    plan.message("VONAGE", plan.pick(repliers), text, new Date(wrongSecret.getTime() + i * 17 * 60_000), {
      credentials: { signatureMethod: "SHA256", signatureSecret: "the-previous-secret" },
      retryParts: [],
      expectedStatus: 401,
      note: "signed with the previous secret",
    });
  }
  // A developer trying the URL by hand, without a signature.
  plan.message("VONAGE", "+15555550100", "test", plan.at("VONAGE", 21, 11), { credentials: null, format: "get", retryParts: [], expectedStatus: 401, note: "an unsigned test" });
  // Receipts for the team's own outgoing texts, sent to the inbound URL by mistake.
  receipt(plan, plan.pick(repliers), "delivered", plan.at("VONAGE", 2, 15));
  receipt(plan, plan.pick(repliers), "failed", plan.at("VONAGE", 2, 15, 40));
}

/** A binary message: hex data with its User Data Header, as a handset sends a vCard. */
function binary(plan: DemoPlan, from: string, content: string, udh: string, sentAt: Date) {
  const params = {
    ...envelope(plan, from, sentAt),
    type: "binary",
    data: Buffer.from(content, "latin1").toString("hex").toUpperCase(),
    udh,
  };
  plan.request("VONAGE", new Date(sentAt.getTime() + plan.lag()), signedForm(plan, params), 200, "a binary vCard");
}

/** A delivery receipt for one of the team's own messages, posted to the inbound URL. */
function receipt(plan: DemoPlan, customer: string, status: "delivered" | "failed", sentAt: Date) {
  const scts = sentAt.toISOString().slice(2, 16).replace(/[-T:]/g, "");
  const params = {
    ...envelope(plan, customer, sentAt),
    "network-code": "310260",
    price: "0.00790000",
    status,
    scts,
    "err-code": status === "delivered" ? "0" : "5",
    "api-key": "a1b2c3d4",
  };
  plan.request("VONAGE", new Date(sentAt.getTime() + plan.lag()), signedForm(plan, params), 200, `a delivery receipt (${status})`);
}

function envelope(plan: DemoPlan, msisdn: string, sentAt: Date) {
  return {
    msisdn: msisdn.slice(1),
    to: plan.number("VONAGE").e164.slice(1),
    messageId: hex(plan.random, 8).toUpperCase(),
    "message-timestamp": sentAt.toISOString().slice(0, 19).replace("T", " "),
    timestamp: String(Math.floor(sentAt.getTime() / 1000)),
    nonce: [hex(plan.random, 4), hex(plan.random, 2), hex(plan.random, 2), hex(plan.random, 2), hex(plan.random, 6)].join("-"),
  };
}

/** A form POST, signed with the number's secret when it has one. */
function signedForm(plan: DemoPlan, params: Record<string, string>): SimulatedRequest {
  const credentials = plan.number("VONAGE").credentials as { signatureMethod?: "SHA256"; signatureSecret?: string } | null | undefined;
  const signed = credentials?.signatureSecret ? { ...params, sig: signVonageParams(params, credentials.signatureSecret, credentials.signatureMethod ?? "SHA256") } : params;
  return formRequest(signed);
}

function hex(random: () => number, bytes: number): string {
  return Array.from({ length: bytes }, () => Math.floor(random() * 256).toString(16).padStart(2, "0")).join("");
}
