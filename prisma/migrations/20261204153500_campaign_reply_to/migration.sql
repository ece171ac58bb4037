-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "replyTo" TEXT;
