-- Inbox searches of two characters. pg_trgm finds no trigram in fewer than three characters, so
-- the trigram index of "text" cannot serve them and such a search read every message of the
-- team. In the text with every character doubled ("予約" becomes "予予約約") each pair of
-- characters makes trigrams, and a text contains a term, case-insensitively, exactly when its
-- doubled text contains the doubled term: lib/data/conversations.ts searches this expression,
-- spelled exactly as here, for terms shorter than three characters.
-- Prisma cannot declare an index on an expression, so schema.prisma does not list this one
-- (prisma migrate diff leaves expression indexes alone: npm run db:drift stays clean).
CREATE INDEX "Message_text_doubled_trgm_idx" ON "Message" USING GIN (regexp_replace("text", '(.)', '\1\1', 'g') gin_trgm_ops);
