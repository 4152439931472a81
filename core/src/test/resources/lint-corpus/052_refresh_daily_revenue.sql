-- The revenue report reads the new column from 021.
REFRESH MATERIALIZED VIEW daily_revenue;
