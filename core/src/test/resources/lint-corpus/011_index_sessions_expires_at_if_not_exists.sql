-- Safe to re-run if the deploy is retried.
CREATE INDEX CONCURRENTLY IF NOT EXISTS index_sessions_on_expires_at ON sessions (expires_at);
