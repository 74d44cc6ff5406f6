import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class FieldErrorDoc {
  @ApiProperty({ description: 'Dotted path of the field, e.g. channel.webhook_url' })
  field: string;
  @ApiProperty({ type: [String] }) messages: string[];
}

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
    type: [FieldErrorDoc],
    description: 'Every invalid field, for validation_failed',
    example: [{ field: 'email', messages: ['must be an email'] }],
  })
  errors?: { field: string; messages: string[] }[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'For a failed health check: the state of each dependency',
  })
  details?: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(code: string): string {
  return `urn:conversa:problem:${code}`;
}
