-- Retention and data rights (lib/retention.ts): each team says how long raw delivery bodies and
-- messages are kept; a delivery whose body was cleared keeps its row and says when.
ALTER TABLE "Team" ADD COLUMN "keepBodiesDays" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN "keepMessagesDays" INTEGER;

ALTER TABLE "Delivery" ADD COLUMN "bodyPurgedAt" TIMESTAMP(3);

-- The hourly job finds the bodies still to clear without walking every cleared one before them.
-- Partial, so it holds only the deliveries of the last days (Prisma cannot declare it; the drift
-- check does not see it).
CREATE INDEX "Delivery_body_kept_idx" ON "Delivery"("teamId", "receivedAt") WHERE "bodyPurgedAt" IS NULL;

-- The team export reads threads in the order they were created, which messages arriving during
-- the export do not change.
CREATE INDEX "Conversation_teamId_createdAt_idx" ON "Conversation"("teamId", "createdAt");
