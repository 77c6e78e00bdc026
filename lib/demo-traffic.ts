/**
 * Thirty days of inbound traffic for the demo team, described as the provider requests that
 * would have carried it. Nothing here touches the database: `seedDemo` (lib/demo.ts) pushes
 * every request through the real ingestion pipeline at its planned time, so each message has
 * the delivery it came in, retries are absorbed, long messages are joined from their parts and
 * refusals are logged with their reasons, exactly as for a provider's traffic.
 *
 * The story, per number:
 * - Tokyo support line (Rakuten): Japanese and English customers, long messages split with a
 *   UDH, one that never got its middle part; a browser opening the URL (405) and a body cut
 *   short (400). It has been silent for the last five days.
 * - Zagreb promotions (Infobip): everyday questions, then a SALE campaign six days ago and a
 *   WIN prize draw three days ago, replies arriving in batches; a few STOPs after the blast and
 *   one after the draw; a delivery report sent to the inbound URL.
 * - US hotline (Vonage, signed): delivery questions, YES/NO confirmations, HELP, a STOP that
 *   stays and one taken back with START, long messages (one in the wrong order, one missing a
 *   part since yesterday, one still arriving), a binary vCard; an hour of requests signed with an old secret,
 *   a developer's unsigned test, delivery receipts sent to the inbound URL.
 *
 * Everything comes from one seeded generator, so the demo reads the same every time; times are
 * relative to `now`, on each number's local daily rhythm.
 */
import { isGsm7Text } from "@/lib/sms/decode";
import { signVonageParams } from "@/lib/sms/providers/vonage/signature";
import { buildDeliveries, type SimulatedMessage, type SimulatedRequest } from "@/lib/sms/simulate";
import type { Provider } from "@/lib/sms/types";

/** A demo number as the plan needs it: where messages go, and how its provider signs them. */
export type DemoNumber = { e164: string; credentials: SimulatedMessage["credentials"] };

/** One request a provider sends to a demo number, and when it arrives. */
export type DemoDelivery = {
  provider: Provider;
  receivedAt: Date;
  request: SimulatedRequest;
  /** What the pipeline answers; seeding stops if it answers anything else. */
  expectedStatus: number;
  /** What the request is in the story, for reading the plan and for errors. */
  note: string;
};

/** Keywords the demo team has named, so they show as labelled chips. */
export const DEMO_KEYWORDS = [
  { word: "SALE", label: "Sale campaign", color: "orange" },
  { word: "WIN", label: "Prize draw", color: "violet" },
  { word: "STOP", label: "Opt-out", color: "red" },
] as const;

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

/** How many days of traffic the demo has, up to today. */
export const DEMO_DAYS = 30;

/** Conversations whose latest message is older than this have been read: the team works its inbox daily. */
export const DEMO_READ_AFTER_MS = 30 * HOUR;

/** The Tokyo line has been silent this long, so its "last message" stands out on Statistics. */
export const DEMO_SILENT_MS = 5 * DAY;
/** The stretch before `now` kept for the messages planned as the newest. */
const QUIET_MS = 15 * 60_000;

const DEMO_SEED = 20_240_917;

/** The numbers' local time (hours from UTC), for the daily rhythm. */
const UTC_OFFSET: Partial<Record<Provider, number>> = { RAKUTEN: 9, INFOBIP: 1, VONAGE: -6 };

/**
 * Every request of the demo's thirty days, in the order they arrive. Deterministic for a given
 * `now` and seed; nothing later than `now` is planned.
 */
export function planDemoTraffic({ now, numbers, seed = DEMO_SEED }: { now: Date; numbers: Partial<Record<Provider, DemoNumber>>; seed?: number }): DemoDelivery[] {
  const plan = new TrafficPlan(now, numbers, seededRandom(seed));
  planTokyo(plan);
  planZagreb(plan);
  planUsHotline(plan);
  return plan.finish();
}

// ---------------------------------------------------------------------------------------------
// Rakuten: the Tokyo support line

function planTokyo(plan: TrafficPlan) {
  const threads: Line[][] = [
    ["こんにちは。注文した商品がまだ届いていません。注文番号は20931です。", "追跡番号を教えていただけますか？", { text: "届きました！ありがとうございます😊", after: "days" }],
    ["予約の変更をお願いしたいです。明日の15時は空いていますか？", "はい、15時でお願いします。", "ありがとうございます。"],
    [
      "先日購入したコーヒーメーカーについて質問があります。電源を入れると赤いランプが点滅して、お湯が出てきません。説明書の通りに水タンクを洗って、もう一度セットしましたが同じ状態です。保証期間内なので、交換か修理をお願いできますか？",
      "レシートの写真はどこに送ればいいですか？",
      { text: "交換品が届きました。問題なく動いています。ありがとうございました！", after: "days" },
    ],
    ["了解です👍 明日受け取ります"],
    ["キャンセルしたいです", "注文番号20988です。よろしくお願いします。", "確認しました。ありがとうございます。"],
    ["はい"],
    ["はい", { text: "はい、大丈夫です", after: "days" }],
    ["いいえ", "来週の月曜日に変更できますか？"],
    ["OK"],
    ["ポイントカードの番号を忘れてしまいました。電話番号で確認できますか？", "090で始まるこの番号です。"],
    ["営業時間を教えてください🙏"],
    ["領収書を発行していただけますか？宛名は株式会社ミナトでお願いします。", "PDFで大丈夫です。", "受け取りました。助かりました！"],
    ["ギフト包装はできますか？", "のし紙もお願いできますか🎁"],
    ["いいえ", { text: "やっぱり明日で大丈夫です。", after: "days" }],
    ["HELP", "パスワードを忘れてログインできません。"],
  ];
  const english: Line[][] = [
    [
      "Hi, do you have English support? My Japanese is not great.",
      "Great, thank you! My order #20977 arrived damaged, the box was crushed and the glass lid of the rice cooker is cracked in two places. Can I get a replacement lid only?",
      "Photos sent by email. Thanks for the quick help!",
    ],
    ["Is the Shibuya pickup counter open on Sunday?", "OK thanks"],
  ];
  const senders = [...threads.map(() => plan.sender("JP")), plan.sender("US"), plan.sender("UK")];
  [...threads, ...english].forEach((thread, i) => plan.thread("RAKUTEN", senders[i]!, thread, plan.randomDay(6, DEMO_DAYS - 1)));

  // A long message whose middle part never came: incomplete since the day after.
  plan.message("RAKUTEN", plan.sender("JP"), "配送先の住所を変更したいです。新しい住所は東京都世田谷区三軒茶屋二丁目十一番地、サンハイツ三〇二号室です。平日の日中は不在のことが多いので、できれば土曜日の午前中に配達していただけると助かります。インターホンが壊れているので、到着したらこの番号にお電話ください。よろしくお願いいたします。", plan.at("RAKUTEN", 9, 11), { missing: [2], note: "long message, part 2 lost" });
  // The handset split this one; the first part was delivered twice (Rakuten got no answer in time).
  plan.message("RAKUTEN", plan.sender("UK"), "Hello, I am staying at the Park Hotel until Friday and would like my parcel delivered to the front desk instead of my home address. The booking is under the name Whitfield, room 1412. Is that possible?", plan.at("RAKUTEN", 7, 20), { retryParts: [1], note: "two parts, the first delivered twice" });

  plan.raw("RAKUTEN", plan.at("RAKUTEN", 14, 16), { method: "GET", query: new URLSearchParams(), body: null, contentType: null }, 405, "the URL opened in a browser");
  plan.raw(
    "RAKUTEN",
    plan.at("RAKUTEN", 11, 15),
    { method: "POST", query: new URLSearchParams(), contentType: "application/json", body: '{"message_id":"rk-7f3a9c","sender_address":"819044470312","destination_address":"815012345678","content_type":"text","udh":"","message_bo' },
    400,
    "a body cut short",
  );
}

// ---------------------------------------------------------------------------------------------
// Infobip: Zagreb promotions

function planZagreb(plan: TrafficPlan) {
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
  everyday.forEach((thread, i) => plan.thread("INFOBIP", plan.sender(countries[i]!), thread, plan.randomDay(8, DEMO_DAYS - 1)));
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
  plan.infobipBurst(launch, saleSenders.slice(0, 22).map((from, i) => ({ from, text: saleTexts[i % saleTexts.length]! })), "SALE blast replies");
  const lateSale = rotation(saleSenders.slice(14));
  [0, 6, 5, 4, 3, 3, 2].forEach((count, day) => {
    for (let i = 0; i < count; i++) plan.message("INFOBIP", lateSale(), plan.pick(saleTexts), plan.at("INFOBIP", 6 - day));
  });
  // "Last two days of the sale": a reminder two days ago brings another wave.
  plan.infobipBurst(plan.at("INFOBIP", 2, 17, 0), saleSenders.slice(22).map((from) => ({ from, text: plan.pick(saleTexts) })), "SALE reminder replies");
  plan.thread("INFOBIP", saleSenders[0]!, ["Koji je kod za popust?", "Vrijedi li SALE i u web shopu?"], plan.at("INFOBIP", 6, 10, 30));
  plan.thread("INFOBIP", saleSenders[2]!, ["Super ponuda 👍 Jesu li i tenisice na popustu?"], plan.at("INFOBIP", 5));
  for (const [i, daysAgo] of [[4, 6], [8, 6], [11, 5]] as const) plan.message("INFOBIP", saleSenders[i]!, i === 8 ? "Stop" : "STOP", plan.at("INFOBIP", daysAgo), { note: "opt-out after the blast" });

  // The WIN prize draw, three days ago at 18:00.
  const winTexts = ["WIN", "WIN", "win", "WIN Ana Kovač", "WIN Marko", "WIN 🎁", "Win", "WIN Petra"];
  const winSenders = [...saleSenders.slice(12, 20), ...Array.from({ length: 10 }, () => plan.sender("HR"))];
  plan.infobipBurst(plan.at("INFOBIP", 3, 18, 0), winSenders.slice(0, 14).map((from, i) => ({ from, text: winTexts[i % winTexts.length]! })), "WIN draw replies");
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
  plan.raw("INFOBIP", new Date(launch.getTime() - 80_000), json(report), 200, "a delivery report sent to the inbound URL");
}

// ---------------------------------------------------------------------------------------------
// Vonage: the US hotline (signed webhooks)

function planUsHotline(plan: TrafficPlan) {
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
  for (const [country, thread] of threads) plan.thread("VONAGE", plan.sender(country), thread, plan.randomDay(1, DEMO_DAYS - 1));

  // Replies to "Reply YES to confirm your delivery window, NO to pick another".
  const replies = ["YES", "YES", "Yes", "yes", "Y", "YES thanks", "Yes!", "NO", "No", "NO can we do Thursday instead?", "no"];
  const repliers = Array.from({ length: 30 }, (_, i) => plan.sender(i % 6 === 5 ? "UK" : "US"));
  for (let i = 0; i < 52; i++) plan.message("VONAGE", plan.pick(repliers), plan.pick(replies), plan.at("VONAGE", plan.randomDay(0, DEMO_DAYS - 1)));

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
  plan.vonageBinary(plan.sender("US"), "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Rivera;Sam\r\nTEL;CELL:+12025550143\r\nEND:VCARD\r\n", "06050423F40000", plan.at("VONAGE", 9));

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
  plan.vonageReceipt(plan.pick(repliers), "delivered", plan.at("VONAGE", 2, 15));
  plan.vonageReceipt(plan.pick(repliers), "failed", plan.at("VONAGE", 2, 15, 40));
}

// ---------------------------------------------------------------------------------------------
// The plan and its helpers

type Country = "JP" | "US" | "UK" | "HR" | "DE" | "FR";

/** A line of a thread; `after: "days"` leaves a day or more before it instead of minutes. */
type Line = string | { text: string; after: "days" };

type MessageOptions = {
  /**
   * Planned to be the newest arrival: whatever else the daily rhythm would put in the last
   * {@link QUIET_MS} is left out, so it stays on top at any time of day.
   */
  newest?: boolean;
  /** Part indexes (1-based) that never arrive. */
  missing?: number[];
  /** The order the parts arrive in (1-based indexes). */
  order?: number[];
  /** Parts delivered twice; by default a few messages are, at random, as providers retry. */
  retryParts?: number[];
  credentials?: DemoNumber["credentials"];
  format?: "get" | "form" | "json";
  expectedStatus?: number;
  note?: string;
};

class TrafficPlan {
  private readonly deliveries: DemoDelivery[] = [];
  private readonly newest = new Set<DemoDelivery>();
  private readonly taken = new Set<string>();

  constructor(
    readonly now: Date,
    private readonly numbers: Partial<Record<Provider, DemoNumber>>,
    private readonly random: () => number,
  ) {}

  private numberOf(provider: Provider): DemoNumber {
    const number = this.numbers[provider];
    if (!number) throw new Error(`Demo traffic: no demo number for ${provider}`);
    return number;
  }

  /** A new sender from a country, in a fictional or test range where the country has one. */
  sender(country: Country): string {
    for (;;) {
      const number = SENDER_FORMATS[country](() => this.digit());
      if (!this.taken.has(number)) {
        this.taken.add(number);
        return number;
      }
    }
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  randomDay(from: number, to: number): number {
    return from + Math.floor(this.random() * (to - from + 1));
  }

  /**
   * A moment on a local day `daysAgo` days before today, at a given local hour or at one picked
   * on the daily rhythm (quiet at night, busy at lunch and in the evening).
   */
  at(provider: Provider, daysAgo: number, hour = this.pickHour(), minute = Math.floor(this.random() * 60)): Date {
    const offset = (UTC_OFFSET[provider] ?? 0) * HOUR;
    const localMidnight = Math.floor((this.now.getTime() + offset) / DAY) * DAY;
    return new Date(localMidnight - daysAgo * DAY - offset + hour * HOUR + minute * 60_000 + Math.floor(this.random() * 60_000));
  }

  /** A sender's messages, minutes apart (or days, where a line says so), from `start`. */
  thread(provider: Provider, from: string, lines: Line[], start: Date | number) {
    let at = typeof start === "number" ? this.at(provider, start) : start;
    for (const [i, line] of lines.entries()) {
      const text = typeof line === "string" ? line : line.text;
      if (i > 0) at = new Date(at.getTime() + (typeof line === "string" ? this.replyGap() : this.daysGap()));
      this.message(provider, from, text, at);
    }
  }

  /**
   * One SMS as its provider delivers it: sent at `sentAt`, arriving a few seconds later, split
   * into as many parts as the handset would need (Infobip joins them itself).
   */
  message(provider: Provider, from: string, text: string, sentAt: Date, options: MessageOptions = {}) {
    const number = this.numberOf(provider);
    const requests = buildDeliveries({
      provider,
      from,
      to: number.e164,
      text,
      parts: segments(text),
      ...(provider === "VONAGE" ? { format: options.format ?? "form" } : {}),
      credentials: options.credentials === undefined ? number.credentials : options.credentials,
      now: sentAt,
      random: this.random,
    });
    const order = (options.order ?? requests.map((_, i) => i + 1)).filter((index) => !options.missing?.includes(index));
    if (order.some((index) => !requests[index - 1]) || options.missing?.some((index) => !requests[index - 1])) {
      throw new Error(`Demo traffic: "${text.slice(0, 30)}…" has ${requests.length} parts, fewer than its plan names`);
    }
    const retried = options.retryParts ?? (this.random() < 0.05 ? [order[0]!] : []);
    let at = sentAt.getTime() + this.lag();
    for (const index of order) {
      const request = requests[index - 1]!;
      const note = options.note ?? (requests.length > 1 ? `part ${index} of ${requests.length}` : "a message");
      const delivery = this.push(provider, new Date(at), request, options.expectedStatus ?? 200, note);
      if (options.newest) this.newest.add(delivery);
      if (retried.includes(index)) this.push(provider, new Date(at + this.retryDelay(provider)), request, options.expectedStatus ?? 200, `${note} (a retry)`);
      at += 400 + Math.floor(this.random() * 2500);
    }
  }

  /** Replies arriving together: Infobip forwards them in batches of a few messages. */
  infobipBurst(start: Date, replies: { from: string; text: string }[], note: string) {
    let at = start.getTime();
    for (let i = 0; i < replies.length; ) {
      const size = Math.min(replies.length - i, 1 + Math.floor(this.random() * 4));
      const results = replies.slice(i, i + size).map(({ from, text }) => {
        at += 2_000 + Math.floor(this.random() * 20_000);
        const [request] = buildDeliveries({ provider: "INFOBIP", from, to: this.numberOf("INFOBIP").e164, text, now: new Date(at), random: this.random });
        return (JSON.parse(request!.body!) as { results: Record<string, unknown>[] }).results[0]!;
      });
      this.push("INFOBIP", new Date(at + this.lag()), json({ results, messageCount: results.length, pendingMessageCount: 0 }), 200, `${note}, a batch of ${size}`);
      i += size;
    }
  }

  /** A Vonage binary message: hex data with its User Data Header, as a handset sends a vCard. */
  vonageBinary(from: string, content: string, udh: string, sentAt: Date) {
    const params = {
      ...this.vonageEnvelope(from, sentAt),
      type: "binary",
      data: Buffer.from(content, "latin1").toString("hex").toUpperCase(),
      udh,
    };
    this.push("VONAGE", new Date(sentAt.getTime() + this.lag()), this.vonageForm(params), 200, "a binary vCard");
  }

  /** A Vonage delivery receipt for one of the team's own messages, posted to the inbound URL. */
  vonageReceipt(customer: string, status: "delivered" | "failed", sentAt: Date) {
    const scts = sentAt.toISOString().slice(2, 16).replace(/[-T:]/g, "");
    const params = {
      ...this.vonageEnvelope(customer, sentAt),
      "network-code": "310260",
      price: "0.00790000",
      status,
      scts,
      "err-code": status === "delivered" ? "0" : "5",
      "api-key": "a1b2c3d4",
    };
    this.push("VONAGE", new Date(sentAt.getTime() + this.lag()), this.vonageForm(params), 200, `a delivery receipt (${status})`);
  }

  /** A request built by hand, for what no simulator builds: broken or misdirected requests. */
  raw(provider: Provider, receivedAt: Date, request: SimulatedRequest, expectedStatus: number, note: string) {
    this.push(provider, receivedAt, request, expectedStatus, note);
  }

  /**
   * The deliveries in arrival order, without any planned after `now`, on the silent line, or in
   * the quiet stretch kept for the newest messages.
   */
  finish(): DemoDelivery[] {
    const now = this.now.getTime();
    const arrived = (d: DemoDelivery) => d.receivedAt.getTime() < now && (this.newest.has(d) || d.receivedAt.getTime() <= now - QUIET_MS);
    return this.deliveries
      .filter((d) => arrived(d) && !(d.provider === "RAKUTEN" && d.receivedAt.getTime() > now - DEMO_SILENT_MS))
      .map((d, i) => ({ d, i }))
      .sort((a, b) => a.d.receivedAt.getTime() - b.d.receivedAt.getTime() || a.i - b.i)
      .map(({ d }) => d);
  }

  private push(provider: Provider, receivedAt: Date, request: SimulatedRequest, expectedStatus: number, note: string): DemoDelivery {
    const delivery = { provider, receivedAt, request, expectedStatus, note };
    this.deliveries.push(delivery);
    return delivery;
  }

  private vonageEnvelope(msisdn: string, sentAt: Date) {
    return {
      msisdn: msisdn.slice(1),
      to: this.numberOf("VONAGE").e164.slice(1),
      messageId: hex(this.random, 8).toUpperCase(),
      "message-timestamp": sentAt.toISOString().slice(0, 19).replace("T", " "),
      timestamp: String(Math.floor(sentAt.getTime() / 1000)),
      nonce: [hex(this.random, 4), hex(this.random, 2), hex(this.random, 2), hex(this.random, 2), hex(this.random, 6)].join("-"),
    };
  }

  private vonageForm(params: Record<string, string>): SimulatedRequest {
    const credentials = this.numberOf("VONAGE").credentials as { signatureMethod?: "SHA256"; signatureSecret?: string } | null | undefined;
    const signed = credentials?.signatureSecret ? { ...params, sig: signVonageParams(params, credentials.signatureSecret, credentials.signatureMethod ?? "SHA256") } : params;
    return { method: "POST", query: new URLSearchParams(), body: new URLSearchParams(signed).toString(), contentType: "application/x-www-form-urlencoded; charset=UTF-8" };
  }

  private digit(): string {
    return String(Math.floor(this.random() * 10));
  }

  private pickHour(): number {
    const total = HOURLY_WEIGHTS.reduce((sum, w) => sum + w, 0);
    let roll = this.random() * total;
    for (const [hour, weight] of HOURLY_WEIGHTS.entries()) {
      roll -= weight;
      if (roll < 0) return hour;
    }
    return 12;
  }

  /** Provider timestamp to arrival: a few seconds, now and then much longer. */
  private lag(): number {
    return this.random() < 0.06 ? 20_000 + Math.floor(this.random() * 70_000) : 700 + Math.floor(this.random() * 4_500);
  }

  /** How long a provider waits before sending again what got no answer in time. */
  private retryDelay(provider: Provider): number {
    if (provider === "VONAGE") return 5_000 + Math.floor(this.random() * 1_000);
    return 30_000 + Math.floor(this.random() * 90_000);
  }

  private replyGap(): number {
    const roll = this.random();
    if (roll < 0.75) return 60_000 + Math.floor(this.random() * 25 * 60_000);
    return HOUR + Math.floor(this.random() * 5 * HOUR);
  }

  private daysGap(): number {
    return DAY + Math.floor(this.random() * 4 * DAY);
  }
}

/** Relative weights of each local hour, 0–23. */
const HOURLY_WEIGHTS = [0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.6, 1.5, 3, 4, 4.5, 5, 6, 5.5, 4.5, 4, 4, 4.5, 5.5, 6, 5.5, 4, 2, 0.8];

/** Phone numbers in fictional or test ranges where the country reserves one (US 555-01xx, UK 07700 900xxx, FR 06 39 98). */
const SENDER_FORMATS: Record<Country, (digit: () => string) => string> = {
  JP: (d) => `+81${["90", "80", "70"][Number(d()) % 3]}${repeat(d, 8)}`,
  US: (d) => `+1${["212", "312", "415", "646", "219", "773"][Number(d()) % 6]}55501${repeat(d, 2)}`,
  UK: (d) => `+447700900${repeat(d, 3)}`,
  HR: (d) => `+385${["91", "92", "95", "97", "98", "99"][Number(d()) % 6]}${repeat(d, 7)}`,
  DE: (d) => `+49151${repeat(d, 8)}`,
  FR: (d) => `+3363998${repeat(d, 4)}`,
};

/** How many SMS a handset needs for a text: 153 GSM-7 characters or 67 UCS-2 code units per part. */
function segments(text: string): number {
  const [single, part] = isGsm7Text(text) ? [160, 153] : [70, 67];
  return text.length <= single ? 1 : Math.ceil(text.length / part);
}

/** Takes senders in turn, so late replies spread over many people rather than a few very keen ones. */
function rotation(senders: string[]): () => string {
  let next = 0;
  return () => senders[next++ % senders.length]!;
}

function json(body: unknown): SimulatedRequest {
  return { method: "POST", query: new URLSearchParams(), body: JSON.stringify(body), contentType: "application/json" };
}

function iso(date: Date): string {
  return date.toISOString().replace("Z", "+0000");
}

function repeat(digit: () => string, count: number): string {
  return Array.from({ length: count }, digit).join("");
}

function hex(random: () => number, bytes: number): string {
  return Array.from({ length: bytes }, () => Math.floor(random() * 256).toString(16).padStart(2, "0")).join("");
}

/** mulberry32: a small, fast, seeded generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
