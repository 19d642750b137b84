CREATE TABLE "disputes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" integer NOT NULL,
	"terminal" text NOT NULL,
	"redemption_id" bigint NOT NULL,
	"provider_id" integer NOT NULL,
	"account" text NOT NULL,
	"raised_by" text NOT NULL,
	"raised_by_staff" uuid,
	"reason" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "disputes_raised_by_valid" CHECK ("disputes"."raised_by" IN ('citizen', 'caseworker')),
	CONSTRAINT "disputes_reason_valid" CHECK ("disputes"."reason" IN ('not_mine', 'wrong_amount', 'not_delivered', 'other')),
	CONSTRAINT "disputes_status_valid" CHECK ("disputes"."status" IN ('open', 'refunded', 'upheld', 'rejected')),
	CONSTRAINT "disputes_decision_shape" CHECK (("disputes"."status" IN ('upheld', 'rejected')) = ("disputes"."decided_by" IS NOT NULL AND "disputes"."decided_at" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "redemption_reversals" (
	"terminal" text NOT NULL,
	"reversal_id" bigint NOT NULL,
	"original_terminal" text NOT NULL,
	"original_redemption_id" bigint NOT NULL,
	"municipality_id" integer NOT NULL,
	"provider_id" integer NOT NULL,
	"program_id" bigint NOT NULL,
	"account" text NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"amount_ore" bigint NOT NULL,
	"required_period_id" bigint,
	"deadline" bigint NOT NULL,
	"signature" text NOT NULL,
	"payload_hash" "bytea" NOT NULL,
	"dispute_id" uuid,
	"status" text DEFAULT 'pending' NOT NULL,
	"rejection_code" text,
	"outbox_id" bigint,
	"tx_hash" text,
	"period_id" bigint,
	"from_claim_ore" bigint,
	"credit_restored" boolean,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone,
	CONSTRAINT "redemption_reversals_pkey" PRIMARY KEY("terminal","reversal_id"),
	CONSTRAINT "redemption_reversals_terminal_format" CHECK ("redemption_reversals"."terminal" ~ '^0x[0-9a-f]{40}$'),
	CONSTRAINT "redemption_reversals_amount_positive" CHECK ("redemption_reversals"."amount_ore" > 0),
	CONSTRAINT "redemption_reversals_kind_valid" CHECK ("redemption_reversals"."kind" IN ('void', 'refund')),
	CONSTRAINT "redemption_reversals_reason_valid" CHECK ("redemption_reversals"."reason" IN ('mistyped', 'cancelled', 'returned', 'dispute', 'other')),
	CONSTRAINT "redemption_reversals_void_names_period" CHECK (("redemption_reversals"."kind" = 'void') = ("redemption_reversals"."required_period_id" IS NOT NULL)),
	CONSTRAINT "redemption_reversals_status_valid" CHECK ("redemption_reversals"."status" IN ('pending', 'confirmed', 'rejected')),
	CONSTRAINT "redemption_reversals_status_shape" CHECK (("redemption_reversals"."status" = 'pending' AND "redemption_reversals"."rejection_code" IS NULL)
        OR ("redemption_reversals"."status" = 'confirmed' AND "redemption_reversals"."period_id" IS NOT NULL AND "redemption_reversals"."tx_hash" IS NOT NULL
            AND "redemption_reversals"."from_claim_ore" IS NOT NULL AND "redemption_reversals"."credit_restored" IS NOT NULL)
        OR ("redemption_reversals"."status" = 'rejected' AND "redemption_reversals"."rejection_code" IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE "settlement_payouts" DROP CONSTRAINT "settlement_payouts_amount_positive";--> statement-breakpoint
ALTER TABLE "settlement_payouts" DROP CONSTRAINT "settlement_payouts_count_positive";--> statement-breakpoint
-- Payouts made before corrections existed paid their whole claim.
ALTER TABLE "settlement_payouts" ADD COLUMN "claim_ore" bigint;--> statement-breakpoint
UPDATE "settlement_payouts" SET "claim_ore" = "amount_ore";--> statement-breakpoint
ALTER TABLE "settlement_payouts" ALTER COLUMN "claim_ore" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "settlement_payouts" ADD COLUMN "offset_ore" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_raised_by_staff_staff_users_id_fk" FOREIGN KEY ("raised_by_staff") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_decided_by_staff_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_redemption_fk" FOREIGN KEY ("terminal","redemption_id") REFERENCES "public"."redemptions"("terminal","redemption_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemption_reversals" ADD CONSTRAINT "redemption_reversals_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemption_reversals" ADD CONSTRAINT "redemption_reversals_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemption_reversals" ADD CONSTRAINT "redemption_reversals_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemption_reversals" ADD CONSTRAINT "redemption_reversals_created_by_staff_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemption_reversals" ADD CONSTRAINT "redemption_reversals_original_fk" FOREIGN KEY ("original_terminal","original_redemption_id") REFERENCES "public"."redemptions"("terminal","redemption_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "disputes_one_open_per_redemption" ON "disputes" USING btree ("terminal","redemption_id") WHERE "disputes"."status" = 'open';--> statement-breakpoint
CREATE INDEX "disputes_municipality_status_idx" ON "disputes" USING btree ("municipality_id","status");--> statement-breakpoint
CREATE INDEX "disputes_provider_status_idx" ON "disputes" USING btree ("provider_id","status");--> statement-breakpoint
CREATE INDEX "redemption_reversals_original_idx" ON "redemption_reversals" USING btree ("original_terminal","original_redemption_id");--> statement-breakpoint
CREATE INDEX "redemption_reversals_municipality_period_idx" ON "redemption_reversals" USING btree ("municipality_id","period_id");--> statement-breakpoint
CREATE INDEX "redemption_reversals_provider_created_idx" ON "redemption_reversals" USING btree ("provider_id","created_at");--> statement-breakpoint
CREATE INDEX "redemption_reversals_account_idx" ON "redemption_reversals" USING btree ("account");--> statement-breakpoint
ALTER TABLE "settlement_payouts" ADD CONSTRAINT "settlement_payouts_claim_positive" CHECK ("settlement_payouts"."claim_ore" > 0);--> statement-breakpoint
ALTER TABLE "settlement_payouts" ADD CONSTRAINT "settlement_payouts_amount_is_claim_less_offset" CHECK ("settlement_payouts"."offset_ore" >= 0 AND "settlement_payouts"."amount_ore" = "settlement_payouts"."claim_ore" - "settlement_payouts"."offset_ore" AND "settlement_payouts"."amount_ore" >= 0);--> statement-breakpoint
ALTER TABLE "settlement_payouts" ADD CONSTRAINT "settlement_payouts_count_non_negative" CHECK ("settlement_payouts"."redemption_count" >= 0);--> statement-breakpoint
-- The second wall (see 0009) for the new tables: a municipality's staff see its own rows only.
ALTER TABLE "redemption_reversals" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "redemption_reversals_tenant" ON "redemption_reversals" TO voucher_tenant
  USING ("municipality_id" = tenant_municipality());
--> statement-breakpoint
ALTER TABLE "disputes" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "disputes_tenant" ON "disputes" TO voucher_tenant
  USING ("municipality_id" = tenant_municipality());
