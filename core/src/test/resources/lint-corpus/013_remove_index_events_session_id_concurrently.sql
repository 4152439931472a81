DROP INDEX CONCURRENTLY IF EXISTS index_events_on_session_id;
