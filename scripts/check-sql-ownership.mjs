#!/usr/bin/env node
/**
 * SQL ownership: a module's hand-written SQL names only the tables that module owns, as
 * dependency-cruiser keeps its imports to other modules' index.ts. A module that needs another
 * module's rows in a statement (a join on a hot path) uses a SQL fragment or read model that the
 * owning module exports from its index.ts, so the owner can change its table knowing every
 * statement that reads it.
 *
 * Ownership: a table belongs to the module whose entities/ folder declares it (@Entity('name'));
 * the few tables without an entity are listed in TABLES_WITHOUT_ENTITY. Every table a migration
 * creates must have an owner, so a new table cannot slip past the check.
 *
 * Scanned: every string and template literal in src/<module>/**\/*.ts (not specs, not the
 * migrations, which build the whole schema) that reads as SQL; the table names after FROM, JOIN,
 * INTO, UPDATE, USING and TABLE are checked.
 *
 * Confinement: in the modules listed in SQL_FILES, a hand-written statement (a literal that
 * starts with SELECT, INSERT, UPDATE, DELETE or WITH) may appear only in that module's store,
 * read model or exported-fragment files, so every statement of the module is found in one place.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

// The project's root, or another tree laid out like it (the check's own spec uses one).
const root = process.argv[2] ?? join(import.meta.dirname, '..');
const src = join(root, 'src');

/** Tables that have no TypeORM entity: their owner, and why it owns them. */
const TABLES_WITHOUT_ENTITY = {
  // The outbox's per-aggregate sequence counters, written only by record-event.ts.
  event_streams: 'outbox',
  // Display ids (#1, #2, ...) per account, drawn only when a conversation is created.
  conversation_display_counters: 'conversations',
  // Replay store for Idempotency-Key, read and written only by idempotency.store.ts.
  idempotency_keys: 'idempotency',
};

/**
 * Modules whose hand-written SQL is consolidated: their SQL may live only in these files (a
 * store for writes, a read model for reads, the fragments they export to other modules). A
 * handler or service of such a module calls the files' named methods instead of writing SQL.
 * Add a module here once its SQL is moved.
 */
const SQL_FILES = {
  accounts: ['account.store.ts', 'account-sql.ts'],
  contacts: ['contact.store.ts', 'contact.read-model.ts', 'contact-sql.ts'],
  conversations: ['conversation.store.ts', 'conversation.read-model.ts', 'conversation-sql.ts'],
  'custom-attributes': ['definition.store.ts'],
};

/** Files outside the module rule, with the reason. Keep this short. */
const EXEMPT = new Map([
  // Schema builders: they create every module's tables by design.
  ['src/database/migrations/', 'migrations build the whole schema'],
]);

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const rel = (path) => relative(root, path).split(sep).join('/');
const moduleOf = (path) => rel(path).split('/')[1];

/** Table -> owning module, from the entity decorators plus the list above. */
function ownership(files) {
  const owners = new Map(Object.entries(TABLES_WITHOUT_ENTITY));
  for (const file of files) {
    if (!rel(file).includes('/entities/')) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(/@Entity\(\s*'([a-z_]+)'/g)) {
      const previous = owners.get(match[1]);
      if (previous && previous !== moduleOf(file)) {
        throw new Error(`table ${match[1]} is declared by both ${previous} and ${moduleOf(file)}`);
      }
      owners.set(match[1], moduleOf(file));
    }
  }
  return owners;
}

/** Every table a migration creates must have an owner. */
function unownedTables(files, owners) {
  const problems = [];
  for (const file of files) {
    if (!rel(file).startsWith('src/database/migrations/')) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(
      /CREATE TABLE (?:IF NOT EXISTS )?"?([a-z_]+)/g,
    )) {
      if (!owners.has(match[1])) {
        problems.push(
          `${rel(file)}: table ${match[1]} has no owner. Declare it with @Entity in the owning ` +
            `module's entities/ folder, or add it to TABLES_WITHOUT_ENTITY in ` +
            `scripts/check-sql-ownership.mjs.`,
        );
      }
    }
  }
  return problems;
}

// SQL keywords are written in capitals here (style.md), which tells SQL from prose.
const TABLE_AFTER = /\b(?:FROM|JOIN|INTO|UPDATE|USING|TABLE)\s+(?:ONLY\s+)?"?([a-z_][a-z0-9_]*)"?/g;
const LOOKS_LIKE_SQL = new RegExp(TABLE_AFTER.source);
/** A whole statement (not a query builder's condition), written by hand. */
const STATEMENT = /^\s*\(?\s*(?:SELECT|INSERT|UPDATE|DELETE|WITH)\b/;
/** TypeORM query-builder calls whose first argument may be a table name. */
const BUILDER_TABLE_ARGUMENT = new Set([
  'from',
  'innerJoin',
  'leftJoin',
  'innerJoinAndSelect',
  'leftJoinAndSelect',
  'into',
  'update',
]);

/**
 * The SQL-looking literals of a file: [text, line]. Template placeholders read as `$x`; a
 * query-builder's table argument reads as `FROM name`.
 */
function sqlLiterals(file) {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    let literal;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) literal = node.text;
    else if (ts.isTemplateExpression(node)) {
      literal =
        node.head.text + node.templateSpans.map((span) => ` $x ${span.literal.text}`).join('');
    }
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      BUILDER_TABLE_ARGUMENT.has(node.expression.name.text) &&
      node.arguments.length > 0 &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      const line = source.getLineAndCharacterOfPosition(node.arguments[0].getStart()).line + 1;
      found.push([`FROM ${node.arguments[0].text}`, line, true]);
    }
    if (literal !== undefined && (LOOKS_LIKE_SQL.test(literal) || STATEMENT.test(literal))) {
      found.push([literal, source.getLineAndCharacterOfPosition(node.getStart()).line + 1, false]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const files = walk(src);
const owners = ownership(files);
const problems = unownedTables(files, owners);

for (const file of files) {
  const path = rel(file);
  // Specs set up and inspect rows of every module, as the migrations create them.
  if (/\.[a-z-]*spec\.ts$/.test(path)) continue;
  if ([...EXEMPT.keys()].some((prefix) => path.startsWith(prefix))) continue;
  const module = moduleOf(file);
  const allowed = SQL_FILES[module];
  const confined = allowed && !allowed.includes(path.slice(`src/${module}/`.length));
  for (const [literal, line, builder] of sqlLiterals(file)) {
    if (confined && !builder && STATEMENT.test(literal)) {
      problems.push(
        `${path}:${line}: hand-written SQL outside ${module}'s SQL files ` +
          `(${literal.trim().split('\n')[0]}). Move it behind a named method of ` +
          `${allowed.map((name) => `src/${module}/${name}`).join(' or ')}.`,
      );
    }
    const lines = literal.split('\n');
    for (const match of literal.matchAll(TABLE_AFTER)) {
      const table = match[1].toLowerCase();
      const owner = owners.get(table);
      if (!owner || owner === module) continue;
      const offset = literal.slice(0, match.index).split('\n').length - 1;
      problems.push(
        `${path}:${line + offset}: ${module} names ${owner}'s table "${table}" ` +
          `(${lines[offset].trim()}). Use a read model or SQL fragment that ${owner} exports ` +
          `from src/${owner}/index.ts instead.`,
      );
    }
  }
}

if (problems.length > 0) {
  console.error(`SQL ownership: ${problems.length} problem(s)\n`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
