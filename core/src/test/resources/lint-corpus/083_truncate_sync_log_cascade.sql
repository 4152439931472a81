TRUNCATE accounts_sync_log CASCADE;
