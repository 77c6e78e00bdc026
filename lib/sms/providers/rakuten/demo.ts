/**
 * The demo's Tokyo support line: Japanese and English customers, long messages split with a
 * UDH, one that never got its middle part, one whose first part came twice; a browser opening
 * the URL (405) and a body cut short (400). It has been silent for the last five days.
 */
import type { DemoPlan, Line, ProviderDemo } from "@/lib/demo-traffic";

export const rakutenDemo: ProviderDemo = {
  e164: "+815012345678",
  label: "Tokyo support line",
  utcOffset: 9,
  plan,
};

function plan(plan: DemoPlan) {
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
  [...threads, ...english].forEach((thread, i) => plan.thread("RAKUTEN", senders[i]!, thread, plan.randomDay(6, plan.days - 1)));

  // A long message whose middle part never came: incomplete since the day after.
  plan.message("RAKUTEN", plan.sender("JP"), "配送先の住所を変更したいです。新しい住所は東京都世田谷区三軒茶屋二丁目十一番地、サンハイツ三〇二号室です。平日の日中は不在のことが多いので、できれば土曜日の午前中に配達していただけると助かります。インターホンが壊れているので、到着したらこの番号にお電話ください。よろしくお願いいたします。", plan.at("RAKUTEN", 9, 11), { missing: [2], note: "long message, part 2 lost" });
  // The handset split this one; the first part was delivered twice (Rakuten got no answer in time).
  plan.message("RAKUTEN", plan.sender("UK"), "Hello, I am staying at the Park Hotel until Friday and would like my parcel delivered to the front desk instead of my home address. The booking is under the name Whitfield, room 1412. Is that possible?", plan.at("RAKUTEN", 7, 20), { retryParts: [1], note: "two parts, the first delivered twice" });

  plan.request("RAKUTEN", plan.at("RAKUTEN", 14, 16), { method: "GET", query: new URLSearchParams(), body: null, contentType: null }, 405, "the URL opened in a browser");
  plan.request(
    "RAKUTEN",
    plan.at("RAKUTEN", 11, 15),
    { method: "POST", query: new URLSearchParams(), contentType: "application/json", body: '{"message_id":"rk-7f3a9c","sender_address":"819044470312","destination_address":"815012345678","content_type":"text","udh":"","message_bo' },
    400,
    "a body cut short",
  );

  // Quiet since: its "last message" stands out on Statistics.
  plan.silence("RAKUTEN");
}
