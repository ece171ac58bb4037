-- AlterTable
ALTER TABLE "Signature" ADD COLUMN     "confirmationError" TEXT;

-- CreateTable
CREATE TABLE "PauseNotice" (
    "id" TEXT NOT NULL,
    "addresseeId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "pausedAt" TIMESTAMP(3) NOT NULL,
    "messageId" TEXT,
    "sentAt" TIMESTAMP(3),
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PauseNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PauseNotice_addresseeId_pausedAt_userId_key" ON "PauseNotice"("addresseeId", "pausedAt", "userId");

-- AddForeignKey
ALTER TABLE "PauseNotice" ADD CONSTRAINT "PauseNotice_addresseeId_fkey" FOREIGN KEY ("addresseeId") REFERENCES "Addressee"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PauseNotice" ADD CONSTRAINT "PauseNotice_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
