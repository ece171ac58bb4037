-- CreateTable
CREATE TABLE "DeliveryResend" (
    "id" TEXT NOT NULL,
    "addresseeId" TEXT NOT NULL,
    "userId" TEXT,
    "email" TEXT NOT NULL,
    "deliveryCount" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeliveryResend_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DeliveryResend_addresseeId_createdAt_idx" ON "DeliveryResend"("addresseeId", "createdAt");

-- AddForeignKey
ALTER TABLE "DeliveryResend" ADD CONSTRAINT "DeliveryResend_addresseeId_fkey" FOREIGN KEY ("addresseeId") REFERENCES "Addressee"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliveryResend" ADD CONSTRAINT "DeliveryResend_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
