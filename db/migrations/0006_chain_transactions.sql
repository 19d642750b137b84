CREATE TABLE "chain_transactions" (
	"hash" text PRIMARY KEY NOT NULL,
	"signer" text NOT NULL,
	"nonce" bigint NOT NULL,
	"raw_tx" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Transactions signed before this migration keep their bytes: one row per transaction.
INSERT INTO "chain_transactions" ("hash", "signer", "nonce", "raw_tx", "created_at")
SELECT DISTINCT ON ("tx_hash") "tx_hash", "signer", "nonce", "raw_tx", "created_at"
FROM "chain_outbox"
WHERE "tx_hash" IS NOT NULL AND "raw_tx" IS NOT NULL AND "nonce" IS NOT NULL
ORDER BY "tx_hash", "id";--> statement-breakpoint
ALTER TABLE "chain_outbox" DROP CONSTRAINT "chain_outbox_signed_has_tx";--> statement-breakpoint
CREATE INDEX "chain_transactions_signer_nonce_idx" ON "chain_transactions" USING btree ("signer","nonce");--> statement-breakpoint
ALTER TABLE "chain_outbox" ADD CONSTRAINT "chain_outbox_tx_hash_chain_transactions_hash_fk" FOREIGN KEY ("tx_hash") REFERENCES "public"."chain_transactions"("hash") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chain_outbox_tx_hash_idx" ON "chain_outbox" USING btree ("tx_hash");--> statement-breakpoint
ALTER TABLE "chain_outbox" DROP COLUMN "raw_tx";--> statement-breakpoint
ALTER TABLE "chain_outbox" ADD CONSTRAINT "chain_outbox_signed_has_tx" CHECK ("chain_outbox"."status" IN ('queued', 'failed') OR ("chain_outbox"."tx_hash" IS NOT NULL AND "chain_outbox"."nonce" IS NOT NULL));