ALTER TABLE line_items
    ADD CONSTRAINT line_items_quantity_positive CHECK (quantity > 0);
