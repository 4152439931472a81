ALTER TABLE users ADD COLUMN last_seen_at timestamptz;
CREATE INDEX index_users_on_last_seen_at ON users (last_seen_at);
