import type { AuditService } from '../../platform/audit/service.js';
import type { Db } from '../../platform/db/database.js';
import { createHelplineService } from './helpline-service.js';
import { createPageService } from './page-service.js';
import { createVideoService } from './video-service.js';
import type { FieldsNamingConfidentialAddress } from './confidential-text.js';
import type { NamesAddress, PublishedTextNaming } from '../directory/confidential-guard.js';

export interface SupportDeps {
  readonly db: Db;
  readonly audit: AuditService;
  readonly clock: () => Date;
  /** A staff member's display name, for page history. */
  readonly userName: (userId: string) => Promise<string | undefined>;
  readonly fieldsNamingConfidentialAddress: FieldsNamingConfidentialAddress;
}

/** The public support site's managed content: information pages, their videos and the help-now numbers. */
export function createSupportService(deps: SupportDeps) {
  const pages = createPageService(deps);
  const helplines = createHelplineService(deps);
  const videos = createVideoService(deps);
  return {
    pages,
    helplines,
    videos,
    /** Published pages, video captions and help-now numbers whose text names an address. */
    async publishedTextNaming(namesAddress: NamesAddress): Promise<PublishedTextNaming[]> {
      return [...(await pages.liveTextNaming(namesAddress)), ...(await videos.liveCaptionsNaming(namesAddress)), ...(await helplines.textNaming(namesAddress))];
    },
    /**
     * The site's own content is part of the product, not demo data: every instance makes sure the seeded
     * pages and numbers exist. What editors have changed is never overwritten.
     */
    async ensureSeeded(): Promise<void> {
      await helplines.seedMissing();
      await videos.seedMissing();
      await pages.seedMissing();
    },
  };
}

export type SupportService = ReturnType<typeof createSupportService>;
