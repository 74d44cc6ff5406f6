import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** RFC 9457 problem details, as every error of the API is answered. */
export class ProblemDetails {
  @ApiProperty({ example: 'urn:conversa:problem:validation_failed' })
  type: string;

  @ApiProperty({ example: 'Unprocessable Content' })
  title: string;

  @ApiProperty({ example: 422 })
  status: number;

  @ApiProperty({ example: '1 field is invalid: email must be an email.' })
  detail: string;

  @ApiProperty({ description: 'Stable machine-readable error code', example: 'validation_failed' })
  code: string;

  @ApiPropertyOptional({ example: '/api/v1/accounts/1/agents' })
  instance?: string;

  @ApiPropertyOptional({ description: 'Id of the request, also in the x-request-id header' })
  request_id?: string;

  @ApiPropertyOptional({
    description: 'Every invalid field, for validation_failed',
    example: [{ field: 'email', messages: ['must be an email'] }],
  })
  errors?: { field: string; messages: string[] }[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(code: string): string {
  return `urn:conversa:problem:${code}`;
}
