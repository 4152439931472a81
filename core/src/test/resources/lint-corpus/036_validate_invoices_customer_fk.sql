SET statement_timeout = '1h';
ALTER TABLE invoices VALIDATE CONSTRAINT invoices_customer_id_fkey;
