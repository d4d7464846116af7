import { reportDrop } from '../internal/diag';
import { limits } from '../internal/limits';
import type { PhaseSpanShape } from '../spans/own-spans';
import { categoryFromName, type PhaseCategory } from '../breakdown/categories';
import { IntervalKind } from '../breakdown/interval';
import type { PhaseTimer } from './phase-timer';

/** What one execution knows about one phase or task name. */
export interface NameSlot {
  /** Latest running phase of the name; earlier ones hang off `prevSameName` (some of them may
   *  have stopped already: see PhaseBook.finish). */
  latestPhase: PhaseTimer | undefined;
  /** The same for parallel tasks of the name. */
  latestTask: PhaseTimer | undefined;
  /** Summed duration of the stopped phases and tasks of the name, ms. */
  total: number;
  /** Whether the name is in the breakdown's `phases` (false past maxPhaseNamesPerExecution). */
  counted: boolean;
  /** The category the name itself stands for, if any (looked up once per name). */
  readonly nameCategory: PhaseCategory | undefined;
  /** Span shapes of the name's phases and tasks without metadata, once made (a start then skips
   *  the process-wide shape cache's lookups). */
  phaseShape: PhaseSpanShape | undefined;
  taskShape: PhaseSpanShape | undefined;
}

/** Stopped timers dropped from running lists after a later timer of their name stopped (tests
 *  check the complexity with it). */
let unlinked = 0;

/** @internal The number of stopped timers PhaseBook.finish() has dropped lazily in this process. */
export function lazilyUnlinked(): number {
  return unlinked;
}

/**
 * Per-name bookkeeping of one execution: which timers of each name are running (stop by name
 * stops the latest) and the summed durations of stopped ones. One Map lookup per start and per stop
 * by name; everything else goes through the slot the timer keeps.
 */
export class PhaseBook {
  private readonly slots = new Map<string, NameSlot>();
  private countedNames = 0;

  /** The slot of a name seen before in this execution. */
  find(name: string): NameSlot | undefined {
    return this.slots.get(name);
  }

  /** Records a timer that just started; `slot` is find(timer.name) when the caller already has it. */
  add(timer: PhaseTimer, slot: NameSlot | undefined): void {
    if (slot === undefined) {
      slot = {
        latestPhase: undefined,
        latestTask: undefined,
        total: 0,
        counted: false,
        nameCategory: categoryFromName(timer.name),
        phaseShape: undefined,
        taskShape: undefined,
      };
      this.slots.set(timer.name, slot);
    }
    timer.slot = slot;
    if (timer.kind === IntervalKind.ParallelTask) {
      timer.prevSameName = slot.latestTask;
      slot.latestTask = timer;
    } else {
      timer.prevSameName = slot.latestPhase;
      slot.latestPhase = timer;
    }
  }

  /** The latest running phase (or task) of that name. */
  latest(name: string, parallel: boolean): PhaseTimer | undefined {
    const slot = this.slots.get(name);
    return slot === undefined ? undefined : parallel ? slot.latestTask : slot.latestPhase;
  }

  /**
   * Takes a stopped timer (its `end` already set) off its name's running list and adds its
   * duration to its name's total. The list is singly linked from the latest timer down, so a timer
   * that is not the latest is left in place, stopped, and dropped when the timers above it have
   * stopped too: O(1) amortized however many timers of one name run (walking down to unlink it was
   * O(n) per stop, quadratic when tasks of one name stop oldest first). The latest timer of a name
   * is therefore always a running one.
   */
  finish(timer: PhaseTimer, ms: number): void {
    const slot = timer.slot!;
    const parallel = timer.kind === IntervalKind.ParallelTask;
    if ((parallel ? slot.latestTask : slot.latestPhase) === timer) {
      let latest = timer.prevSameName;
      timer.prevSameName = undefined;
      while (latest !== undefined && latest.end === latest.end) {
        // Stopped earlier while a later timer of the name was running.
        unlinked++;
        const below: PhaseTimer | undefined = latest.prevSameName;
        latest.prevSameName = undefined;
        latest = below;
      }
      if (parallel) slot.latestTask = latest;
      else slot.latestPhase = latest;
    }
    this.addTotal(timer, ms);
  }

  /** Every running timer. */
  running(): PhaseTimer[] {
    const out: PhaseTimer[] = [];
    for (const slot of this.slots.values()) {
      for (let t = slot.latestPhase; t; t = t.prevSameName) if (t.end !== t.end) out.push(t);
      for (let t = slot.latestTask; t; t = t.prevSameName) if (t.end !== t.end) out.push(t);
    }
    return out;
  }

  /** Writes each counted name's total into `phases`. */
  totalsInto(phases: Record<string, number>): void {
    for (const [name, slot] of this.slots) if (slot.counted) phases[name] = slot.total;
  }

  /** Forgets every running timer (after they were all closed). */
  clearRunning(): void {
    for (const slot of this.slots.values()) slot.latestPhase = slot.latestTask = undefined;
  }

  /** Frees everything (an evicted execution). */
  clear(): void {
    this.slots.clear();
  }

  /** Adds to the total of the timer's name (the first maxPhaseNamesPerExecution names are kept). */
  addTotal(timer: PhaseTimer, ms: number): void {
    const slot = timer.slot!;
    if (slot.counted) slot.total += ms;
    else if (this.countedNames < limits.maxPhaseNamesPerExecution) {
      slot.counted = true;
      slot.total = ms;
      this.countedNames++;
    } else {
      reportDrop('execution-phase-name-limit', `an execution used more than ${limits.maxPhaseNamesPerExecution} phase names; later names are not in phases`);
    }
  }
}
