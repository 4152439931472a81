ALTER TYPE payment_method ADD VALUE IF NOT EXISTS 'sepa_debit' AFTER 'card';
