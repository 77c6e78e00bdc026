import type { BadgeTone } from "@/components/ui/badge";
import type { Provider, SignatureMethod } from "@/lib/generated/prisma/enums";

/** How each provider is shown, and where its portal takes the inbound webhook URL. */
export const PROVIDER_INFO = {
  RAKUTEN: { label: "Rakuten CPaaS", tone: "red", setup: "Paste it as the MO message URL of the number in the Rakuten CPaaS console." },
  INFOBIP: { label: "Infobip", tone: "orange", setup: "In Infobip, open Numbers → your number → Forwarding, choose “Forward to HTTP” and paste it." },
  VONAGE: { label: "Vonage", tone: "violet", setup: "In the Vonage dashboard, open Numbers → your number → Inbound webhook URL and paste it." },
} as const satisfies Record<Provider, { label: string; tone: BadgeTone; setup: string }>;

export const PROVIDERS = Object.keys(PROVIDER_INFO) as Provider[];

export const SIGNATURE_METHOD_LABELS = {
  MD5HASH: "MD5 hash (md5hash, Vonage default)",
  MD5: "HMAC-MD5 (md5)",
  SHA1: "HMAC-SHA1 (sha1)",
  SHA256: "HMAC-SHA256 (sha256)",
  SHA512: "HMAC-SHA512 (sha512)",
} as const satisfies Record<SignatureMethod, string>;
