-- Alerts: a team's rules and channels, the incidents that fired, and the outbox of mails and
-- Slack messages about them (lib/alerts/).

-- CreateEnum
CREATE TYPE "AlertChannel" AS ENUM ('EMAIL', 'SLACK');

-- CreateEnum
CREATE TYPE "NotificationStatus" AS ENUM ('PENDING', 'SENT', 'KEPT', 'FAILED');

-- CreateTable
CREATE TABLE "AlertSettings" (
    "teamId" TEXT NOT NULL,
    "silentEnabled" BOOLEAN NOT NULL DEFAULT true,
    "silentHours" INTEGER,
    "rejectedEnabled" BOOLEAN NOT NULL DEFAULT true,
    "rejectedPercent" INTEGER NOT NULL DEFAULT 20,
    "rejectedMinimum" INTEGER NOT NULL DEFAULT 10,
    "signatureEnabled" BOOLEAN NOT NULL DEFAULT true,
    "signatureCount" INTEGER NOT NULL DEFAULT 5,
    "endpointEnabled" BOOLEAN NOT NULL DEFAULT true,
    "endpointMinutes" INTEGER NOT NULL DEFAULT 15,
    "emailEnabled" BOOLEAN NOT NULL DEFAULT true,
    "emailRecipients" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "slackUrlSealed" TEXT,
    "slackUrlHint" TEXT,
    "eventsEnabled" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AlertSettings_pkey" PRIMARY KEY ("teamId")
);

-- CreateTable
CREATE TABLE "AlertIncident" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "subjectLabel" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "observed" JSONB NOT NULL DEFAULT '{}',
    "firedAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),
    "resolution" TEXT,

    CONSTRAINT "AlertIncident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertNotification" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "incidentId" TEXT,
    "kind" TEXT NOT NULL,
    "channel" "AlertChannel" NOT NULL,
    "recipients" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" "NotificationStatus" NOT NULL DEFAULT 'PENDING',
    "attemptCount" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AlertNotification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AlertIncident_teamId_firedAt_id_idx" ON "AlertIncident"("teamId", "firedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "AlertIncident_teamId_resolvedAt_idx" ON "AlertIncident"("teamId", "resolvedAt");

-- CreateIndex
CREATE INDEX "AlertNotification_status_nextAttemptAt_idx" ON "AlertNotification"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "AlertNotification_teamId_channel_createdAt_id_idx" ON "AlertNotification"("teamId", "channel", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "AlertNotification_incidentId_kind_channel_key" ON "AlertNotification"("incidentId", "kind", "channel");

-- AddForeignKey
ALTER TABLE "AlertSettings" ADD CONSTRAINT "AlertSettings_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertIncident" ADD CONSTRAINT "AlertIncident_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertNotification" ADD CONSTRAINT "AlertNotification_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertNotification" ADD CONSTRAINT "AlertNotification_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "AlertIncident"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- An alert fires once: at most one open incident per team, rule and subject. Evaluations that
-- run at once (several workers, the cron route) insert with ON CONFLICT DO NOTHING, and only the
-- one that inserted writes the notifications.
CREATE UNIQUE INDEX "AlertIncident_open_key" ON "AlertIncident"("teamId", "rule", "subjectId") WHERE "resolvedAt" IS NULL;
