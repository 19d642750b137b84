CREATE TABLE "program_fundings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"municipality_id" integer NOT NULL,
	"program_id" bigint NOT NULL,
	"request_id" uuid NOT NULL,
	"amount_ore" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"proposed_by" uuid NOT NULL,
	"approved_by" uuid,
	"outbox_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"funded_at" timestamp with time zone,
	CONSTRAINT "program_fundings_request_unique" UNIQUE("municipality_id","request_id"),
	CONSTRAINT "program_fundings_amount_positive" CHECK ("program_fundings"."amount_ore" > 0),
	CONSTRAINT "program_fundings_status_valid" CHECK ("program_fundings"."status" IN ('awaiting-second-officer', 'pending', 'funded', 'rejected'))
);
--> statement-breakpoint
ALTER TABLE "staff_users" DROP CONSTRAINT "staff_users_finance_has_chain_key";--> statement-breakpoint
ALTER TABLE "program_fundings" ADD CONSTRAINT "program_fundings_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_fundings" ADD CONSTRAINT "program_fundings_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_fundings" ADD CONSTRAINT "program_fundings_proposed_by_staff_users_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_fundings" ADD CONSTRAINT "program_fundings_approved_by_staff_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "program_fundings_program_idx" ON "program_fundings" USING btree ("program_id");
--> statement-breakpoint
-- The second wall (see 0009): a municipality's staff see their own municipality's funding requests only.
ALTER TABLE "program_fundings" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "program_fundings_tenant" ON "program_fundings" TO voucher_tenant
  USING ("municipality_id" = tenant_municipality());
--> statement-breakpoint
-- Keys in people's hands (issue #12): the service no longer holds finance officers' chain keys.
-- Officers sign with their own passkeys; the wrapped keys it generated for them are dropped.
UPDATE "staff_users" SET "chain_key_wrapped" = NULL, "chain_address" = NULL WHERE "chain_key_wrapped" IS NOT NULL;
