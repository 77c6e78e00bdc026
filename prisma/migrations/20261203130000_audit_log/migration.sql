-- The audit log: one row per change to a team's settings (lib/audit.ts).
CREATE TABLE "AuditEntry" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "actorId" TEXT,
    "actorName" TEXT,
    "actorEmail" TEXT,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT,
    "targetLabel" TEXT,
    "summary" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "ip" TEXT,
    "userAgent" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "AuditEntry_teamId_createdAt_id_idx" ON "AuditEntry"("teamId", "createdAt" DESC, "id" DESC);

CREATE INDEX "AuditEntry_actorId_idx" ON "AuditEntry"("actorId");

ALTER TABLE "AuditEntry" ADD CONSTRAINT "AuditEntry_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "AuditEntry" ADD CONSTRAINT "AuditEntry_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- An entry is never edited. The one UPDATE allowed is the foreign key's own ON DELETE SET NULL
-- when the person's account is deleted: it clears "actorId" and nothing else (the copied name
-- and email keep the entry readable).
--
-- Nor is an entry deleted on its own: it goes only with its team. The foreign key's ON DELETE
-- CASCADE deletes the entries after the team row is gone, so a DELETE of an entry whose team
-- still exists is refused. (TRUNCATE, a table owner's tool, fires no row trigger.)
CREATE FUNCTION "audit_entry_is_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD."actorId" IS NOT NULL AND NEW."actorId" IS NULL
       AND to_jsonb(NEW) - 'actorId' = to_jsonb(OLD) - 'actorId' THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'Audit entries are never edited (AuditEntry %)', OLD."id" USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF EXISTS (SELECT 1 FROM "Team" WHERE "id" = OLD."teamId") THEN
    RAISE EXCEPTION 'Audit entries are deleted only with their team (AuditEntry %)', OLD."id" USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN OLD;
END;
$$;

CREATE TRIGGER "AuditEntry_append_only"
BEFORE UPDATE OR DELETE ON "AuditEntry"
FOR EACH ROW EXECUTE FUNCTION "audit_entry_is_append_only"();
