/**
 * The demo's Chicago hotel front desk, signed with the published RFC 8032 test key (its public
 * half stored as the number's key, its private half signing the simulated requests): guests
 * writing in English, Spanish, Polish, Korean, Japanese, French and German, emoji included; one
 * webhook replayed by hand from a log long after Telnyx signed it, refused as stale.
 */
import type { Country, DemoPlan, Line, ProviderDemo } from "@/lib/demo-traffic";
import { RFC8032_PUBLISHED_TEST_KEY } from "./signature";

export const telnyxDemo: ProviderDemo = {
  e164: "+13125550142",
  label: "Chicago front desk",
  credentials: { publicKey: RFC8032_PUBLISHED_TEST_KEY.publicKey },
  // A team never holds Telnyx's private key; the demo signs with the RFC's published one.
  signWith: { ...RFC8032_PUBLISHED_TEST_KEY },
  utcOffset: -6,
  plan,
};

const HOUR = 60 * 60_000;

function plan(plan: DemoPlan) {
  const threads: [Country, Line[]][] = [
    ["US", ["Hi! Could we get two extra pillows sent up to 1204?", "That was fast, thank you!"]],
    ["ES", ["Hola, ¿podrían subir más toallas a la habitación 815? Gracias 🙏", "¡Muchas gracias!"]],
    ["PL", ["Dzień dobry, czy mogę prosić o późne wymeldowanie jutro? Pokój 1107.", "Dziękuję bardzo!"]],
    ["KR", ["안녕하세요, 조식은 몇 시부터인가요?", "감사합니다 😊"]],
    ["US", ["Is the rooftop bar open tonight?", "Great, see you up there"]],
    ["DE", ["Guten Abend, können Sie mir ein Taxi für 5 Uhr morgen früh zum Flughafen O'Hare bestellen?", "Danke, perfekt!"]],
    ["JP", ["チェックアウトは何時ですか？", "ありがとうございます！"]],
    ["FR", ["Bonsoir, le wifi ne marche pas dans la chambre 903 😕", { text: "Merci pour le séjour, tout était parfait ✨", after: "days" }]],
    ["US", ["I left my phone charger in room 412, checked out this morning. Could you hold it for me?", "I'll pick it up Friday, thanks!"]],
    ["UK", ["Could we book a table for four at the restaurant at 8?"]],
  ];
  for (const [country, thread] of threads) plan.thread("TELNYX", plan.sender(country), thread, plan.randomDay(2, plan.days - 1));

  // A developer replayed a webhook from the log to debug their integration, 40 minutes after
  // Telnyx signed it: the signature is genuine but too old, so the replay is refused (the
  // message itself had arrived, on time).
  const guest = plan.sender("US");
  const sentAt = plan.at("TELNYX", 11, 15, 10);
  const [request] = plan.simulate("TELNYX", guest, "Do you have a parking garage? We are driving in from Milwaukee tomorrow", sentAt);
  plan.request("TELNYX", new Date(sentAt.getTime() + plan.lag()), request!, 200, "a message");
  plan.request("TELNYX", new Date(sentAt.getTime() + 40 * 60_000 + Math.floor(plan.random() * 60_000)), request!, 401, "the same webhook replayed by hand 40 minutes later");

  plan.message("TELNYX", plan.sender("US"), "Hi, we're checking in late tonight, around 1am. Is that ok? Reservation under Okafor", new Date(plan.now.getTime() - 6 * HOUR), { retryParts: [] });
}
