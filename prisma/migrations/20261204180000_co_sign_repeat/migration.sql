-- When the verification email of a co-signature was last asked for: the form, or a repeat of the
-- form with the same partner (which sends the email again, at most once every 10 minutes).
ALTER TABLE "CoSignature" ADD COLUMN "verificationRequestedAt" TIMESTAMP(3);
UPDATE "CoSignature" SET "verificationRequestedAt" = "createdAt";
ALTER TABLE "CoSignature" ALTER COLUMN "verificationRequestedAt" SET NOT NULL;
ALTER TABLE "CoSignature" ALTER COLUMN "verificationRequestedAt" SET DEFAULT CURRENT_TIMESTAMP;
