/**
 * A download streamed batch by batch from an async generator of rows (the keyset readers in
 * lib/data/): a large file neither waits for every row nor holds them all. `head` is sent first.
 */
export function streamBatches<T>(batches: AsyncGenerator<T[]>, render: (rows: T[]) => string, { head = "", label = "export" } = {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (head) controller.enqueue(encoder.encode(head));
    },
    async pull(controller) {
      try {
        const { done, value } = await batches.next();
        if (done) return controller.close();
        controller.enqueue(encoder.encode(render(value)));
      } catch (error) {
        // Headers are sent by now: failing the stream is the only way to say the file is cut.
        console.error(`[${label}] failed`, error);
        controller.error(error);
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
}
