-- Step 1 of 3 towards payments.currency NOT NULL.
ALTER TABLE payments
    ADD CONSTRAINT payments_currency_not_null CHECK (currency IS NOT NULL) NOT VALID;
