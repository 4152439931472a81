SET statement_timeout = 0;
CREATE INDEX CONCURRENTLY index_events_on_created_at ON events (created_at);
