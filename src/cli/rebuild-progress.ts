// The rebuild's progress bar: from 0 % (drawn at once) to 100 % (drawn when the rebuild succeeds), with
// the remaining time the service estimates, or `?` while it cannot (cli-progress's own ETA prints `LLs`
// for "unknown", the tail of "NULL").
import cliProgress from 'cli-progress';
import type { RebuildProgress } from '../income/generations/projection-manager.js';

export class RebuildProgressBar {
  private readonly bar = new cliProgress.SingleBar(
    {
      format: '  {bar} {percentage}% | {done}/{all} events | {rate} events/s | {remaining} left',
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 2000,
      emptyOnZero: true, // while the total is not yet counted: 0 %, not 100 %
    },
    cliProgress.Presets.shades_classic,
  );
  private started = false;

  show(progress: RebuildProgress): void {
    const done = progress.eventsDone ?? 0;
    const total = Math.max(progress.eventsTotal ?? 0, done);
    const payload = { done, all: total, rate: progress.eventsPerSecond ?? 0, remaining: remainingOf(progress) };
    if (!this.started) {
      this.bar.start(total, 0, payload);
      this.started = true;
    }
    this.bar.setTotal(total);
    this.bar.update(done, payload);
  }

  /** Draws the last line: 100 % when the rebuild succeeded (every event of the log is folded). */
  finish(progress: RebuildProgress): void {
    this.show(progress);
    if (progress.state === 'succeeded') {
      const total = Math.max(progress.eventsTotal ?? 0, progress.eventsDone ?? 0);
      // the bar's own value and total only make the percentage: an empty log, rebuilt, is 100 % of 0 events
      this.bar.setTotal(Math.max(total, 1));
      this.bar.update(Math.max(total, 1), { done: total, all: total, remaining: '0 s' });
    }
    this.bar.stop();
  }
}

function remainingOf(progress: RebuildProgress): string {
  if (progress.etaSeconds === null) return '?';
  return progress.etaSeconds >= 120 ? `${Math.round(progress.etaSeconds / 60)} min` : `${progress.etaSeconds} s`;
}
