/**
 * Stream heads (`webhook_stream_heads`): per endpoint and stream (conversation), when the
 * stream's first pending delivery may next be attempted. They are kept in the statements that
 * change deliveries, so a claim reads only the heads that are due (an index range on
 * (endpoint_id, due_at)) and looks up one delivery per head it takes: its cost does not depend
 * on how many streams are waiting.
 *
 * The rules that keep a head true without locks across statements:
 * - Every statement that adds pending deliveries (fan-out, redeliver, recover, test) or makes
 *   them due sooner (hurry) wakes their heads with `wakeStreams` in the same statement, which
 *   also bumps `revision`.
 * - A claim or an outcome that moves a head after looking up its stream's deliveries first
 *   locks the head, then compares the locked (newest) `revision` with the one its snapshot
 *   read: if another statement woke the head in between, its lookup may have missed a delivery,
 *   so it leaves the head due now instead, for the next claim to look again.
 * - A head with nothing pending stays, idle (`due_at` NULL), so a waking statement and a
 *   claim never race on its existence; EventRetention removes idle heads hourly.
 */

/**
 * The body of a CTE that wakes the heads of the deliveries in `source` (columns endpoint_id,
 * stream, sequence; several per stream allowed): an idle or missing head becomes due now, and
 * so does one whose first delivery comes after one of these (unless an attempt holds it: its
 * outcome looks the stream up again). Every touched head's revision is bumped.
 */
export const wakeStreams = (source: string): string => `
  INSERT INTO webhook_stream_heads AS h (endpoint_id, stream, sequence, due_at)
  SELECT DISTINCT ON (endpoint_id, stream) endpoint_id, stream, sequence, now() FROM ${source}
   ORDER BY endpoint_id, stream, sequence
  ON CONFLICT (endpoint_id, stream) DO UPDATE
     SET revision = h.revision + 1,
         sequence = CASE WHEN h.due_at IS NULL THEN excluded.sequence
                         ELSE least(h.sequence, excluded.sequence) END,
         due_at = CASE WHEN h.due_at IS NULL THEN now()
                       WHEN excluded.sequence < h.sequence AND NOT coalesce(h.leased_until > now(), false)
                       THEN least(h.due_at, now())
                       ELSE h.due_at END`;

/**
 * A statement that makes every head of the endpoint `endpointId` waiting for a later time (a
 * backoff) due now, except those an attempt holds; bumps their revision.
 */
export const hurryStreams = (endpointId: string): string => `
  UPDATE webhook_stream_heads SET due_at = now(), revision = revision + 1
   WHERE endpoint_id = ${endpointId} AND due_at > now() AND NOT coalesce(leased_until > now(), false)`;
