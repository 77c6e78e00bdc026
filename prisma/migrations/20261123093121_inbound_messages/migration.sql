-- CreateEnum
CREATE TYPE "DeliveryOutcome" AS ENUM ('STORED', 'DUPLICATE', 'IGNORED', 'REJECTED');

-- CreateEnum
CREATE TYPE "Encoding" AS ENUM ('GSM7', 'UCS2', 'BINARY');

-- CreateEnum
CREATE TYPE "MessageStatus" AS ENUM ('COMPLETE', 'PARTIAL', 'INCOMPLETE');

-- CreateTable
CREATE TABLE "Delivery" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "phoneNumberId" TEXT NOT NULL,
    "provider" "Provider" NOT NULL,
    "method" TEXT NOT NULL,
    "contentType" TEXT,
    "headers" JSONB NOT NULL,
    "query" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "outcome" "DeliveryOutcome" NOT NULL,
    "reason" TEXT,
    "status" INTEGER NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "signed" BOOLEAN NOT NULL DEFAULT false,
    "signatureAgeSeconds" INTEGER,
    "toMismatch" BOOLEAN NOT NULL DEFAULT false,
    "storedCount" INTEGER NOT NULL DEFAULT 0,
    "duplicateCount" INTEGER NOT NULL DEFAULT 0,
    "replayOfId" TEXT,

    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MessagePart" (
    "id" TEXT NOT NULL,
    "phoneNumberId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "providerMessageId" TEXT NOT NULL,
    "partIndex" INTEGER NOT NULL,
    "payloadFormat" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "udhHex" TEXT,
    "providerKeyword" TEXT,
    "providerTimestamp" TIMESTAMP(3),
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MessagePart_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Message" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "phoneNumberId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "provider" "Provider" NOT NULL,
    "from" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "encoding" "Encoding" NOT NULL,
    "text" TEXT,
    "binaryHex" TEXT,
    "keyword" TEXT,
    "providerKeyword" TEXT,
    "providerTimestamp" TIMESTAMP(3),
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "status" "MessageStatus" NOT NULL,
    "partsExpected" INTEGER NOT NULL,
    "partsReceived" INTEGER NOT NULL DEFAULT 0,
    "concatKey" TEXT,
    "smsCount" INTEGER,
    "priceAmount" TEXT,
    "priceCurrency" TEXT,
    "callbackData" TEXT,
    "warnings" TEXT[],

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Conversation" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "phoneNumberId" TEXT NOT NULL,
    "sender" TEXT NOT NULL,
    "lastMessageAt" TIMESTAMP(3) NOT NULL,
    "unreadCount" INTEGER NOT NULL DEFAULT 0,
    "messageCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Conversation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Delivery_teamId_receivedAt_idx" ON "Delivery"("teamId", "receivedAt" DESC);

-- CreateIndex
CREATE INDEX "Delivery_phoneNumberId_receivedAt_idx" ON "Delivery"("phoneNumberId", "receivedAt" DESC);

-- CreateIndex
CREATE INDEX "Delivery_teamId_outcome_receivedAt_idx" ON "Delivery"("teamId", "outcome", "receivedAt" DESC);

-- CreateIndex
CREATE INDEX "MessagePart_deliveryId_idx" ON "MessagePart"("deliveryId");

-- CreateIndex
CREATE UNIQUE INDEX "MessagePart_phoneNumberId_providerMessageId_key" ON "MessagePart"("phoneNumberId", "providerMessageId");

-- CreateIndex
CREATE UNIQUE INDEX "MessagePart_messageId_partIndex_key" ON "MessagePart"("messageId", "partIndex");

-- CreateIndex
CREATE INDEX "Message_teamId_receivedAt_idx" ON "Message"("teamId", "receivedAt" DESC);

-- CreateIndex
CREATE INDEX "Message_conversationId_receivedAt_idx" ON "Message"("conversationId", "receivedAt");

-- CreateIndex
CREATE INDEX "Message_status_receivedAt_idx" ON "Message"("status", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Message_phoneNumberId_concatKey_key" ON "Message"("phoneNumberId", "concatKey");

-- CreateIndex
CREATE INDEX "Conversation_teamId_lastMessageAt_idx" ON "Conversation"("teamId", "lastMessageAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "Conversation_phoneNumberId_sender_key" ON "Conversation"("phoneNumberId", "sender");

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_phoneNumberId_fkey" FOREIGN KEY ("phoneNumberId") REFERENCES "PhoneNumber"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_replayOfId_fkey" FOREIGN KEY ("replayOfId") REFERENCES "Delivery"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessagePart" ADD CONSTRAINT "MessagePart_phoneNumberId_fkey" FOREIGN KEY ("phoneNumberId") REFERENCES "PhoneNumber"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessagePart" ADD CONSTRAINT "MessagePart_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessagePart" ADD CONSTRAINT "MessagePart_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "Delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_phoneNumberId_fkey" FOREIGN KEY ("phoneNumberId") REFERENCES "PhoneNumber"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_phoneNumberId_fkey" FOREIGN KEY ("phoneNumberId") REFERENCES "PhoneNumber"("id") ON DELETE CASCADE ON UPDATE CASCADE;
