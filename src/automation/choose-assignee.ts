export type AssignmentStrategy = 'round_robin' | 'balanced';

export interface Candidate {
  userId: number;
  openInInbox: number;
  openOverall: number;
}

export interface Capacity {
  /** Most open conversations an agent may hold in this inbox; null: no limit. */
  inInbox: number | null;
  /** Most open conversations an agent may hold in the account; null: no limit. */
  overall: number | null;
}

export function hasRoom(candidate: Candidate, capacity: Capacity): boolean {
  return (
    (capacity.inInbox === null || candidate.openInInbox < capacity.inInbox) &&
    (capacity.overall === null || candidate.openOverall < capacity.overall)
  );
}

/**
 * The agent to give the next conversation to, or null when nobody has room.
 * round_robin: the next user id after the last one assigned, in id order (wrapping);
 * balanced: the fewest open conversations in the inbox, then overall, then round-robin order.
 */
export function chooseAssignee(
  strategy: AssignmentStrategy,
  candidates: Candidate[],
  capacity: Capacity,
  lastAssignedUserId: number | null,
): number | null {
  const eligible = candidates
    .filter((candidate) => hasRoom(candidate, capacity))
    .sort((a, b) => a.userId - b.userId);
  if (eligible.length === 0) return null;
  const afterLast = (candidate: Candidate) =>
    lastAssignedUserId === null || candidate.userId > lastAssignedUserId ? 0 : 1;
  const rotation = [...eligible].sort((a, b) => afterLast(a) - afterLast(b) || a.userId - b.userId);
  if (strategy === 'round_robin') return rotation[0].userId;
  const order = new Map(rotation.map((candidate, index) => [candidate.userId, index]));
  return [...eligible].sort(
    (a, b) =>
      a.openInInbox - b.openInInbox ||
      a.openOverall - b.openOverall ||
      order.get(a.userId)! - order.get(b.userId)!,
  )[0].userId;
}
