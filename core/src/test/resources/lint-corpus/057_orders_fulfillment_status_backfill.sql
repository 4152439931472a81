ALTER TABLE orders ADD COLUMN fulfillment_status text;
UPDATE orders SET fulfillment_status = 'unfulfilled';
