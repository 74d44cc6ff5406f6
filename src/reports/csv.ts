/** One summary row of a CSV export. */
export interface CsvRow {
  id: number | string;
  name: string;
  conversations_count: number;
  resolved_conversations_count: number;
  avg_first_response_time: number | null;
  avg_resolution_time: number | null;
  avg_reply_time: number | null;
}

/** A cell: quoted when it holds a separator, a quote or a line break; formulas defused. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'number' ? String(Math.round(value * 100) / 100) : String(value);
  // A spreadsheet would run a cell starting with = + - @ as a formula.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The summary rows as CSV with a header line; durations in seconds. */
export function toCsv(rows: CsvRow[], entity: string): string {
  const header = [
    `${entity} id`,
    `${entity} name`,
    'Conversations count',
    'Resolutions count',
    'Avg first response time (seconds)',
    'Avg resolution time (seconds)',
    'Avg reply time (seconds)',
  ];
  const lines = rows.map((row) =>
    [
      row.id,
      row.name,
      row.conversations_count,
      row.resolved_conversations_count,
      row.avg_first_response_time,
      row.avg_resolution_time,
      row.avg_reply_time,
    ]
      .map(cell)
      .join(','),
  );
  return [header.join(','), ...lines].join('\n') + '\n';
}
