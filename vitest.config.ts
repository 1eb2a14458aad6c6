import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The two-process test spends most of its time waiting for the jobs' minute tick. Started first, that wait overlaps
 * the other files; sorted by the durations of an earlier SQLite run, where it is skipped, it would come last and its
 * wait would be the end of the run.
 */
class WaitingTestsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const waits = (file: TestSpecification) => file.moduleId.includes('/test/multi-instance/');
    return [...sorted.filter(waits), ...sorted.filter((file) => !waits(file))];
  }
}

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Files share a worker's loaded modules rather than loading the whole app again for each of 97 files, which
    // took a fifth of the run. Each test builds its own platform (database, services, app), so no file sees another's.
    poolOptions: { forks: { maxForks: 2, minForks: 1, isolate: false } },
    sequence: { sequencer: WaitingTestsFirst },
  },
});
