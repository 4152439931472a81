-- Index first, foreign key later (see 033). Index builds may take a while: give it room.
SET statement_timeout = '2h';
CREATE INDEX CONCURRENTLY index_orders_on_customer_id ON orders (customer_id);
