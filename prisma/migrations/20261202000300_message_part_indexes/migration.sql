-- The indexes of the parts stored for a message, kept by the statement that stores a part while
-- it holds the message's row lock. A part of a long message is then stored by one statement,
-- which learns from this column whether every part is here, instead of a transaction that
-- holds the lock while the parts are read and the text is written (lib/sms/store.ts).
ALTER TABLE "Message" ADD COLUMN "partIndexes" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

-- Messages still assembling need theirs, the others never read it again
UPDATE "Message" m SET "partIndexes" = (
  SELECT coalesce(array_agg(p."partIndex" ORDER BY p."partIndex"), ARRAY[]::INTEGER[]) FROM "MessagePart" p WHERE p."messageId" = m."id"
) WHERE m."status" = 'PARTIAL';
