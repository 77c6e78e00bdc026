-- Webhook tokens are kept sealed beside their hash, so owners and admins can see a URL again.
ALTER TABLE "PhoneNumber" ADD COLUMN "tokenSealed" TEXT;
