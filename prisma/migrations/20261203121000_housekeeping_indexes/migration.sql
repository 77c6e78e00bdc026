-- The hourly housekeeping deletes by age: these let it find old rows without a full scan.
CREATE INDEX "SignInAttempt_createdAt_idx" ON "SignInAttempt"("createdAt");

CREATE INDEX "SignatureNonce_firstSeenAt_idx" ON "SignatureNonce"("firstSeenAt");
