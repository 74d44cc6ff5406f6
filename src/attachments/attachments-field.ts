import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, Matches, ValidateIf } from 'class-validator';

/** An upload token (what a multipart file part becomes) or an http(s) URL to fetch. */
const ATTACHMENT_ENTRY =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|https?:\/\/\S{1,2040})$/i;

/**
 * A message's `attachments`: file parts of a multipart/form-data request (`attachments[]`), or,
 * in JSON, http(s) URLs that the server fetches (external_url). The count limit is
 * ATTACHMENT_MAX_FILES, checked with the files.
 */
export function AttachmentsField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'array',
      items: { type: 'string', maxLength: 2048 },
      maxItems: 100,
      description:
        'Files: in multipart/form-data, file parts named `attachments[]` (the message content may then be left out); in JSON, http(s) URLs the server fetches and stores (under the same SSRF policy as webhooks, size limit and timeout).',
    }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(100),
    Matches(ATTACHMENT_ENTRY, {
      each: true,
      message: 'must hold file parts (multipart/form-data) or http(s) URLs',
    }),
  );
}

/** Validates `content` unless it is left out of a message that has attachments. */
export function ContentUnlessAttachments(): PropertyDecorator {
  return ValidateIf(
    (message: { content?: unknown; attachments?: unknown }) =>
      message.content !== undefined ||
      !(Array.isArray(message.attachments) && message.attachments.length > 0),
  );
}
