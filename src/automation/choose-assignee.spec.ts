import { describe, expect, it } from '@jest/globals';
import { chooseAssignee } from './choose-assignee.js';
import type { Candidate, Capacity } from './choose-assignee.js';

const free: Capacity = { inInbox: null, overall: null };
const agents = (...loads: [number, number, number][]): Candidate[] =>
  loads.map(([userId, openInInbox, openOverall]) => ({ userId, openInInbox, openOverall }));

describe('chooseAssignee', () => {
  it.each<[string, Candidate[], Capacity, number | null, number | null]>([
    [
      'round robin starts with the lowest id',
      agents([3, 0, 0], [1, 0, 0], [2, 0, 0]),
      free,
      null,
      1,
    ],
    [
      'round robin takes the next id after the last',
      agents([1, 0, 0], [2, 0, 0], [3, 0, 0]),
      free,
      1,
      2,
    ],
    ['round robin wraps around', agents([1, 0, 0], [2, 0, 0], [3, 0, 0]), free, 3, 1],
    ['round robin skips the last one when it left', agents([1, 0, 0], [3, 0, 0]), free, 2, 3],
    ['round robin ignores load', agents([1, 9, 9], [2, 0, 0]), free, null, 1],
    [
      'round robin skips a full agent',
      agents([1, 10, 10], [2, 0, 0]),
      { inInbox: 10, overall: null },
      null,
      2,
    ],
    [
      'overall capacity counts too',
      agents([1, 0, 5], [2, 1, 1]),
      { inInbox: 10, overall: 5 },
      null,
      2,
    ],
    [
      'nobody has room',
      agents([1, 10, 10], [2, 10, 10]),
      { inInbox: 10, overall: null },
      null,
      null,
    ],
    ['no candidates', [], free, null, null],
  ])('%s', (_name, candidates, capacity, last, expected) => {
    expect(chooseAssignee('round_robin', candidates, capacity, last)).toBe(expected);
  });

  it.each<[string, Candidate[], Capacity, number | null, number | null]>([
    [
      'balanced picks the fewest open in the inbox',
      agents([1, 3, 3], [2, 1, 9], [3, 2, 2]),
      free,
      null,
      2,
    ],
    ['balanced breaks ties by overall load', agents([1, 1, 5], [2, 1, 2]), free, null, 2],
    [
      'balanced breaks full ties in round-robin order',
      agents([1, 0, 0], [2, 0, 0], [3, 0, 0]),
      free,
      1,
      2,
    ],
    [
      'balanced respects capacity',
      agents([1, 0, 4], [2, 3, 3]),
      { inInbox: null, overall: 4 },
      null,
      2,
    ],
  ])('%s', (_name, candidates, capacity, last, expected) => {
    expect(chooseAssignee('balanced', candidates, capacity, last)).toBe(expected);
  });

  it('spreads a run of assignments evenly under round robin', () => {
    const candidates = agents([1, 0, 0], [2, 0, 0]);
    const capacity = { inInbox: 10, overall: null };
    let last: number | null = null;
    for (let round = 0; round < 25; round++) {
      const chosen = chooseAssignee('round_robin', candidates, capacity, last);
      if (chosen === null) break;
      const agent = candidates.find((candidate) => candidate.userId === chosen)!;
      agent.openInInbox += 1;
      agent.openOverall += 1;
      last = chosen;
    }
    expect(candidates.map((candidate) => candidate.openInInbox)).toEqual([10, 10]);
  });
});
