-- Step 2 of 2: attach the ready index as the constraint (catalog change only).
ALTER TABLE products ADD CONSTRAINT products_sku_key UNIQUE USING INDEX products_sku_key;
