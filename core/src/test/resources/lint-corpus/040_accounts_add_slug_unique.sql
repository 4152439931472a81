-- Django: AddField(model_name='account', name='slug', field=SlugField(unique=True, null=True))
ALTER TABLE "accounts" ADD COLUMN "slug" text NULL UNIQUE;
