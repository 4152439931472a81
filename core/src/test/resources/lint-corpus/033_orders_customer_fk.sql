-- Rails: add_foreign_key :orders, :customers
ALTER TABLE orders
    ADD CONSTRAINT fk_rails_orders_customer_id FOREIGN KEY (customer_id) REFERENCES customers (id);
