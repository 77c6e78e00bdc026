-- Triage in the inbox: read state per person, done, notes, and test messages.

-- Test messages and the deliveries that carried them (only the Numbers page's Test button sets
-- these; nothing in a provider's request can).
ALTER TABLE "Delivery" ADD COLUMN "isTest" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Message" ADD COLUMN "isTest" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Conversation" ADD COLUMN "testCount" INTEGER NOT NULL DEFAULT 0;

-- Messages stored by the Test button before this migration: its fixed sender (Ofcom's fictional
-- +447700900123) and text, so they leave statistics and the default inbox too.
UPDATE "Message" SET "isTest" = true WHERE "from" = '+447700900123' AND "text" LIKE 'TEST from Moshi: %';
UPDATE "Delivery" d SET "isTest" = true
WHERE EXISTS (SELECT 1 FROM "MessagePart" p JOIN "Message" m ON m."id" = p."messageId" WHERE p."deliveryId" = d."id" AND m."isTest");
UPDATE "Conversation" c SET "testCount" = t.n
FROM (SELECT "conversationId", count(*)::int AS n FROM "Message" WHERE "isTest" GROUP BY "conversationId") t
WHERE t."conversationId" = c."id";

-- Done: the team's, up to a time; a newer message reopens the thread.
ALTER TABLE "Conversation" ADD COLUMN "doneAt" TIMESTAMP(3), ADD COLUMN "doneById" TEXT;
ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_doneById_fkey" FOREIGN KEY ("doneById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Read state per person.
CREATE TABLE "ConversationRead" (
    "conversationId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "readCount" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConversationRead_pkey" PRIMARY KEY ("conversationId","userId")
);

CREATE INDEX "ConversationRead_userId_teamId_idx" ON "ConversationRead"("userId", "teamId");

ALTER TABLE "ConversationRead" ADD CONSTRAINT "ConversationRead_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ConversationRead" ADD CONSTRAINT "ConversationRead_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The team-wide state so far becomes every current member's own: each member has read what the
-- team had read (messageCount - unreadCount), so nobody's inbox changes at the migration. People
-- who join later start with every thread unread.
INSERT INTO "ConversationRead" ("conversationId", "userId", "teamId", "readCount", "updatedAt")
SELECT c."id", m."userId", c."teamId", c."messageCount" - c."unreadCount", CURRENT_TIMESTAMP
FROM "Conversation" c
JOIN "Membership" m ON m."teamId" = c."teamId"
WHERE c."unreadCount" < c."messageCount";

ALTER TABLE "Conversation" DROP COLUMN "unreadCount";

-- Internal notes.
CREATE TABLE "ConversationNote" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "authorId" TEXT,
    "authorName" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConversationNote_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "ConversationNote_conversationId_createdAt_idx" ON "ConversationNote"("conversationId", "createdAt");
CREATE INDEX "ConversationNote_authorId_idx" ON "ConversationNote"("authorId");

ALTER TABLE "ConversationNote" ADD CONSTRAINT "ConversationNote_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ConversationNote" ADD CONSTRAINT "ConversationNote_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ConversationNote" ADD CONSTRAINT "ConversationNote_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
