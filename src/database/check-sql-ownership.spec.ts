import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const SCRIPT = join(process.cwd(), 'scripts/check-sql-ownership.mjs');

/** Runs the SQL ownership check over a small tree of `files` (path -> text). */
function check(files: Record<string, string>): { status: number | null; output: string } {
  const root = mkdtempSync(join(tmpdir(), 'sql-ownership-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const run = spawnSync(process.execPath, [SCRIPT, root], { encoding: 'utf8' });
    return { status: run.status, output: run.stderr };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const ENTITIES = {
  'src/contacts/entities/contact.entity.ts': `@Entity('contacts')\nexport class Contact {}`,
  'src/conversations/entities/conversation.entity.ts': `@Entity('conversations')\nexport class C {}`,
};

describe('scripts/check-sql-ownership.mjs', () => {
  it("fails with file:line when a module's SQL names another module's table", () => {
    const { status, output } = check({
      ...ENTITIES,
      'src/conversations/conversation.read-model.ts': [
        'export const A = `SELECT c.* FROM conversations c`;',
        'export const B = `SELECT c.*\n  FROM conversations c\n  JOIN contacts ct ON ct.id = c.contact_id`;',
      ].join('\n'),
    });
    expect(status).toBe(1);
    expect(output).toContain(
      `src/conversations/conversation.read-model.ts:4: conversations names contacts's table "contacts"`,
    );
    expect(output).toContain('src/contacts/index.ts');
    expect(output).not.toContain('conversation.read-model.ts:1');
  });

  it("passes when the other module's SQL comes from a fragment that module exports", () => {
    const { status, output } = check({
      ...ENTITIES,
      'src/contacts/contact-sql.ts':
        'export const joinContact = (as: string) => `JOIN contacts ${as} ON ${as}.id = c.contact_id`;',
      'src/conversations/conversation.read-model.ts':
        "import { joinContact } from '../contacts/index.js';\nexport const A = `SELECT c.* FROM conversations c ${joinContact('ct')}`;",
    });
    expect({ status, output }).toEqual({ status: 0, output: '' });
  });

  it("fails when a consolidated module's handler writes SQL outside its store and read model", () => {
    const { status, output } = check({
      ...ENTITIES,
      'src/contacts/contact.store.ts':
        "export const lock = (m: M) => m.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['k']);",
      'src/contacts/contact.read-model.ts': 'export const A = `SELECT c.* FROM contacts c`;',
      'src/contacts/queries/list.handler.ts': [
        "builder.where('c.account_id = :id', { id });",
        "export const lock = (m: M) => m.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['k']);",
        'export const B = `\n  UPDATE contacts SET blocked = true`;',
      ].join('\n'),
      // A module not listed in SQL_FILES keeps its SQL where it is.
      'src/webhooks/entities/webhook.entity.ts': `@Entity('webhooks')\nexport class W {}`,
      'src/webhooks/webhook.service.ts': 'export const C = `SELECT * FROM webhooks`;',
    });
    expect(status).toBe(1);
    expect(output).toContain(
      "src/contacts/queries/list.handler.ts:2: hand-written SQL outside contacts's SQL files",
    );
    expect(output).toContain('src/contacts/queries/list.handler.ts:3:');
    expect(output).toContain('src/contacts/contact.store.ts or src/contacts/contact.read-model.ts');
    expect(output).not.toContain('list.handler.ts:1');
    expect(output).not.toContain('contact.store.ts:1');
    expect(output).not.toContain('contact.read-model.ts:1');
    expect(output).not.toContain('webhook.service.ts');
  });

  it("catches a query builder's table argument and an unowned table in a migration", () => {
    const { status, output } = check({
      ...ENTITIES,
      'src/conversations/list.ts': "builder.innerJoin('contacts', 'ct', 'ct.id = c.contact_id');",
      'src/database/migrations/1-init.ts': '`CREATE TABLE orphans (id int)`',
    });
    expect(status).toBe(1);
    expect(output).toContain(`src/conversations/list.ts:1: conversations names contacts's table`);
    expect(output).toContain('table orphans has no owner');
  });
});
