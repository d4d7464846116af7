import { SingleBar } from 'cli-progress';
import { ansiColors, formatMs, formatSeconds } from 'agent-timing';
import type { WorkloadProgress } from './workload';

/** Live figures shown while the run goes: p95s from the SDK's aggregator over the last minute. */
export interface LiveStats {
  p95TotalMs?: number;
  p95TtftMs?: number;
}

export interface Progress {
  update(p: WorkloadProgress, stats: LiveStats): void;
  stop(): void;
}

/**
 * A progress bar on a terminal (cli-progress, on stderr); elsewhere (CI logs, pipes) one plain
 * line every ~10 % or 5 s, so logs stay readable.
 */
export function createProgress(total: number, stream: NodeJS.WriteStream, color: boolean): Progress {
  const c = ansiColors(color);
  const started = performance.now();
  if (stream.isTTY) {
    const bar = new SingleBar({
      stream,
      format: `  ${c.cyan('{bar}')} {value}/{total} ${c.dim('│')} {duration_formatted} ${c.dim('│')} {live} ${c.dim('│')} p95 ${c.bold('{p95}')} ${c.dim('│')} TTFT p95 ${c.bold('{ttft}')}`,
      barCompleteChar: '█',
      barIncompleteChar: '░',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: false,
      fps: 8,
    });
    bar.start(total, 0, { live: 'starting', p95: '–', ttft: '–' });
    return {
      update(p, s) {
        bar.update(p.done, { live: `${p.inFlight} running, ${p.queued} queued`, p95: formatMs(s.p95TotalMs), ttft: formatMs(s.p95TtftMs) });
      },
      stop: () => bar.stop(),
    };
  }
  let lastAt = 0;
  let lastDone = 0;
  return {
    update(p, s) {
      const now = performance.now();
      const step = Math.max(1, Math.ceil(total / 10));
      if (p.done !== total && p.done - lastDone < step && now - lastAt < 5000) return;
      lastAt = now;
      lastDone = p.done;
      stream.write(`  ${p.done}/${total} requests · ${formatSeconds(now - started)} · p95 ${formatMs(s.p95TotalMs)} · TTFT p95 ${formatMs(s.p95TtftMs)}\n`);
    },
    stop() {},
  };
}
