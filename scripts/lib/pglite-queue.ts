/**
 * Safer query scheduling for @electric-sql/pglite-socket 0.2.17 (pinned in package.json).
 *
 * PGlite is one PostgreSQL session; the socket server multiplexes every client connection onto it
 * by queueing their protocol messages one at a time. Two defects in that queue break Prisma's
 * connection pool (upstream: electric-sql/pglite#1046, #977):
 *
 * 1. Connection affinity applies only inside transactions, but an extended-protocol batch
 *    (Parse/Bind/Describe/Execute … Sync) is stateful between its messages too. Batches from two
 *    connections interleave, and one client binds to the other's statement ("unnamed prepared
 *    statement does not exist", or worse, wrong rows).
 * 2. A message that throws leaves the queue marked busy forever, hanging every connection.
 *
 * This replaces the queue's scheduler on one server instance: a connection that has started a
 * batch keeps the session until its Sync, and a failure rejects only that message.
 */
import type { PGlite } from "@electric-sql/pglite";
import type { PGLiteSocketServer } from "@electric-sql/pglite-socket";

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

/** The parts of pglite-socket's (unexported) QueryQueueManager that are replaced or used. */
interface QueueInternals {
  db: PGlite;
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

// Frontend message type bytes of the extended query protocol.
const BATCH_MESSAGES = new Set("PBDECH".split("").map((c) => c.charCodeAt(0)));
const SYNC = "S".charCodeAt(0);
const TERMINATE = "X".charCodeAt(0);

export function fixQueryScheduling(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue?: QueueInternals }).queryQueue;
  if (!queue || !Array.isArray(queue.queue) || typeof queue.processQueue !== "function") {
    // Fail loudly rather than run with the broken scheduler after an upgrade.
    throw new Error("pglite-socket internals changed: review scripts/lib/pglite-queue.ts for this version.");
  }

  /** The connection in the middle of an extended-protocol batch, if any. */
  let batchOwner: number | null = null;

  const clearQueueForHandler = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId) => {
    clearQueueForHandler(handlerId);
    // A client that disconnects mid-batch must not keep everyone else waiting for its Sync.
    if (batchOwner === handlerId) {
      batchOwner = null;
      void queue.processQueue();
    }
  };

  queue.processQueue = async function processQueue(this: QueueInternals) {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = batchOwner ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
        const index = owner === null ? 0 : this.queue.findIndex((item) => item.handlerId === owner);
        // The owner's next message has not arrived yet; enqueueing it restarts this loop.
        if (index === -1) break;
        const [item] = this.queue.splice(index, 1);
        if (!item) break;

        const type = item.message[0];
        if (type !== undefined && BATCH_MESSAGES.has(type)) batchOwner = item.handlerId;
        else if (type === SYNC || type === TERMINATE) batchOwner = null;

        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          item.reject(error);
          continue;
        }
        this.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
}
