CREATE TABLE "provider_admissions" (
	"municipality_id" integer NOT NULL,
	"provider_id" integer NOT NULL,
	"categories" integer NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"admitted_by" uuid,
	"admitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "provider_admissions_pk" PRIMARY KEY("municipality_id","provider_id"),
	CONSTRAINT "provider_admissions_categories_non_empty" CHECK ("provider_admissions"."categories" > 0),
	CONSTRAINT "provider_admissions_status_valid" CHECK ("provider_admissions"."status" IN ('active', 'suspended'))
);
--> statement-breakpoint
ALTER TABLE "citizens" DROP CONSTRAINT "citizens_cpr_blind_index_unique";--> statement-breakpoint
DROP INDEX "settlements_period_live_unique";--> statement-breakpoint
ALTER TABLE "citizens" ADD COLUMN "moved_out_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "municipalities" ADD COLUMN "debtor_iban" text;--> statement-breakpoint
ALTER TABLE "municipalities" ADD COLUMN "debtor_bic" text;--> statement-breakpoint
ALTER TABLE "municipalities" ADD COLUMN "contact_phone" text;--> statement-breakpoint
ALTER TABLE "provider_admissions" ADD CONSTRAINT "provider_admissions_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_admissions" ADD CONSTRAINT "provider_admissions_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_admissions" ADD CONSTRAINT "provider_admissions_admitted_by_staff_users_id_fk" FOREIGN KEY ("admitted_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "provider_admissions_provider_idx" ON "provider_admissions" USING btree ("provider_id");--> statement-breakpoint
CREATE UNIQUE INDEX "citizens_municipality_cpr_unique" ON "citizens" USING btree ("municipality_id","cpr_blind_index") WHERE "citizens"."moved_out_at" IS NULL;--> statement-breakpoint
CREATE INDEX "citizens_cpr_blind_index_idx" ON "citizens" USING btree ("cpr_blind_index");--> statement-breakpoint
CREATE UNIQUE INDEX "settlements_period_live_unique" ON "settlements" USING btree ("municipality_id","period_id") WHERE "settlements"."status" <> 'rejected';--> statement-breakpoint
ALTER TABLE "municipalities" ADD CONSTRAINT "municipalities_debtor_iban_format" CHECK ("municipalities"."debtor_iban" IS NULL OR "municipalities"."debtor_iban" ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$');--> statement-breakpoint
ALTER TABLE "municipalities" ADD CONSTRAINT "municipalities_debtor_bic_format" CHECK ("municipalities"."debtor_bic" IS NULL OR "municipalities"."debtor_bic" ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$');--> statement-breakpoint
-- Providers approved before municipalities were walled off are admitted by their home municipality.
INSERT INTO "provider_admissions" ("municipality_id", "provider_id", "categories", "status", "admitted_by", "admitted_at")
SELECT "municipality_id", "id", "categories", CASE WHEN "status" = 'suspended' THEN 'suspended' ELSE 'active' END, "approved_by", "approved_at"
FROM "providers" WHERE "status" <> 'pending';
