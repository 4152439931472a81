-- Rails: add_index :orders, :created_at
CREATE INDEX index_orders_on_created_at ON orders USING btree (created_at);
