/** A public information page in one language. Its text lives in revisions: one is live, one may be a draft. */
export interface SupportPageTable {
  id: string;
  slug: string;
  lang: string;
  /** Where the page is listed: `help` topics on the home page, `professionals`, `about` (footer) or `home`. */
  section: string;
  position: number;
  live_revision_id: string | null;
  draft_revision_id: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

/** Every saved version of a page's text, kept for history; never changed after it is written except publication and withdrawal. */
export interface SupportPageRevisionTable {
  id: string;
  page_id: string;
  number: number;
  title: string;
  summary: string;
  /** Markdown; raw HTML is not allowed and is shown as text. */
  body: string;
  layout: string;
  /** The `slug` of the page's video (support_videos), or null. */
  video: string | null;
  change_note: string;
  /** `seed` (from seed/content), `editor` or `restore`. */
  source: string;
  created_at: string;
  created_by: string | null;
  published_at: string | null;
  published_by: string | null;
  /** When this version, then live, was taken off the site (the page stays, as a draft, until published again). */
  withdrawn_at: string | null;
  withdrawn_by: string | null;
  /** Why, when the platform took it off rather than an editor. */
  withdrawn_reason: string | null;
}

/** A help-now phone number. `texts` is JSON: per language, the line's name and when it is open. */
export interface SupportHelplineTable {
  id: string;
  code: string;
  position: number;
  display_number: string;
  /** Digits only, for the tel: link. */
  dial: string;
  texts: string;
  source_note: string;
  /** The date (YYYY-MM-DD) someone last rang or checked the number against its owner's site. */
  checked_on: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
}

/**
 * A video for the public pages (the BSL page), uploaded by an editor or loaded from seed/content/media. Never changed
 * once stored: a new recording is a new video, which a page takes when its draft is published.
 */
export interface SupportVideoTable {
  id: string;
  /** Its address: /media/<slug>.mp4 and /media/<slug>.en.vtt. The seeded video keeps its file's name; uploads use their id. */
  slug: string;
  /** What the video shows, in the editor's words, for the list editors choose from. */
  description: string;
  /** The name of the file as it was uploaded, for the editors' list. */
  file_name: string;
  size: number;
  sha256: string;
  slice_size: number;
  /** WebVTT captions, in English. */
  captions: string;
  /** `seed` (from seed/content/media) or `editor`. */
  source: string;
  created_at: string;
  created_by: string | null;
  /** When an editor deleted it: its slices are gone, the row stays so a seeded video is not loaded again. */
  deleted_at: string | null;
  deleted_by: string | null;
}

/** The video file, in slices of the video's slice_size bytes, numbered from 0. */
export interface SupportVideoSliceTable {
  video_id: string;
  number: number;
  bytes: Uint8Array;
}

export interface SupportTables {
  support_pages: SupportPageTable;
  support_page_revisions: SupportPageRevisionTable;
  support_helplines: SupportHelplineTable;
  support_videos: SupportVideoTable;
  support_video_slices: SupportVideoSliceTable;
}
