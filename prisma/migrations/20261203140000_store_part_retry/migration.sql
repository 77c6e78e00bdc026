-- Raised by the statement that stores a part of a long message when it created a message for a
-- part that turns out to be a retry (its first copy committed while the statement ran, after the
-- message it belonged to was completed): the statement is rolled back and run again, and then sees
-- the retry for what it is. Serialization failure, so ingestion's conflict retry takes it.
CREATE OR REPLACE FUNCTION moshi_retry_statement(reason text) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = '40001', MESSAGE = reason;
END
$$;
