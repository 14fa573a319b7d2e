-- generated from model/hubs/application.yml by dv generate — do not edit
-- hash spec v1 (md5)
CREATE TABLE IF NOT EXISTS raw_vault.hub_application (
    hk_application uuid NOT NULL,
    application_id bigint,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT hub_application_pk PRIMARY KEY (hk_application)
);
CREATE INDEX IF NOT EXISTS hub_application_bid ON raw_vault.hub_application USING brin (batch_id);
COMMENT ON TABLE raw_vault.hub_application IS
    'A candidate''s application to a job, by the platform''s application id.';
COMMENT ON COLUMN raw_vault.hub_application.hk_application IS 'Hash key (md5, hash spec v1) of the business key';
COMMENT ON COLUMN raw_vault.hub_application.application_id IS
    'The platform''s id of the application. (standardized as hashed)';
COMMENT ON COLUMN raw_vault.hub_application.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.hub_application.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.hub_application.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record: the zero key, so satellites, PITs and marts never need outer-join guessing
INSERT INTO raw_vault.hub_application (hk_application, load_dts, record_source, batch_id)
VALUES ('00000000-0000-0000-0000-000000000000'::uuid, '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0)
ON CONFLICT (hk_application) DO NOTHING;
