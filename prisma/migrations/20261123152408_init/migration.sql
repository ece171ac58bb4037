-- CreateEnum
CREATE TYPE "CampaignStatus" AS ENUM ('DRAFT', 'PUBLISHED', 'CLOSED', 'WON');

-- CreateEnum
CREATE TYPE "DeliveryMode" AS ENUM ('PER_SIGNATURE', 'DIGEST');

-- CreateEnum
CREATE TYPE "SignatureStatus" AS ENUM ('PENDING', 'CONFIRMED');

-- CreateEnum
CREATE TYPE "DeliveryKind" AS ENUM ('LETTER', 'DIGEST');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'SENT', 'FAILED');

-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "status" "CampaignStatus" NOT NULL DEFAULT 'DRAFT',
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "statement" TEXT NOT NULL,
    "goal" INTEGER NOT NULL DEFAULT 1000,
    "imageUrl" TEXT,
    "signatureCount" INTEGER NOT NULL DEFAULT 0,
    "publishedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Demand" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "text" TEXT NOT NULL,

    CONSTRAINT "Demand_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Addressee" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "deliveryMode" "DeliveryMode" NOT NULL DEFAULT 'PER_SIGNATURE',
    "digestIntervalMinutes" INTEGER NOT NULL DEFAULT 1440,
    "lettersPerHour" INTEGER NOT NULL DEFAULT 600,
    "lastDigestAt" TIMESTAMP(3),
    "lettersSent" INTEGER NOT NULL DEFAULT 0,
    "signaturesDelivered" INTEGER NOT NULL DEFAULT 0,
    "lastDeliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Addressee_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Signature" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "fullName" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "emailNormalized" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "comment" TEXT,
    "showName" BOOLEAN NOT NULL DEFAULT false,
    "wantsUpdates" BOOLEAN NOT NULL DEFAULT false,
    "consentVersion" TEXT NOT NULL,
    "status" "SignatureStatus" NOT NULL DEFAULT 'PENDING',
    "tokenHash" TEXT NOT NULL,
    "ipHash" TEXT NOT NULL,
    "confirmationRequestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmationSentAt" TIMESTAMP(3),
    "confirmationFailedAt" TIMESTAMP(3),
    "confirmedAt" TIMESTAMP(3),
    "countedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Signature_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Delivery" (
    "id" TEXT NOT NULL,
    "addresseeId" TEXT NOT NULL,
    "kind" "DeliveryKind" NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "messageId" TEXT,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeliveryItem" (
    "id" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "addresseeId" TEXT NOT NULL,
    "signatureId" TEXT NOT NULL,

    CONSTRAINT "DeliveryItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Campaign_slug_key" ON "Campaign"("slug");

-- CreateIndex
CREATE INDEX "Campaign_status_publishedAt_idx" ON "Campaign"("status", "publishedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Demand_campaignId_position_key" ON "Demand"("campaignId", "position");

-- CreateIndex
CREATE INDEX "Addressee_campaignId_idx" ON "Addressee"("campaignId");

-- CreateIndex
CREATE UNIQUE INDEX "Signature_tokenHash_key" ON "Signature"("tokenHash");

-- CreateIndex
CREATE INDEX "Signature_campaignId_status_confirmedAt_idx" ON "Signature"("campaignId", "status", "confirmedAt");

-- CreateIndex
CREATE INDEX "Signature_status_confirmationSentAt_idx" ON "Signature"("status", "confirmationSentAt");

-- CreateIndex
CREATE INDEX "Signature_status_countedAt_idx" ON "Signature"("status", "countedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Signature_campaign_email_key" ON "Signature"("campaignId", "emailNormalized");

-- CreateIndex
CREATE INDEX "Delivery_addresseeId_status_sentAt_idx" ON "Delivery"("addresseeId", "status", "sentAt");

-- CreateIndex
CREATE INDEX "DeliveryItem_deliveryId_idx" ON "DeliveryItem"("deliveryId");

-- CreateIndex
CREATE UNIQUE INDEX "DeliveryItem_addressee_signature_key" ON "DeliveryItem"("addresseeId", "signatureId");

-- AddForeignKey
ALTER TABLE "Demand" ADD CONSTRAINT "Demand_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Addressee" ADD CONSTRAINT "Addressee_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Signature" ADD CONSTRAINT "Signature_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_addresseeId_fkey" FOREIGN KEY ("addresseeId") REFERENCES "Addressee"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliveryItem" ADD CONSTRAINT "DeliveryItem_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "Delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliveryItem" ADD CONSTRAINT "DeliveryItem_addresseeId_fkey" FOREIGN KEY ("addresseeId") REFERENCES "Addressee"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliveryItem" ADD CONSTRAINT "DeliveryItem_signatureId_fkey" FOREIGN KEY ("signatureId") REFERENCES "Signature"("id") ON DELETE CASCADE ON UPDATE CASCADE;
