-- Django: AddField(model_name='order', name='sales_channel', field=TextField())
ALTER TABLE "orders" ADD COLUMN "sales_channel" text NOT NULL;
