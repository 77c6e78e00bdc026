-- Forwarding (endpoints, the event outbox, dispatches, attempts) and REST API keys.

-- CreateEnum
CREATE TYPE "DispatchStatus" AS ENUM ('PENDING', 'DELIVERED', 'FAILED');

-- CreateEnum
CREATE TYPE "ApiKeyScope" AS ENUM ('READ', 'READ_WRITE');

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "incompleteAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "WebhookEndpoint" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "eventTypes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "phoneNumberIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabledReason" TEXT,
    "disabledAt" TIMESTAMP(3),
    "secretSealed" TEXT NOT NULL,
    "previousSecretSealed" TEXT,
    "previousSecretExpiresAt" TIMESTAMP(3),
    "failingSince" TIMESTAMP(3),
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Event" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "phoneNumberId" TEXT,
    "payload" TEXT NOT NULL,
    "endpointId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EventDispatch" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL,
    "status" "DispatchStatus" NOT NULL DEFAULT 'PENDING',
    "attemptCount" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP,
    "lastAttemptAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "failureReason" TEXT,
    "retryFrom" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EventDispatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EndpointAttempt" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL,
    "dispatchId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "statusCode" INTEGER,
    "error" TEXT,
    "responseBody" TEXT,
    "succeeded" BOOLEAN NOT NULL,
    "nextAttemptAt" TIMESTAMP(3),

    CONSTRAINT "EndpointAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "scope" "ApiKeyScope" NOT NULL DEFAULT 'READ',
    "keyHash" TEXT NOT NULL,
    "hint" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WebhookEndpoint_teamId_createdAt_idx" ON "WebhookEndpoint"("teamId", "createdAt");

-- CreateIndex
CREATE INDEX "Event_teamId_createdAt_id_idx" ON "Event"("teamId", "createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "EventDispatch_endpointId_status_createdAt_idx" ON "EventDispatch"("endpointId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "EventDispatch_status_nextAttemptAt_idx" ON "EventDispatch"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "EventDispatch_eventId_endpointId_key" ON "EventDispatch"("eventId", "endpointId");

-- CreateIndex
CREATE INDEX "EndpointAttempt_endpointId_startedAt_id_idx" ON "EndpointAttempt"("endpointId", "startedAt" DESC, "id");

-- CreateIndex
CREATE INDEX "EndpointAttempt_teamId_startedAt_id_idx" ON "EndpointAttempt"("teamId", "startedAt" DESC, "id");

-- CreateIndex
CREATE INDEX "EndpointAttempt_dispatchId_startedAt_idx" ON "EndpointAttempt"("dispatchId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_keyHash_key" ON "ApiKey"("keyHash");

-- CreateIndex
CREATE INDEX "ApiKey_teamId_createdAt_idx" ON "ApiKey"("teamId", "createdAt");

-- AddForeignKey
ALTER TABLE "WebhookEndpoint" ADD CONSTRAINT "WebhookEndpoint_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookEndpoint" ADD CONSTRAINT "WebhookEndpoint_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Event" ADD CONSTRAINT "Event_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventDispatch" ADD CONSTRAINT "EventDispatch_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventDispatch" ADD CONSTRAINT "EventDispatch_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EndpointAttempt" ADD CONSTRAINT "EndpointAttempt_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EndpointAttempt" ADD CONSTRAINT "EndpointAttempt_dispatchId_fkey" FOREIGN KEY ("dispatchId") REFERENCES "EventDispatch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Events of messages stored before forwarding existed are not sent, and messages given up as
-- incomplete before it count as reported.
UPDATE "Message" SET "incompleteAt" = "receivedAt" + interval '24 hours' WHERE "status" = 'INCOMPLETE';

-- Queues a job (graphile-worker, schema graphile_worker) that attempts each dispatch at its
-- run time. The job key is the dispatch's: queueing one already waiting moves it instead of
-- adding a second, and one whose worker died is queued afresh. graphile-worker installs its
-- schema itself (scripts/lib/database.ts migrateDeploy runs it before these migrations are
-- used). PL/pgSQL resolves the name when called, not here.
CREATE FUNCTION moshi_queue_dispatches(dispatch_ids text[], run_at timestamptz DEFAULT now()) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF cardinality(dispatch_ids) > 0 THEN
    PERFORM graphile_worker.add_jobs(ARRAY(
      SELECT ('moshi_forward', json_build_object('dispatchId', id), NULL, run_at, NULL, 'dispatch:' || id, NULL, NULL)::graphile_worker.job_spec
      FROM unnest(dispatch_ids) AS id
    ));
  END IF;
END $$;

-- The outbox's fan-out: an event, in the same statement that inserts it, becomes one dispatch
-- for each endpoint that wants it (enabled, its types, its numbers; a test event names its
-- endpoint) and a queued job for each. A team without endpoints pays one index lookup.
CREATE FUNCTION moshi_fan_out_events() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids text[];
BEGIN
  WITH dispatch AS (
    INSERT INTO "EventDispatch" ("id", "teamId", "eventId", "endpointId", "status", "nextAttemptAt", "retryFrom", "createdAt")
    SELECT gen_random_uuid()::text, e."teamId", e."id", w."id", 'PENDING', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
    FROM new_events e
    JOIN "WebhookEndpoint" w ON w."teamId" = e."teamId"
    WHERE CASE WHEN e."endpointId" IS NOT NULL THEN w."id" = e."endpointId"
      ELSE w."enabled"
        AND (cardinality(w."eventTypes") = 0 OR e."type" = ANY (w."eventTypes"))
        AND (cardinality(w."phoneNumberIds") = 0 OR e."phoneNumberId" = ANY (w."phoneNumberIds"))
      END
    RETURNING "id"
  )
  SELECT array_agg("id") INTO ids FROM dispatch;
  PERFORM moshi_queue_dispatches(coalesce(ids, ARRAY[]::text[]));
  RETURN NULL;
END $$;

CREATE TRIGGER "Event_fan_out" AFTER INSERT ON "Event"
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION moshi_fan_out_events();
