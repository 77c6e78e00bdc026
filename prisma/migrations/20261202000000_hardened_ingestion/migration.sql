-- Raw bodies are kept byte for byte: text cannot hold NUL or invalid UTF-8, which providers
-- (and anyone who finds a webhook URL) may send. Bodies stored so far were valid text.
ALTER TABLE "Delivery" ALTER COLUMN "body" TYPE BYTEA USING convert_to("body", 'UTF8');

-- The kind of rejection, and who accepted a refused delivery without a valid signature.
ALTER TABLE "Delivery" ADD COLUMN "reasonCode" TEXT,
ADD COLUMN "acceptedUnsignedById" TEXT,
ADD COLUMN "acceptedUnsignedAt" TIMESTAMP(3);

-- A long message's group key outlives its completion, so a part resent under a new id is
-- recognised. Messages stored so far have no key to keep, and ones still partial get theirs.
ALTER TABLE "Message" ADD COLUMN "groupKey" TEXT;
UPDATE "Message" SET "groupKey" = "concatKey" WHERE "concatKey" IS NOT NULL;

-- CreateIndex
CREATE INDEX "Delivery_replayOfId_idx" ON "Delivery"("replayOfId");

-- CreateIndex
CREATE INDEX "Message_phoneNumberId_groupKey_idx" ON "Message"("phoneNumberId", "groupKey");

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_acceptedUnsignedById_fkey" FOREIGN KEY ("acceptedUnsignedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
