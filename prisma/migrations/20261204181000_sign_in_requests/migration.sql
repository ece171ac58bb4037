-- A sign-in link request is stored the same way whether or not the address has an account: the
-- address it was asked for, and no user yet. The worker looks the account up when it sends, and
-- links the token to it (or retires the token when there is none).
ALTER TABLE "LoginToken" ALTER COLUMN "userId" DROP NOT NULL;
ALTER TABLE "LoginToken" ADD COLUMN "email" TEXT;
