-- Nonces of signatures that do not cover the whole request, each with the request it came with.
CREATE TABLE "SignatureNonce" (
    "phoneNumberId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SignatureNonce_pkey" PRIMARY KEY ("phoneNumberId","key")
);

ALTER TABLE "SignatureNonce" ADD CONSTRAINT "SignatureNonce_phoneNumberId_fkey" FOREIGN KEY ("phoneNumberId") REFERENCES "PhoneNumber"("id") ON DELETE CASCADE ON UPDATE CASCADE;
