import type { Scenario } from '../support/types.js';
import { finderScenario } from './finder.js';
import { lighthouseScenario } from './lighthouse.js';
import { memoryScenario } from './memory.js';
import { platformScenario } from './platform.js';
import { referralInboxScenario } from './referral-inbox.js';
import { referralSubmissionScenario } from './referral-submission.js';

/**
 * Every benchmark scenario, run in this order on each database. To add one, write `bench/scenarios/<name>.ts`
 * exporting a `Scenario` (see bench/support/types.ts) and list it here.
 */
export const SCENARIOS: readonly Scenario[] = [platformScenario, memoryScenario, finderScenario, lighthouseScenario, referralSubmissionScenario, referralInboxScenario];
