-- CreateEnum
CREATE TYPE "RemovalSource" AS ENUM ('SIGNER', 'ORGANISER');

-- AlterTable
ALTER TABLE "CoSignature" ADD COLUMN     "linkReissuedAt" TIMESTAMP(3),
ADD COLUMN     "linkSentVersion" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "linkVersion" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Signature" ADD COLUMN     "confirmationTokenVersion" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "listPublicly" BOOLEAN NOT NULL DEFAULT false,
ALTER COLUMN "ipHash" DROP NOT NULL;

-- CreateTable
CREATE TABLE "SignatureRemoval" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "source" "RemovalSource" NOT NULL,
    "removedById" TEXT,
    "reason" TEXT,
    "wasConfirmed" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SignatureRemoval_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SignatureRemoval_campaignId_createdAt_idx" ON "SignatureRemoval"("campaignId", "createdAt");

-- CreateIndex
CREATE INDEX "Signature_createdAt_idx" ON "Signature"("createdAt");

-- AddForeignKey
ALTER TABLE "SignatureRemoval" ADD CONSTRAINT "SignatureRemoval_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignatureRemoval" ADD CONSTRAINT "SignatureRemoval_removedById_fkey" FOREIGN KEY ("removedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
