-- Step 2 of 3: scans payments without blocking writes.
SET statement_timeout = '1h';
ALTER TABLE payments VALIDATE CONSTRAINT payments_currency_not_null;
