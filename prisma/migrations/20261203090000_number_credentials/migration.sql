-- A number's credentials become one column holding the provider's whole credentials object,
-- sealed. The signature secrets already stored cannot be re-sealed here (the key is not in the
-- database), so they move as a JSON object whose secret field keeps its sealed value: the
-- application reads that form and rewrites it sealed whole on the next save or key rotation.
ALTER TABLE "PhoneNumber" ADD COLUMN "credentials" TEXT;

UPDATE "PhoneNumber"
SET "credentials" = json_build_object('signatureMethod', "signatureMethod"::text, 'signatureSecret', "signatureSecretEnc")::text
WHERE "signatureSecretEnc" IS NOT NULL;

ALTER TABLE "PhoneNumber" DROP COLUMN "signatureMethod", DROP COLUMN "signatureSecretEnc";

DROP TYPE "SignatureMethod";
