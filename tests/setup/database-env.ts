/**
 * Runs in every test worker before its test files are imported: points DATABASE_URL at the run's
 * database (global-setup.ts), so `lib/db` and tests/helpers connect there and nowhere else.
 */
import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
if (inject("databaseEmbedded")) process.env.MOSHI_TEST_EMBEDDED = "1";
