import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox settings Chatwoot clients send and read back (CSAT, working hours, out-of-office,
 * sender name, help-center portal): stored and returned as Chatwoot's inbox shows them.
 */
export class ChatwootInboxSettings1795481000000 implements MigrationInterface {
  name = 'ChatwootInboxSettings1795481000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE inboxes
        ADD COLUMN enable_email_collect boolean NOT NULL DEFAULT true,
        ADD COLUMN csat_survey_enabled boolean NOT NULL DEFAULT false,
        ADD COLUMN csat_config jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN working_hours_enabled boolean NOT NULL DEFAULT false,
        ADD COLUMN working_hours jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN out_of_office_message text,
        ADD COLUMN portal_id integer,
        ADD COLUMN sender_name_type varchar(16) NOT NULL DEFAULT 'friendly',
        ADD COLUMN business_name varchar(255)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE inboxes
        DROP COLUMN enable_email_collect, DROP COLUMN csat_survey_enabled, DROP COLUMN csat_config,
        DROP COLUMN working_hours_enabled, DROP COLUMN working_hours, DROP COLUMN out_of_office_message,
        DROP COLUMN portal_id, DROP COLUMN sender_name_type, DROP COLUMN business_name`);
  }
}
