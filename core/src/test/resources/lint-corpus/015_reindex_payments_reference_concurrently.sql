SET statement_timeout = '1h';
REINDEX INDEX CONCURRENTLY payments_reference_idx;
