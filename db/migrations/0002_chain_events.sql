CREATE TABLE "chain_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"chain_id" integer NOT NULL,
	"block_number" bigint NOT NULL,
	"block_hash" text NOT NULL,
	"log_index" integer NOT NULL,
	"tx_hash" text NOT NULL,
	"contract" text NOT NULL,
	"event_name" text NOT NULL,
	"args" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chain_events_block_log_unique" UNIQUE("block_number","log_index"),
	CONSTRAINT "chain_events_contract_valid" CHECK ("chain_events"."contract" IN ('hub', 'ekrone')),
	CONSTRAINT "chain_events_block_non_negative" CHECK ("chain_events"."block_number" >= 0),
	CONSTRAINT "chain_events_log_index_non_negative" CHECK ("chain_events"."log_index" >= 0),
	CONSTRAINT "chain_events_hashes_format" CHECK ("chain_events"."block_hash" ~ '^0x[0-9a-f]{64}$' AND "chain_events"."tx_hash" ~ '^0x[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE INDEX "chain_events_name_block_idx" ON "chain_events" USING btree ("event_name","block_number");--> statement-breakpoint
CREATE INDEX "chain_events_tx_hash_idx" ON "chain_events" USING btree ("tx_hash");