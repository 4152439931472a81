-- Invoices are moving to the billing service.
ALTER TABLE invoices DROP CONSTRAINT invoices_customer_id_fkey;
