ALTER TABLE line_item_adjustments RENAME TO order_adjustments;
