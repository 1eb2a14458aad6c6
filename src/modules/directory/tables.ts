/** The service directory's tables (migration 2026-11-25-0010-directory). Booleans are integers 0/1. */

export interface DirectoryOrganisationTable {
  id: string;
  name: string;
  description: string;
  email: string | null;
  website: string | null;
  /** The partner organisation on the platform whose staff receive this organisation's call-back requests. */
  partner_organisation_id: string | null;
  /** JSON of what the public sees, as last published; null until first published. */
  published_document: string | null;
  published_at: string | null;
  has_unpublished_changes: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export type LocationType = 'physical' | 'postal' | 'virtual';

export interface DirectoryLocationTable {
  id: string;
  organisation_id: string;
  name: string;
  location_type: LocationType;
  confidential: number;
  address_1: string | null;
  address_2: string | null;
  city: string | null;
  postal_code: string | null;
  /** JSON {address1, address2, city, postalCode}, encrypted; only for confidential locations. */
  confidential_address_enc: string | null;
  area_code: string | null;
  latitude: number | null;
  longitude: number | null;
  accessibility: string | null;
  /** JSON of what the public sees, as last published; null until first published. */
  published_document: string | null;
  published_at: string | null;
  has_unpublished_changes: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export type ServiceStatus = 'active' | 'inactive' | 'temporarily closed' | 'defunct';
export type Publication = 'draft' | 'published' | 'withdrawn';

export interface DirectoryServiceTable {
  id: string;
  organisation_id: string;
  name: string;
  description: string;
  offers: string;
  eligibility: string;
  minimum_age: number | null;
  maximum_age: number | null;
  referral_self: number;
  referral_professional: number;
  referral_details: string;
  /** JSON array of language codes from LANGUAGE_OPTIONS. */
  languages: string;
  accessibility: string;
  opening_notes: string;
  url: string | null;
  email: string | null;
  status: ServiceStatus;
  accepts_callbacks: number;
  publication: Publication;
  has_unpublished_changes: number;
  published_at: string | null;
  last_reviewed_at: string | null;
  review_flagged_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface DirectoryPhoneTable {
  id: string;
  service_id: string;
  number: string;
  description: string;
  position: number;
}

export interface DirectoryContactTable {
  id: string;
  service_id: string;
  name: string;
  title: string;
  email: string | null;
  phone: string | null;
  position: number;
}

export interface DirectoryScheduleTable {
  id: string;
  service_id: string;
  /** RFC 5545 BYDAY list, e.g. "MO,TU,WE". */
  byday: string;
  opens_at: string;
  closes_at: string;
}

export interface DirectoryServiceAreaTable {
  id: string;
  service_id: string;
  area_code: string;
}

export interface DirectoryTaxonomyTable {
  id: string;
  code: string;
  name: string;
  description: string;
}

export interface DirectoryTaxonomyTermTable {
  id: string;
  taxonomy_id: string;
  code: string;
  name: string;
  description: string;
  position: number;
}

export interface DirectoryServiceTermTable {
  id: string;
  service_id: string;
  term_id: string;
}

export interface DirectoryServiceAtLocationTable {
  id: string;
  service_id: string;
  location_id: string;
}

export interface DirectoryPublishedServiceTable {
  service_id: string;
  /** JSON PublishedDocument: the service's own fields as published. */
  document: string;
  published_at: string;
}

export interface DirectoryGenerationTable {
  id: number;
  generation: number;
}

export interface DirectoryHistoryTable {
  id: string;
  record_type: 'organisation' | 'location' | 'service';
  record_id: string;
  action: string;
  actor_user_id: string | null;
  at: string;
  version: number;
  /** JSON {field: {from, to}}; confidential address values are never written here. */
  changes: string;
}

export interface DirectoryPostcodePointTable {
  /** Normalised: upper case, no space. An outward code alone holds the centroid of its postcodes. */
  postcode: string;
  latitude: number;
  longitude: number;
}

export type CallbackStatus = 'new' | 'called' | 'closed';

export interface DirectoryCallbackRequestTable {
  id: string;
  service_id: string;
  /** The partner organisation that received the request, fixed when it was made. */
  organisation_id: string | null;
  name_enc: string | null;
  phone_enc: string;
  safe_times_enc: string;
  leave_message: 'yes' | 'no';
  safe_word_enc: string | null;
  notes_enc: string | null;
  status: CallbackStatus;
  handled_by: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  /** Which sending of the public form made it (a keyed hash): the same form sent again makes no second request. */
  submission_hash: string | null;
}

export interface DirectoryTables {
  directory_organisations: DirectoryOrganisationTable;
  directory_locations: DirectoryLocationTable;
  directory_services: DirectoryServiceTable;
  directory_phones: DirectoryPhoneTable;
  directory_contacts: DirectoryContactTable;
  directory_schedules: DirectoryScheduleTable;
  directory_service_areas: DirectoryServiceAreaTable;
  directory_taxonomies: DirectoryTaxonomyTable;
  directory_taxonomy_terms: DirectoryTaxonomyTermTable;
  directory_service_terms: DirectoryServiceTermTable;
  directory_service_at_location: DirectoryServiceAtLocationTable;
  directory_published_services: DirectoryPublishedServiceTable;
  directory_generation: DirectoryGenerationTable;
  directory_history: DirectoryHistoryTable;
  directory_postcode_points: DirectoryPostcodePointTable;
  directory_callback_requests: DirectoryCallbackRequestTable;
}
