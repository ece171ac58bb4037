-- AlterTable
ALTER TABLE "Addressee" ADD COLUMN     "paused" BOOLEAN NOT NULL DEFAULT false;
