import { expect } from '@jest/globals';
import type { Response } from 'supertest';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  request_id?: string;
  errors?: { field: string; messages: string[] }[];
  [extension: string]: unknown;
}

/**
 * Asserts that `response` is an RFC 9457 problem with this status and code, and returns its
 * body. The status and code are compared together first, so a failure shows the whole body.
 */
export function expectProblem(response: Response, status: number, code: string): Problem {
  expect({ status: response.status, body: response.body }).toMatchObject({
    status,
    body: { code },
  });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = response.body as Problem;
  expect(problem).toMatchObject({ status, code, type: `urn:conversa:problem:${code}` });
  expect(typeof problem.title).toBe('string');
  expect(typeof problem.detail).toBe('string');
  expect(problem.detail.length).toBeGreaterThan(10);
  expect(problem.request_id).toBe(response.headers['x-request-id']);
  return problem;
}

/** Asserts a 422 validation_failed problem naming exactly `fields` (in any order). */
export function expectInvalidFields(response: Response, fields: string[]): Problem {
  const problem = expectProblem(response, 422, 'validation_failed');
  expect(problem.errors!.map((error) => error.field).sort()).toEqual([...fields].sort());
  for (const error of problem.errors!) {
    expect(error.messages.length).toBeGreaterThan(0);
    expect(problem.detail).toContain(error.field);
  }
  return problem;
}

/** The messages given for one field of a validation problem. */
export function messagesOf(problem: Problem, field: string): string[] {
  return problem.errors?.find((error) => error.field === field)?.messages ?? [];
}
