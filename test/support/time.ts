/** Real sleeps: the SDK measures with the monotonic clock, so tests use real time, kept short. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Busy-waits (for synchronous phases that must take measurable time). */
export function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

/** Sum of a breakdown's categories. */
export function categorySum(b: {
  initializationMs: number;
  toolExecutionMs: number;
  llmProcessingMs: number;
  websocketNotificationMs: number;
  databaseQueryMs: number;
  externalApiMs: number;
  queueWaitMs: number;
  overheadMs: number;
  uncategorizedMs: number;
}): number {
  return (
    b.initializationMs +
    b.toolExecutionMs +
    b.llmProcessingMs +
    b.websocketNotificationMs +
    b.databaseQueryMs +
    b.externalApiMs +
    b.queueWaitMs +
    b.overheadMs +
    b.uncategorizedMs
  );
}
