-- New invoices are checked at once; old rows are validated in 036.
ALTER TABLE invoices
    ADD CONSTRAINT invoices_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
