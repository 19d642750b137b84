CREATE TABLE "staff_passkey_challenges" (
	"challenge" text PRIMARY KEY NOT NULL,
	"staff_user_id" uuid NOT NULL,
	"municipality_id" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_passkey_challenges_format" CHECK ("staff_passkey_challenges"."challenge" ~ '^[A-Za-z0-9_-]{43}$')
);
--> statement-breakpoint
CREATE TABLE "staff_passkeys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"staff_user_id" uuid NOT NULL,
	"municipality_id" integer NOT NULL,
	"credential_id" text NOT NULL,
	"public_key_x" "bytea" NOT NULL,
	"public_key_y" "bytea" NOT NULL,
	"chain_address" text NOT NULL,
	"device_name" text NOT NULL,
	"kind" text NOT NULL,
	"transports" text[] DEFAULT '{}' NOT NULL,
	"sign_count" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "staff_passkeys_credential_id_unique" UNIQUE("credential_id"),
	CONSTRAINT "staff_passkeys_chain_address_unique" UNIQUE("chain_address"),
	CONSTRAINT "staff_passkeys_kind_valid" CHECK ("staff_passkeys"."kind" IN ('passkey', 'development')),
	CONSTRAINT "staff_passkeys_credential_id_format" CHECK ("staff_passkeys"."credential_id" ~ '^[A-Za-z0-9_-]+$' AND char_length("staff_passkeys"."credential_id") BETWEEN 16 AND 1364),
	CONSTRAINT "staff_passkeys_coordinates_32_bytes" CHECK (octet_length("staff_passkeys"."public_key_x") = 32 AND octet_length("staff_passkeys"."public_key_y") = 32),
	CONSTRAINT "staff_passkeys_chain_address_format" CHECK ("staff_passkeys"."chain_address" ~ '^0x[0-9a-f]{40}$'),
	CONSTRAINT "staff_passkeys_device_name_length" CHECK (char_length("staff_passkeys"."device_name") BETWEEN 1 AND 64),
	CONSTRAINT "staff_passkeys_sign_count_range" CHECK ("staff_passkeys"."sign_count" BETWEEN 0 AND 4294967295)
);
--> statement-breakpoint
ALTER TABLE "staff_passkey_challenges" ADD CONSTRAINT "staff_passkey_challenges_staff_user_id_staff_users_id_fk" FOREIGN KEY ("staff_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_passkey_challenges" ADD CONSTRAINT "staff_passkey_challenges_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_passkeys" ADD CONSTRAINT "staff_passkeys_staff_user_id_staff_users_id_fk" FOREIGN KEY ("staff_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_passkeys" ADD CONSTRAINT "staff_passkeys_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "staff_passkey_challenges_staff_idx" ON "staff_passkey_challenges" USING btree ("staff_user_id");--> statement-breakpoint
CREATE INDEX "staff_passkeys_staff_idx" ON "staff_passkeys" USING btree ("staff_user_id");--> statement-breakpoint
CREATE INDEX "staff_passkeys_municipality_idx" ON "staff_passkeys" USING btree ("municipality_id");
--> statement-breakpoint
-- The second wall (see 0009): a municipality's staff see their own municipality's passkeys and
-- enrolment challenges only, so an admin can never list or revoke another municipality's keys.
ALTER TABLE "staff_passkeys" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "staff_passkeys_tenant" ON "staff_passkeys" TO voucher_tenant
  USING ("municipality_id" = tenant_municipality());
--> statement-breakpoint
ALTER TABLE "staff_passkey_challenges" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "staff_passkey_challenges_tenant" ON "staff_passkey_challenges" TO voucher_tenant
  USING ("municipality_id" = tenant_municipality());
