BEGIN;
ALTER TABLE products ADD COLUMN weight_grams bigint;
