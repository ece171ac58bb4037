-- CreateEnum
CREATE TYPE "BounceKind" AS ENUM ('HARD', 'SOFT', 'COMPLAINT');

-- CreateEnum
CREATE TYPE "BounceSource" AS ENUM ('SMTP', 'DSN', 'ARF');

-- AlterTable
ALTER TABLE "Addressee" ADD COLUMN     "hardBounces" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "pauseNoticeSentAt" TIMESTAMP(3),
ADD COLUMN     "pauseReason" TEXT,
ADD COLUMN     "pausedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "SuppressedAddress" (
    "emailNormalized" TEXT NOT NULL,
    "reason" "BounceKind" NOT NULL,
    "detail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SuppressedAddress_pkey" PRIMARY KEY ("emailNormalized")
);

-- CreateTable
CREATE TABLE "BounceEvent" (
    "id" TEXT NOT NULL,
    "messageRef" TEXT NOT NULL,
    "kind" "BounceKind" NOT NULL,
    "source" "BounceSource" NOT NULL,
    "status" TEXT,
    "detail" TEXT,
    "signatureId" TEXT,
    "addresseeId" TEXT,
    "deliveryId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BounceEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BounceEvent_addresseeId_createdAt_idx" ON "BounceEvent"("addresseeId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "BounceEvent_message_kind_key" ON "BounceEvent"("messageRef", "kind");
