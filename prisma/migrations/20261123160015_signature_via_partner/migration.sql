/*
  Warnings:

  - You are about to drop the column `partnerId` on the `Signature` table. All the data in the column will be lost.

*/
-- DropForeignKey
ALTER TABLE "Signature" DROP CONSTRAINT "Signature_partnerId_fkey";

-- AlterTable
ALTER TABLE "Signature" DROP COLUMN "partnerId";

-- AddForeignKey
ALTER TABLE "Signature" ADD CONSTRAINT "Signature_viaPartnerId_fkey" FOREIGN KEY ("viaPartnerId") REFERENCES "Partner"("id") ON DELETE SET NULL ON UPDATE CASCADE;
