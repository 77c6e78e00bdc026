-- CreateTable
CREATE TABLE "TeamKeyword" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "word" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "color" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TeamKeyword_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TeamKeyword_teamId_word_key" ON "TeamKeyword"("teamId", "word");

-- AddForeignKey
ALTER TABLE "TeamKeyword" ADD CONSTRAINT "TeamKeyword_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
