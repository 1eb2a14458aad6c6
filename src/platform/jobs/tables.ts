export interface JobRunTable {
  name: string;
  slot: string;
  instance_id: string;
  started_at: string;
  finished_at: string | null;
  outcome: string | null;
}

export interface JobTables {
  job_runs: JobRunTable;
}
