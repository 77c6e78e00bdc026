/**
 * The demo's Zagreb promotions number: everyday questions, then a SALE campaign six days ago and
 * a WIN prize draw three days ago, replies arriving in Infobip's batches; a few STOPs after the
 * blast and one after the draw; a delivery report sent to the inbound URL.
 */
import type { Country, DemoPlan, Line, ProviderDemo } from "@/lib/demo-traffic";
import { jsonRequest } from "../simulation";

export const infobipDemo: ProviderDemo = {
  e164: "+385921004026",
  label: "Zagreb promotions",
  utcOffset: 1,
  plan,
};

const HOUR = 60 * 60_000;

function plan(plan: DemoPlan) {
  // Before the campaigns: everyday questions, a quiz, subscriptions.
  const everyday: Line[][] = [
    ["JOIN", { text: "INFO", after: "days" }],
    ["Bok! Radite li u nedjelju?", "Hvala!"],
    ["Gdje je najbliža poslovnica?", "Super, hvala. Vidimo se u subotu."],
    ["KUPON", "Hvala, kupon radi!"],
    ["QUIZ Pariz"],
    ["QUIZ Rim", { text: "QUIZ Pariz", after: "days" }],
    ["Hallo, gilt der Gutschein auch in Split?", "Danke schön!"],
    ["Is the Zagreb store open on public holidays?"],
    ["HELP", "Kako da promijenim broj mobitela za obavijesti?"],
    ["Koliko traje akcija na zimske jakne?"],
    ["JOIN"],
    ["INFO", "Imate li dostavu na otoke?"],
    ["JOIN", { text: "KUPON", after: "days" }],
    ["Bonjour, est-ce que la carte fidélité marche aussi en Slovénie ?"],
    ["INFO", "Do you have the Nike Pegasus in size 44?", "Thanks, I'll come by tomorrow"],
    ["Dobar dan, izgubio sam karticu vjernosti. Mogu li dobiti novu?", "Hvala na brzom odgovoru"],
    ["QUIZ London", "QUIZ Pariz"],
    ["JOIN", "HELP"],
    ["Guten Morgen, haben Sie am Samstag geöffnet?"],
  ];
  const countries: Country[] = ["HR", "HR", "HR", "HR", "HR", "HR", "DE", "UK", "HR", "HR", "HR", "HR", "HR", "FR", "UK", "HR", "HR", "HR", "DE"];
  everyday.forEach((thread, i) => plan.thread("INFOBIP", plan.sender(countries[i]!), thread, plan.randomDay(8, plan.days - 1)));
  // A customer who needed three SMS (Infobip joins them and says so in smsCount).
  plan.message(
    "INFOBIP",
    plan.sender("HR"),
    "Poštovani, jučer sam kupila jaknu na akciji, ali na blagajni nije obračunat popust od 30%. Račun imam sačuvan. Mogu li dobiti povrat razlike? Hvala, Ivana",
    plan.at("INFOBIP", 16, 9),
    { note: "long message, joined by Infobip" },
  );

  // The SALE campaign went out six days ago at 10:00; replies pour in, then taper off.
  const saleTexts = ["SALE", "SALE", "Sale", "sale", "SALE pls", "SALE Zagreb", "SALE Split", "SALE 🛍️", "SALE", "SALE Rijeka"];
  const saleSenders = Array.from({ length: 36 }, (_, i) => plan.sender(i % 7 === 3 ? "DE" : i % 9 === 5 ? "UK" : "HR"));
  const launch = plan.at("INFOBIP", 6, 10, 0);
  burst(plan, launch, saleSenders.slice(0, 22).map((from, i) => ({ from, text: saleTexts[i % saleTexts.length]! })), "SALE blast replies");
  const lateSale = rotation(saleSenders.slice(14));
  [0, 6, 5, 4, 3, 3, 2].forEach((count, day) => {
    for (let i = 0; i < count; i++) plan.message("INFOBIP", lateSale(), plan.pick(saleTexts), plan.at("INFOBIP", 6 - day));
  });
  // "Last two days of the sale": a reminder two days ago brings another wave.
  burst(plan, plan.at("INFOBIP", 2, 17, 0), saleSenders.slice(22).map((from) => ({ from, text: plan.pick(saleTexts) })), "SALE reminder replies");
  plan.thread("INFOBIP", saleSenders[0]!, ["Koji je kod za popust?", "Vrijedi li SALE i u web shopu?"], plan.at("INFOBIP", 6, 10, 30));
  plan.thread("INFOBIP", saleSenders[2]!, ["Super ponuda 👍 Jesu li i tenisice na popustu?"], plan.at("INFOBIP", 5));
  for (const [i, daysAgo] of [[4, 6], [8, 6], [11, 5]] as const) plan.message("INFOBIP", saleSenders[i]!, i === 8 ? "Stop" : "STOP", plan.at("INFOBIP", daysAgo), { note: "opt-out after the blast" });

  // The WIN prize draw, three days ago at 18:00.
  const winTexts = ["WIN", "WIN", "win", "WIN Ana Kovač", "WIN Marko", "WIN 🎁", "Win", "WIN Petra"];
  const winSenders = [...saleSenders.slice(12, 20), ...Array.from({ length: 10 }, () => plan.sender("HR"))];
  burst(plan, plan.at("INFOBIP", 3, 18, 0), winSenders.slice(0, 14).map((from, i) => ({ from, text: winTexts[i % winTexts.length]! })), "WIN draw replies");
  const lateWin = rotation(winSenders.slice(6));
  [0, 5, 4, 3].forEach((count, day) => {
    for (let i = 0; i < count; i++) plan.message("INFOBIP", lateWin(), plan.pick(winTexts), plan.at("INFOBIP", 3 - day));
  });
  plan.thread("INFOBIP", winSenders[17]!, ["Kada je izvlačenje?", "HELP"], plan.at("INFOBIP", 1, 19));
  // One too many texts for someone who replied to both: unread, so the inbox's first screen shows an opt-out.
  plan.message("INFOBIP", winSenders[0]!, "STOP", new Date(plan.now.getTime() - 20 * HOUR), { note: "opt-out after the draw" });

  const report = {
    results: [
      {
        bulkId: "sale-campaign-launch",
        messageId: "bcfb828b-7df9-4e7b-8715-f34f5c61271a",
        to: saleSenders[1]!.slice(1),
        sentAt: iso(new Date(launch.getTime() - 90_000)),
        doneAt: iso(new Date(launch.getTime() - 84_000)),
        smsCount: 1,
        mccMnc: "21910",
        price: { pricePerMessage: 0.03, currency: "EUR" },
        status: { groupId: 3, groupName: "DELIVERED", id: 5, name: "DELIVERED_TO_HANDSET", description: "Message delivered to handset" },
        error: { groupId: 0, groupName: "OK", id: 0, name: "NO_ERROR", description: "No Error", permanent: false },
      },
    ],
  };
  plan.request("INFOBIP", new Date(launch.getTime() - 80_000), jsonRequest(report), 200, "a delivery report sent to the inbound URL");
}

/** Replies arriving together: Infobip forwards them in batches of a few messages. */
function burst(plan: DemoPlan, start: Date, replies: { from: string; text: string }[], note: string) {
  let at = start.getTime();
  for (let i = 0; i < replies.length; ) {
    const size = Math.min(replies.length - i, 1 + Math.floor(plan.random() * 4));
    const results = replies.slice(i, i + size).map(({ from, text }) => {
      at += 2_000 + Math.floor(plan.random() * 20_000);
      const [request] = plan.simulate("INFOBIP", from, text, new Date(at));
      return (JSON.parse(request!.body!) as { results: Record<string, unknown>[] }).results[0]!;
    });
    plan.request("INFOBIP", new Date(at + plan.lag()), jsonRequest({ results, messageCount: results.length, pendingMessageCount: 0 }), 200, `${note}, a batch of ${size}`);
    i += size;
  }
}

/** Takes senders in turn, so late replies spread over many people rather than a few very keen ones. */
function rotation(senders: string[]): () => string {
  let next = 0;
  return () => senders[next++ % senders.length]!;
}

function iso(date: Date): string {
  return date.toISOString().replace("Z", "+0000");
}
