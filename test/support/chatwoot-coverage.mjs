// Chatwoot's documented HTTP API (the copies of its OpenAPI documents in test/contract/chatwoot/)
// matched against the operations Conversa documents at /docs-json, and the coverage table
// (docs/chatwoot-coverage.md) rendered from that match and the hand-kept notes
// (docs/chatwoot-coverage.notes.json). The contract suite (test/chatwoot-contract.e2e-spec.ts)
// and `npm run coverage:chatwoot` both use it, so the committed table is checked against the
// routes of the running app and cannot go stale unnoticed.
import { readFileSync } from 'node:fs';
import { DOCUMENT_ERRATA, SWAGGER_ERRATA } from './chatwoot-errata.mjs';

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];

const CONTRACT_DIRECTORY = new URL('../contract/chatwoot/', import.meta.url);
export const NOTES_FILE = new URL('../../docs/chatwoot-coverage.notes.json', import.meta.url);
export const TABLE_FILE = new URL('../../docs/chatwoot-coverage.md', import.meta.url);

/** The three documents, by the API they describe; the platform API is counted apart. */
export const CHATWOOT_APIS = [
  { api: 'application', title: 'Application API', file: 'application_swagger.json' },
  { api: 'client', title: 'Client API', file: 'client_swagger.json' },
  { api: 'platform', title: 'Platform API', file: 'platform_swagger.json' },
];

/**
 * Chatwoot groups (swagger tags) left out of the target share, as the issue sets it: help-center
 * portals and third-party integrations (Slack, Dialogflow, ...). They still get rows.
 */
export const EXCLUDED_TAGS = {
  'Help Center': 'help-center portals',
  Integrations: 'third-party integrations (Slack, Dialogflow, ...)',
};

/** The share of Application + Client operations (exclusions aside) the issue asks to route. */
export const TARGET_PERCENT = 95;

let documents;
/** The parsed Chatwoot documents, by api name (read once). */
export function chatwootDocuments() {
  documents ??= Object.fromEntries(
    CHATWOOT_APIS.map(({ api, file }) => [
      api,
      JSON.parse(readFileSync(new URL(file, CONTRACT_DIRECTORY), 'utf8')),
    ]),
  );
  return documents;
}

/**
 * How two servers' routes are compared: path parameters are positional (`{team_id}` and `{id}`
 * are the same segment), and a trailing slash is the same route.
 */
export function routeKey(method, path) {
  const normalised = path.replace(/\{[^}]+\}/g, '{}').replace(/(.)\/+$/, '$1');
  return `${method.toUpperCase()} ${normalised}`;
}

/** Every operation of a document: `{ method, path, id, key, operation, pathItem }`. */
export function documentOperations(doc) {
  return Object.entries(doc.paths ?? {}).flatMap(([path, pathItem]) =>
    HTTP_METHODS.filter((method) => pathItem[method]).map((method) => ({
      method,
      path,
      id: `${method.toUpperCase()} ${path}`,
      key: routeKey(method, path),
      operation: pathItem[method],
      pathItem,
    })),
  );
}

/**
 * Every Chatwoot operation, Application and Client first, then Platform, each with its api,
 * its group (the first swagger tag) and whether the target share leaves it out.
 */
export function chatwootOperations() {
  const docs = chatwootDocuments();
  return CHATWOOT_APIS.flatMap(({ api }) =>
    documentOperations(docs[api]).map((entry) => {
      const group = entry.operation.tags?.[0] ?? 'untagged';
      return { ...entry, api, group, excluded: api === 'platform' || group in EXCLUDED_TAGS };
    }),
  );
}

/** Conversa's operations by route key (from its served /docs-json document). */
export function conversaRoutes(conversaDoc) {
  return new Map(documentOperations(conversaDoc).map((entry) => [entry.key, entry]));
}

export function readNotes() {
  return JSON.parse(readFileSync(NOTES_FILE, 'utf8'));
}

/**
 * Mistakes in the notes file: a key that names no Chatwoot operation, or an expected contract
 * problem on an operation Conversa does not route (there is nothing to call).
 */
export function notesProblems(notes, conversaDoc) {
  const routes = conversaRoutes(conversaDoc);
  const byId = new Map(chatwootOperations().map((entry) => [entry.id, entry]));
  const problems = [];
  for (const [id, note] of Object.entries(notes.operations)) {
    const entry = byId.get(id);
    if (!entry) problems.push(`${id}: no Chatwoot operation has this method and path`);
    else if (note.contract && !routes.has(entry.key))
      problems.push(`${id}: has an expected contract problem but Conversa does not route it`);
    for (const contract of [note.contract, note.form].filter(Boolean)) {
      if (!contract.why) problems.push(`${id}: a contract or form note says no why`);
      if (!(contract.status && contract.code) === !contract.mismatches?.length)
        problems.push(`${id}: a contract or form note has either status and code, or mismatches`);
    }
    if (note.form && !routes.has(entry?.key))
      problems.push(`${id}: has an expected form problem but Conversa does not route it`);
    const unknown = Object.keys(note).filter(
      (key) => !['note', 'missing', 'differs', 'contract', 'form'].includes(key),
    );
    if (unknown.length) problems.push(`${id}: unknown keys ${unknown.join(', ')}`);
  }
  return problems;
}

/**
 * The verdict of each Chatwoot operation: `no` when Conversa does not route it, `differs` when it
 * does but the notes say a documented request or answer differs (or the contract request gets an
 * expected problem), `yes` otherwise.
 */
export function coverageRows(conversaDoc, notes) {
  const routes = conversaRoutes(conversaDoc);
  return chatwootOperations().map((entry) => {
    const note = notes.operations[entry.id] ?? {};
    const conversa = routes.get(entry.key);
    let supported = 'no';
    if (conversa) supported = note.differs || note.contract || note.form ? 'differs' : 'yes';
    const remarks = [];
    if (conversa && conversa.path !== entry.path) remarks.push(`Conversa: \`${conversa.id}\``);
    if (!conversa && note.missing) remarks.push(note.missing);
    if (conversa && note.contract)
      remarks.push(
        note.contract.status
          ? `the documented request answers ${note.contract.status}: ${note.contract.why}`
          : `the answer differs from the documented schema: ${note.contract.why}`,
      );
    if (conversa && note.form)
      remarks.push(`sent as a form, it answers ${note.form.status}: ${note.form.why}`);
    if (conversa && note.differs) remarks.push(note.differs);
    if (conversa && SWAGGER_ERRATA[entry.id])
      remarks.push(`as Chatwoot's server answers: ${SWAGGER_ERRATA[entry.id].why}`);
    if (note.note) remarks.push(note.note);
    return { ...entry, supported, conversa, notes: remarks.join('; ') };
  });
}

function percent(part, whole) {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)} %`;
}

function count(rows) {
  const routed = rows.filter((row) => row.supported !== 'no');
  return {
    operations: rows.length,
    yes: rows.filter((row) => row.supported === 'yes').length,
    differs: rows.filter((row) => row.supported === 'differs').length,
    no: rows.length - routed.length,
    routed: routed.length,
  };
}

/** Totals of the rows: per group, per API, Application + Client, and the target share. */
export function coverageTotals(rows) {
  const appAndClient = rows.filter((row) => row.api !== 'platform');
  return {
    byGroup: [...new Set(rows.map((row) => `${row.api}\u0000${row.group}`))].map((name) => {
      const [api, group] = name.split('\u0000');
      const groupRows = rows.filter((row) => row.api === api && row.group === group);
      return { api, group, ...count(groupRows) };
    }),
    byApi: CHATWOOT_APIS.map(({ api, title }) => ({
      api,
      title,
      ...count(rows.filter((row) => row.api === api)),
    })),
    applicationAndClient: count(appAndClient),
    target: count(appAndClient.filter((row) => !row.excluded)),
  };
}

function cell(text) {
  return String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function totalsRow(label, totals) {
  return `| ${label} | ${totals.operations} | ${totals.routed} | ${totals.yes} | ${totals.differs} | ${totals.no} | ${percent(totals.routed, totals.operations)} |`;
}

/** The whole of docs/chatwoot-coverage.md. */
export function renderCoverage(conversaDoc, notes) {
  const rows = coverageRows(conversaDoc, notes);
  const totals = coverageTotals(rows);
  const target = totals.target;
  const share = (100 * target.routed) / target.operations;
  const header = '| group | Chatwoot operations | routed | yes | differs | no | routed share |';
  const rule = '| --- | --- | --- | --- | --- | --- | --- |';
  const lines = [
    '# Chatwoot API coverage',
    '',
    '<!-- Generated by `npm run coverage:chatwoot` from the Chatwoot documents in',
    'test/contract/chatwoot/, the routes of /docs-json and docs/chatwoot-coverage.notes.json.',
    'Do not edit: edit the notes file and run the command (test/chatwoot-contract.e2e-spec.ts',
    'fails while this file is stale). -->',
    '',
    "Every operation of Chatwoot's Application and Client API documents (and, apart, its Platform",
    'API), and whether Conversa serves it:',
    '',
    '- **yes**: routed (same method and path; parameter names and a trailing slash aside), and the',
    "  request built from Chatwoot's documented request schema gets a success whose body fits",
    "  Chatwoot's documented response schema (`test/chatwoot-contract.e2e-spec.ts` checks this for",
    '  every routed operation);',
    '- **differs**: routed, but a documented request or answer differs (the notes say how);',
    '- **no**: not routed (Conversa answers 404).',
    '',
    'Creates answer 201 where Chatwoot answers 200; errors are `application/problem+json`',
    '(see the README, "Errors"). Where Chatwoot\'s swagger and its server disagree, Conversa',
    'follows the server (test/support/chatwoot-errata.mjs), as clients do:',
    '',
    ...DOCUMENT_ERRATA.map(([, , , why]) => `- ${why};`),
    ...Object.entries(SWAGGER_ERRATA).map(([id, { why }]) => `- \`${id}\`: ${why};`),
    '',
    '## Totals',
    '',
    `**${target.routed} of ${target.operations} Application + Client operations routed (${percent(target.routed, target.operations)}; target ${TARGET_PERCENT} %), ` +
      `${target.yes} of them as documented (${percent(target.yes, target.operations)}).** ` +
      `The share leaves out ${Object.values(EXCLUDED_TAGS).join(' and ')} ` +
      `(${Object.keys(EXCLUDED_TAGS)
        .map((tag) => `"${tag}"`)
        .join(', ')}). ` +
      (share >= TARGET_PERCENT ? 'The target is met.' : 'The target is not met yet.'),
    '',
    header,
    rule,
    ...totals.byGroup.map((group) =>
      totalsRow(
        `${group.api === 'client' ? 'Client: ' : group.api === 'platform' ? 'Platform: ' : ''}${group.group}${EXCLUDED_TAGS[group.group] ? ' (excluded)' : ''}`,
        group,
      ),
    ),
    totalsRow('**Application API**', totals.byApi[0]),
    totalsRow('**Client API**', totals.byApi[1]),
    totalsRow('**Application + Client**', totals.applicationAndClient),
    totalsRow('**Application + Client, exclusions aside (target)**', target),
    totalsRow('**Platform API** (apart)', totals.byApi[2]),
    '',
  ];
  for (const { api, title } of CHATWOOT_APIS) {
    lines.push(`## ${title}`, '');
    const apiRows = rows.filter((row) => row.api === api);
    for (const group of new Set(apiRows.map((row) => row.group))) {
      lines.push(
        `### ${group}${EXCLUDED_TAGS[group] ? ` (excluded: ${EXCLUDED_TAGS[group]})` : ''}`,
        '',
      );
      lines.push('| Chatwoot operation | supported | notes |', '| --- | --- | --- |');
      for (const row of apiRows.filter((candidate) => candidate.group === group)) {
        lines.push(`| \`${row.id}\` | ${row.supported} | ${cell(row.notes)} |`);
      }
      lines.push('');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

export function readCommittedTable() {
  try {
    return readFileSync(TABLE_FILE, 'utf8');
  } catch {
    return '';
  }
}
