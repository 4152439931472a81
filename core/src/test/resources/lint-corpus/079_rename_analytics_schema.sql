ALTER SCHEMA analytics RENAME TO analytics_v1;
