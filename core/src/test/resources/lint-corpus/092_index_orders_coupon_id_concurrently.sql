SET statement_timeout = '2h';
CREATE INDEX CONCURRENTLY index_orders_on_coupon_id ON orders (coupon_id);
