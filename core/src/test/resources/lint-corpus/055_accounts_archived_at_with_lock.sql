-- Keep the sync job out while we change accounts.
LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE;
ALTER TABLE accounts ADD COLUMN archived_at timestamptz;
