import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Chatwoot's custom attribute definitions: one row per defined key of contacts' or
 * conversations' custom_attributes. The unique key (account, model, key) is also how writes and
 * filters look a model's definitions up.
 */
export class CustomAttributeDefinitions1795483000000 implements MigrationInterface {
  name = 'CustomAttributeDefinitions1795483000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE custom_attribute_definitions (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        attribute_model varchar(32) NOT NULL,
        attribute_key varchar(255) NOT NULL,
        attribute_display_name varchar(255) NOT NULL,
        attribute_display_type varchar(16) NOT NULL,
        attribute_description text,
        attribute_values jsonb NOT NULL DEFAULT '[]',
        regex_pattern varchar(255),
        regex_cue varchar(255),
        default_value jsonb,
        position integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT custom_attribute_definitions_key UNIQUE (account_id, attribute_model, attribute_key)
      )`);
    // Filters compare defined date attributes as dates; a stored value that is not one (written
    // before its definition) reads as absent instead of failing the whole query.
    await queryRunner.query(`
      CREATE FUNCTION conversa_try_timestamptz(value text) RETURNS timestamptz
        LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
      BEGIN
        RETURN value::timestamptz;
      EXCEPTION WHEN others THEN
        RETURN NULL;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION conversa_try_timestamptz(text)`);
    await queryRunner.query(`DROP TABLE custom_attribute_definitions`);
  }
}
