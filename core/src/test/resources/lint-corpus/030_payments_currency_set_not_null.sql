-- Step 3 of 3: the validated CHECK proves it, so SET NOT NULL skips the scan (PG12+).
ALTER TABLE payments ALTER COLUMN currency SET NOT NULL;
ALTER TABLE payments DROP CONSTRAINT payments_currency_not_null;
