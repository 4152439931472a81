-- Step 1 of 2 towards UNIQUE (sku): the index, built without blocking writes.
SET statement_timeout = '2h';
CREATE UNIQUE INDEX CONCURRENTLY products_sku_key ON products (sku);
