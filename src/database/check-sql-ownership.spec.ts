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
      'src/conversations/views.ts': [
        'export const A = `SELECT c.* FROM conversations c`;',
        'export const B = `SELECT c.*\n  FROM conversations c\n  JOIN contacts ct ON ct.id = c.contact_id`;',
      ].join('\n'),
    });
    expect(status).toBe(1);
    expect(output).toContain(
      `src/conversations/views.ts:4: conversations names contacts's table "contacts"`,
    );
    expect(output).toContain('src/contacts/index.ts');
    expect(output).not.toContain('views.ts:1');
  });

  it("passes when the other module's SQL comes from a fragment that module exports", () => {
    const { status, output } = check({
      ...ENTITIES,
      'src/contacts/contact-sql.ts':
        'export const joinContact = (as: string) => `JOIN contacts ${as} ON ${as}.id = c.contact_id`;',
      'src/conversations/views.ts':
        "import { joinContact } from '../contacts/index.js';\nexport const A = `SELECT c.* FROM conversations c ${joinContact('ct')}`;",
    });
    expect({ status, output }).toEqual({ status: 0, output: '' });
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
