import type { AccessTables } from '../access/tables.js';
import type { AuditTables } from '../audit/tables.js';
import type { AuthTables } from '../auth/tables.js';
import type { JobTables } from '../jobs/tables.js';
import type { NotifyTables } from '../notify/tables.js';
import type { ReferenceTables } from '../../modules/admin/tables.js';
import type { DirectoryTables } from '../../modules/directory/tables.js';
import type { ReferralTables } from '../../modules/referrals/tables.js';
import type { SupportTables } from '../../modules/support/tables.js';

/** The whole database, assembled from the tables each area owns. */
export interface Database extends AccessTables, AuthTables, AuditTables, NotifyTables, JobTables, ReferenceTables, ReferralTables, DirectoryTables, SupportTables {}
