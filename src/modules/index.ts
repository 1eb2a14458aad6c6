import type { FeatureModule } from '../platform/modules.js';
import { authModule } from '../platform/auth/module.js';
import { homeModule } from './home/module.js';
import { directoryManagementModule, directoryModule } from './directory/module.js';
import { adminModule } from './admin/module.js';
import { auditModule } from './audit/module.js';
import { supportEditorModule, supportModule } from './support/module.js';
import { referralsModule } from './referrals/module.js';
import { referralInboxModule } from './referrals/inbox/module.js';
import { referralReportsModule } from './referrals/reports/module.js';
import { routingRulesAdminModule } from './referrals/rules-admin/module.js';

/** Every feature module, in the order their routes and navigation appear. */
export const MODULES: readonly FeatureModule[] = [authModule, homeModule, adminModule, auditModule, supportModule, supportEditorModule, referralsModule, referralInboxModule, referralReportsModule, routingRulesAdminModule, directoryModule, directoryManagementModule];
