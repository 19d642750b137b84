CREATE TABLE "accounts" (
	"account_id" "bytea" PRIMARY KEY NOT NULL,
	"municipality_id" integer NOT NULL,
	"citizen_id" uuid,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_account_id_32_bytes" CHECK (octet_length("accounts"."account_id") = 32),
	CONSTRAINT "accounts_status_valid" CHECK ("accounts"."status" IN ('active', 'suspended', 'closed'))
);
--> statement-breakpoint
CREATE TABLE "activation_codes" (
	"code_hash" "bytea" PRIMARY KEY NOT NULL,
	"account_id" "bytea" NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activation_codes_attempts_non_negative" CHECK ("activation_codes"."attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"municipality_id" integer,
	"actor_id" text NOT NULL,
	"actor_role" text NOT NULL,
	"action" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"prev_hash" "bytea" NOT NULL,
	"hash" "bytea" NOT NULL,
	CONSTRAINT "audit_log_seq_positive" CHECK ("audit_log"."seq" > 0),
	CONSTRAINT "audit_log_hash_32_bytes" CHECK (octet_length("audit_log"."hash") = 32 AND octet_length("audit_log"."prev_hash") = 32)
);
--> statement-breakpoint
CREATE TABLE "chain_cursor" (
	"name" text PRIMARY KEY NOT NULL,
	"block_number" bigint NOT NULL,
	"block_hash" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chain_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"contract" text NOT NULL,
	"function_name" text NOT NULL,
	"args" jsonb NOT NULL,
	"signer" text DEFAULT 'operator' NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"nonce" bigint,
	"raw_tx" text,
	"tx_hash" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"confirmed_block" bigint,
	"idempotency_key" text NOT NULL,
	CONSTRAINT "chain_outbox_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "chain_outbox_status_valid" CHECK ("chain_outbox"."status" IN ('queued', 'signed', 'sent', 'confirmed', 'failed')),
	CONSTRAINT "chain_outbox_attempts_non_negative" CHECK ("chain_outbox"."attempts" >= 0),
	CONSTRAINT "chain_outbox_nonce_non_negative" CHECK ("chain_outbox"."nonce" IS NULL OR "chain_outbox"."nonce" >= 0),
	CONSTRAINT "chain_outbox_signed_has_tx" CHECK ("chain_outbox"."status" IN ('queued', 'failed') OR ("chain_outbox"."raw_tx" IS NOT NULL AND "chain_outbox"."tx_hash" IS NOT NULL AND "chain_outbox"."nonce" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "citizens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" integer NOT NULL,
	"cpr_blind_index" "bytea",
	"wrapped_data_key" "bytea",
	"sealed_record" "bytea",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"erased_at" timestamp with time zone,
	CONSTRAINT "citizens_cpr_blind_index_unique" UNIQUE("cpr_blind_index"),
	CONSTRAINT "citizens_erasure_destroys_everything" CHECK ("citizens"."erased_at" IS NULL OR ("citizens"."cpr_blind_index" IS NULL AND "citizens"."wrapped_data_key" IS NULL AND "citizens"."sealed_record" IS NULL)),
	CONSTRAINT "citizens_live_record_complete" CHECK ("citizens"."erased_at" IS NOT NULL OR ("citizens"."cpr_blind_index" IS NOT NULL AND "citizens"."wrapped_data_key" IS NOT NULL AND "citizens"."sealed_record" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" "bytea" NOT NULL,
	"public_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" integer NOT NULL,
	"program_id" bigint NOT NULL,
	"account_id" "bytea" NOT NULL,
	"person_key" "bytea",
	"amount_ore" bigint,
	"uses" integer,
	"granted_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "grants_amount_non_negative" CHECK ("grants"."amount_ore" IS NULL OR "grants"."amount_ore" >= 0),
	CONSTRAINT "grants_uses_non_negative" CHECK ("grants"."uses" IS NULL OR "grants"."uses" >= 0),
	CONSTRAINT "grants_has_value" CHECK ("grants"."amount_ore" IS NOT NULL OR "grants"."uses" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "municipalities" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "municipalities_id_range" CHECK ("municipalities"."id" BETWEEN 1 AND 999)
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider_id" integer NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"price_ore" bigint NOT NULL,
	"category" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"withdrawn_at" timestamp with time zone,
	CONSTRAINT "offers_price_non_negative" CHECK ("offers"."price_ore" >= 0),
	CONSTRAINT "offers_category_single_bit" CHECK ("offers"."category" > 0 AND ("offers"."category" & ("offers"."category" - 1)) = 0)
);
--> statement-breakpoint
CREATE TABLE "passes" (
	"serial" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "passes_serial_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" "bytea" NOT NULL,
	"kind" text DEFAULT 'printed' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "passes_kind_valid" CHECK ("passes"."kind" IN ('printed')),
	CONSTRAINT "passes_status_valid" CHECK ("passes"."status" IN ('active', 'revoked')),
	CONSTRAINT "passes_revoked_has_time" CHECK (("passes"."status" = 'revoked') = ("passes"."revoked_at" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "presentation_replays" (
	"presentation_hash" "bytea" PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "program_providers" (
	"program_id" bigint NOT NULL,
	"provider_id" integer NOT NULL,
	CONSTRAINT "program_providers_pk" PRIMARY KEY("program_id","provider_id")
);
--> statement-breakpoint
CREATE TABLE "programs" (
	"id" bigint PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY (sequence name "programs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"municipality_id" integer NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"kind" text NOT NULL,
	"credit_ore" bigint,
	"uses_per_grant" integer,
	"max_per_use_ore" bigint NOT NULL,
	"uses_per_window" integer,
	"window_days" integer,
	"categories" integer NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_until" timestamp with time zone NOT NULL,
	"budget_ore" bigint DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"eligibility_rule" jsonb,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "programs_kind_valid" CHECK ("programs"."kind" IN ('credit', 'uses')),
	CONSTRAINT "programs_status_valid" CHECK ("programs"."status" IN ('draft', 'published', 'suspended')),
	CONSTRAINT "programs_kind_shape" CHECK (("programs"."kind" = 'credit' AND "programs"."credit_ore" > 0 AND "programs"."uses_per_grant" IS NULL) OR ("programs"."kind" = 'uses' AND "programs"."uses_per_grant" > 0 AND "programs"."credit_ore" IS NULL)),
	CONSTRAINT "programs_max_per_use_positive" CHECK ("programs"."max_per_use_ore" > 0),
	CONSTRAINT "programs_budget_non_negative" CHECK ("programs"."budget_ore" >= 0),
	CONSTRAINT "programs_window_complete" CHECK (("programs"."uses_per_window" IS NULL AND "programs"."window_days" IS NULL) OR ("programs"."uses_per_window" > 0 AND "programs"."window_days" > 0)),
	CONSTRAINT "programs_categories_non_empty" CHECK ("programs"."categories" > 0),
	CONSTRAINT "programs_validity_ordered" CHECK ("programs"."valid_until" > "programs"."valid_from"),
	CONSTRAINT "programs_published_has_time" CHECK ("programs"."status" = 'draft' OR "programs"."published_at" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "providers" (
	"id" integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY (sequence name "providers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"municipality_id" integer NOT NULL,
	"cvr" text NOT NULL,
	"name" text NOT NULL,
	"iban" text NOT NULL,
	"categories" integer NOT NULL,
	"address" text NOT NULL,
	"contact_email" text NOT NULL,
	"contact_phone" text,
	"payout_address" text,
	"payout_key_wrapped" "bytea",
	"status" text DEFAULT 'pending' NOT NULL,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "providers_cvr_unique" UNIQUE("cvr"),
	CONSTRAINT "providers_cvr_format" CHECK ("providers"."cvr" ~ '^[0-9]{8}$'),
	CONSTRAINT "providers_iban_format" CHECK ("providers"."iban" ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$'),
	CONSTRAINT "providers_categories_non_empty" CHECK ("providers"."categories" > 0),
	CONSTRAINT "providers_status_valid" CHECK ("providers"."status" IN ('pending', 'active', 'suspended')),
	CONSTRAINT "providers_approved_has_payout" CHECK ("providers"."status" = 'pending' OR ("providers"."payout_address" IS NOT NULL AND "providers"."payout_key_wrapped" IS NOT NULL AND "providers"."approved_at" IS NOT NULL)),
	CONSTRAINT "providers_payout_address_format" CHECK ("providers"."payout_address" IS NULL OR "providers"."payout_address" ~ '^0x[0-9a-f]{40}$')
);
--> statement-breakpoint
CREATE TABLE "staff_users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" integer NOT NULL,
	"username" text NOT NULL,
	"role" text NOT NULL,
	"provider_id" integer,
	"password_hash" text NOT NULL,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"chain_address" text,
	"chain_key_wrapped" "bytea",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone,
	CONSTRAINT "staff_users_username_unique" UNIQUE("username"),
	CONSTRAINT "staff_users_role_valid" CHECK ("staff_users"."role" IN ('admin', 'caseworker', 'finance', 'provider_staff', 'auditor')),
	CONSTRAINT "staff_users_provider_only_for_provider_staff" CHECK (("staff_users"."role" = 'provider_staff') = ("staff_users"."provider_id" IS NOT NULL)),
	CONSTRAINT "staff_users_failed_logins_non_negative" CHECK ("staff_users"."failed_logins" >= 0),
	CONSTRAINT "staff_users_chain_key_complete" CHECK (("staff_users"."chain_address" IS NULL) = ("staff_users"."chain_key_wrapped" IS NULL)),
	CONSTRAINT "staff_users_finance_has_chain_key" CHECK ("staff_users"."role" <> 'finance' OR "staff_users"."chain_address" IS NOT NULL),
	CONSTRAINT "staff_users_chain_address_format" CHECK ("staff_users"."chain_address" IS NULL OR "staff_users"."chain_address" ~ '^0x[0-9a-f]{40}$')
);
--> statement-breakpoint
CREATE TABLE "terminal_pairing_codes" (
	"code_hash" "bytea" PRIMARY KEY NOT NULL,
	"provider_id" integer NOT NULL,
	"created_by" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "terminals" (
	"address" text PRIMARY KEY NOT NULL,
	"provider_id" integer NOT NULL,
	"label" text NOT NULL,
	"public_key" text,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "terminals_address_format" CHECK ("terminals"."address" ~ '^0x[0-9a-f]{40}$'),
	CONSTRAINT "terminals_status_valid" CHECK ("terminals"."status" IN ('active', 'revoked')),
	CONSTRAINT "terminals_revoked_has_time" CHECK (("terminals"."status" = 'revoked') = ("terminals"."revoked_at" IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_citizen_id_citizens_id_fk" FOREIGN KEY ("citizen_id") REFERENCES "public"."citizens"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activation_codes" ADD CONSTRAINT "activation_codes_account_id_accounts_account_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("account_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "citizens" ADD CONSTRAINT "citizens_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_account_id_accounts_account_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("account_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_account_id_accounts_account_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("account_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_granted_by_staff_users_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passes" ADD CONSTRAINT "passes_account_id_accounts_account_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("account_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_providers" ADD CONSTRAINT "program_providers_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_providers" ADD CONSTRAINT "program_providers_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_created_by_staff_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "providers" ADD CONSTRAINT "providers_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "providers" ADD CONSTRAINT "providers_approved_by_staff_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_users" ADD CONSTRAINT "staff_users_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_users" ADD CONSTRAINT "staff_users_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "terminal_pairing_codes" ADD CONSTRAINT "terminal_pairing_codes_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "terminal_pairing_codes" ADD CONSTRAINT "terminal_pairing_codes_created_by_staff_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "terminals" ADD CONSTRAINT "terminals_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "accounts_citizen_idx" ON "accounts" USING btree ("citizen_id");--> statement-breakpoint
CREATE INDEX "accounts_municipality_idx" ON "accounts" USING btree ("municipality_id");--> statement-breakpoint
CREATE INDEX "activation_codes_account_idx" ON "activation_codes" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "audit_log_subject_idx" ON "audit_log" USING btree ("subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "audit_log_municipality_at_idx" ON "audit_log" USING btree ("municipality_id","at");--> statement-breakpoint
CREATE INDEX "chain_outbox_status_id_idx" ON "chain_outbox" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "citizens_municipality_idx" ON "citizens" USING btree ("municipality_id");--> statement-breakpoint
CREATE INDEX "devices_account_idx" ON "devices" USING btree ("account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "grants_program_person_key_unique" ON "grants" USING btree ("program_id","person_key");--> statement-breakpoint
CREATE INDEX "grants_account_idx" ON "grants" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "grants_program_idx" ON "grants" USING btree ("program_id");--> statement-breakpoint
CREATE INDEX "offers_provider_idx" ON "offers" USING btree ("provider_id");--> statement-breakpoint
CREATE INDEX "offers_category_idx" ON "offers" USING btree ("category");--> statement-breakpoint
CREATE INDEX "passes_account_idx" ON "passes" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "presentation_replays_expires_idx" ON "presentation_replays" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "program_providers_provider_idx" ON "program_providers" USING btree ("provider_id");--> statement-breakpoint
CREATE INDEX "programs_municipality_status_idx" ON "programs" USING btree ("municipality_id","status");--> statement-breakpoint
CREATE INDEX "providers_municipality_idx" ON "providers" USING btree ("municipality_id");--> statement-breakpoint
CREATE INDEX "providers_status_idx" ON "providers" USING btree ("status");--> statement-breakpoint
CREATE INDEX "staff_users_municipality_idx" ON "staff_users" USING btree ("municipality_id");--> statement-breakpoint
CREATE INDEX "staff_users_provider_idx" ON "staff_users" USING btree ("provider_id");--> statement-breakpoint
CREATE INDEX "terminal_pairing_codes_provider_idx" ON "terminal_pairing_codes" USING btree ("provider_id");--> statement-breakpoint
CREATE INDEX "terminals_provider_idx" ON "terminals" USING btree ("provider_id");