ALTER TABLE "staff_users" DROP CONSTRAINT "staff_users_role_valid";--> statement-breakpoint
ALTER TABLE "staff_users" ALTER COLUMN "municipality_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "staff_users" ADD CONSTRAINT "staff_users_municipality_unless_operator" CHECK (("staff_users"."role" = 'operator') = ("staff_users"."municipality_id" IS NULL));--> statement-breakpoint
ALTER TABLE "staff_users" ADD CONSTRAINT "staff_users_role_valid" CHECK ("staff_users"."role" IN ('admin', 'caseworker', 'finance', 'provider_staff', 'auditor', 'operator'));