-- The payments indexes are bloated after the big cleanup.
REINDEX TABLE payments;
