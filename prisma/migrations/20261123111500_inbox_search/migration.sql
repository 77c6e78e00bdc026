-- Trigram matching for the inbox search (available on every managed PostgreSQL and in PGlite).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Keywords no longer carry the punctuation around the first word ("Yes!" is YES, "はい。" is
-- はい), so replies count together. Stored keywords are brought in line, and a keyword that is
-- nothing but punctuation stays as it is, as new ones do.
UPDATE "Message"
SET "keyword" = regexp_replace(regexp_replace("keyword", '[.,!?\x3B:…。、，！？」』）)\]}"''”’»]+$', ''), '^[(\[{"''“‘«「『（¿¡]+', '')
WHERE "keyword" IS NOT NULL
  AND regexp_replace(regexp_replace("keyword", '[.,!?\x3B:…。、，！？」』）)\]}"''”’»]+$', ''), '^[(\[{"''“‘«「『（¿¡]+', '') NOT IN ('', "keyword");

-- CreateIndex
CREATE INDEX "Message_teamId_keyword_idx" ON "Message"("teamId", "keyword");

-- CreateIndex
CREATE INDEX "Message_text_trgm_idx" ON "Message" USING GIN ("text" gin_trgm_ops);
