-- Row-level security: the second wall between municipalities, under the API's own filters.
-- Reads made for a municipality's staff run as the role voucher_tenant with the setting
-- voucher.municipality_id set for the transaction (services/voucher-api/src/tenancy/with-tenant.ts),
-- so a query that forgets its municipality filter still returns nothing of another
-- municipality. Without the setting every tenant query fails: the wall fails closed.
-- The audit log stays outside: it is one hash chain across the service (db/src/audit).
-- The owner (migrations, the outbox, the indexer, the platform operator) is not this role and
-- sees every row. Roles are cluster-wide: databases migrated side by side may race to create it.
DO $$
BEGIN
  CREATE ROLE voucher_tenant NOLOGIN NOINHERIT NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;
--> statement-breakpoint
DO $$
BEGIN
  -- A superuser may SET ROLE to anyone; any other owner needs the membership.
  IF NOT pg_has_role(current_user, 'voucher_tenant', 'MEMBER') THEN
    EXECUTE format('GRANT voucher_tenant TO %I', current_user);
  END IF;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO voucher_tenant;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO voucher_tenant;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO voucher_tenant;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO voucher_tenant;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO voucher_tenant;
--> statement-breakpoint
-- Unset and emptied (a setting reverts to '' after its transaction) are both an error, so a
-- tenant query outside withTenant is loud instead of empty.
CREATE FUNCTION tenant_municipality() RETURNS integer LANGUAGE plpgsql STABLE AS $$
DECLARE
  municipality text := current_setting('voucher.municipality_id', true);
BEGIN
  IF municipality IS NULL OR municipality = '' THEN
    RAISE EXCEPTION 'no municipality is set for this transaction (voucher.municipality_id)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN municipality::integer;
END
$$;
--> statement-breakpoint
ALTER TABLE "citizens" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "citizens_tenant" ON "citizens" TO voucher_tenant
  USING ("municipality_id" = tenant_municipality());
--> statement-breakpoint
ALTER TABLE "accounts" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "accounts_tenant" ON "accounts" TO voucher_tenant
  USING ("municipality_id" = tenant_municipality());
--> statement-breakpoint
ALTER TABLE "passes" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "passes_tenant" ON "passes" TO voucher_tenant
  USING (EXISTS (SELECT 1 FROM "accounts" a WHERE a."account_id" = "passes"."account_id"));
--> statement-breakpoint
ALTER TABLE "grants" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "grants_tenant" ON "grants" TO voucher_tenant
  USING ("municipality_id" = tenant_municipality());
--> statement-breakpoint
ALTER TABLE "programs" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "programs_tenant" ON "programs" TO voucher_tenant
  USING ("municipality_id" = tenant_municipality());
--> statement-breakpoint
ALTER TABLE "redemptions" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "redemptions_tenant" ON "redemptions" TO voucher_tenant
  USING (EXISTS (SELECT 1 FROM "programs" p WHERE p."id" = "redemptions"."program_id"));
--> statement-breakpoint
ALTER TABLE "settlements" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "settlements_tenant" ON "settlements" TO voucher_tenant
  USING ("municipality_id" = tenant_municipality());
--> statement-breakpoint
ALTER TABLE "settlement_payouts" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "settlement_payouts_tenant" ON "settlement_payouts" TO voucher_tenant
  USING (EXISTS (SELECT 1 FROM "settlements" s WHERE s."id" = "settlement_payouts"."settlement_id"));
--> statement-breakpoint
ALTER TABLE "provider_admissions" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "provider_admissions_tenant" ON "provider_admissions" TO voucher_tenant
  USING ("municipality_id" = tenant_municipality());
--> statement-breakpoint
-- A provider is seen where it is at home and where it is admitted (one organisation, several
-- municipalities); only its home municipality may change it.
ALTER TABLE "providers" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "providers_tenant_read" ON "providers" FOR SELECT TO voucher_tenant
  USING ("municipality_id" = tenant_municipality()
    OR EXISTS (SELECT 1 FROM "provider_admissions" pa WHERE pa."provider_id" = "providers"."id"));
--> statement-breakpoint
CREATE POLICY "providers_tenant_write" ON "providers" FOR UPDATE TO voucher_tenant
  USING ("municipality_id" = tenant_municipality());
--> statement-breakpoint
ALTER TABLE "staff_users" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "staff_users_tenant" ON "staff_users" TO voucher_tenant
  USING ("municipality_id" = tenant_municipality());
