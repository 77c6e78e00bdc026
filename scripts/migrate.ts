/**
 * `npm run db:deploy`: applies pending migrations to DATABASE_URL (or DIRECT_DATABASE_URL, for a
 * pooled connection that cannot run them): the job queue's schema, then Moshi's. Vercel's build
 * runs it before `next build`; `npm run dev` and `npm start` do the same on every start.
 */
import { migrateDeploy } from "./lib/database";

const url = process.env.DIRECT_DATABASE_URL || process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL (or DIRECT_DATABASE_URL) to the database to migrate.");
  process.exit(1);
}
console.log(await migrateDeploy(url));
