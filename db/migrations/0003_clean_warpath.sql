CREATE TABLE "redemptions" (
	"terminal" text NOT NULL,
	"redemption_id" bigint NOT NULL,
	"provider_id" integer NOT NULL,
	"program_id" bigint NOT NULL,
	"account" text NOT NULL,
	"amount_ore" bigint NOT NULL,
	"deadline" bigint NOT NULL,
	"signature" text NOT NULL,
	"scan_id" uuid,
	"payload_hash" "bytea" NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"rejection_code" text,
	"outbox_id" bigint,
	"tx_hash" text,
	"period_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone,
	CONSTRAINT "redemptions_pkey" PRIMARY KEY("terminal","redemption_id"),
	CONSTRAINT "redemptions_terminal_format" CHECK ("redemptions"."terminal" ~ '^0x[0-9a-f]{40}$'),
	CONSTRAINT "redemptions_account_format" CHECK ("redemptions"."account" ~ '^0x[0-9a-f]{64}$'),
	CONSTRAINT "redemptions_amount_positive" CHECK ("redemptions"."amount_ore" > 0),
	CONSTRAINT "redemptions_id_non_negative" CHECK ("redemptions"."redemption_id" >= 0),
	CONSTRAINT "redemptions_status_valid" CHECK ("redemptions"."status" IN ('pending', 'confirmed', 'rejected')),
	CONSTRAINT "redemptions_status_shape" CHECK (("redemptions"."status" = 'pending' AND "redemptions"."rejection_code" IS NULL)
        OR ("redemptions"."status" = 'confirmed' AND "redemptions"."period_id" IS NOT NULL AND "redemptions"."tx_hash" IS NOT NULL AND "redemptions"."confirmed_at" IS NOT NULL)
        OR ("redemptions"."status" = 'rejected' AND "redemptions"."rejection_code" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "scans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider_id" integer NOT NULL,
	"account" text NOT NULL,
	"pass_kind" text NOT NULL,
	"pass_serial" bigint,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scans_account_format" CHECK ("scans"."account" ~ '^0x[0-9a-f]{64}$'),
	CONSTRAINT "scans_pass_kind_valid" CHECK ("scans"."pass_kind" IN ('static', 'rotating'))
);
--> statement-breakpoint
ALTER TABLE "redemptions" ADD CONSTRAINT "redemptions_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemptions" ADD CONSTRAINT "redemptions_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemptions" ADD CONSTRAINT "redemptions_scan_id_scans_id_fk" FOREIGN KEY ("scan_id") REFERENCES "public"."scans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scans" ADD CONSTRAINT "scans_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "redemptions_account_program_idx" ON "redemptions" USING btree ("account","program_id");--> statement-breakpoint
CREATE INDEX "redemptions_provider_created_idx" ON "redemptions" USING btree ("provider_id","created_at");--> statement-breakpoint
CREATE INDEX "redemptions_period_provider_idx" ON "redemptions" USING btree ("period_id","provider_id");--> statement-breakpoint
CREATE INDEX "redemptions_outbox_idx" ON "redemptions" USING btree ("outbox_id");--> statement-breakpoint
CREATE INDEX "redemptions_status_idx" ON "redemptions" USING btree ("status");--> statement-breakpoint
CREATE INDEX "scans_provider_created_idx" ON "scans" USING btree ("provider_id","created_at");