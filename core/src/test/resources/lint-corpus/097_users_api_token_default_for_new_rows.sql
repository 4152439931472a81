-- New rows get a token; existing rows are backfilled by a batched job.
ALTER TABLE users ALTER COLUMN api_token SET DEFAULT gen_random_uuid();
