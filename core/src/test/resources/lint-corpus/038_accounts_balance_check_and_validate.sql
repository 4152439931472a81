ALTER TABLE accounts ADD CONSTRAINT accounts_balance_non_negative CHECK (balance_cents >= 0) NOT VALID;
ALTER TABLE accounts VALIDATE CONSTRAINT accounts_balance_non_negative;
