-- Django: AlterField(model_name='order', name='status', field=CharField(null=False))
ALTER TABLE "orders" ALTER COLUMN "status" SET NOT NULL;
