ALTER TABLE orders ADD COLUMN synced_at timestamptz DEFAULT clock_timestamp();
