ALTER TABLE "activation_codes" ADD COLUMN "selector_hash" "bytea";--> statement-breakpoint
-- Unused codes from before selectors cannot be found any more; their letters must be printed again.
DELETE FROM "activation_codes" WHERE "used_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "activation_codes_unused_selector_unique" ON "activation_codes" USING btree ("selector_hash") WHERE "activation_codes"."used_at" IS NULL;--> statement-breakpoint
ALTER TABLE "activation_codes" ADD CONSTRAINT "activation_codes_unused_has_selector" CHECK ("activation_codes"."used_at" IS NOT NULL OR "activation_codes"."selector_hash" IS NOT NULL);