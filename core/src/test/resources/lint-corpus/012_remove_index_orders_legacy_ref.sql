-- Rails: remove_index :orders, :legacy_ref
DROP INDEX index_orders_on_legacy_ref;
