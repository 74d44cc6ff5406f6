import { ApiExtension } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';

const PARTS_EXTENSION = 'x-attachment-parts';

/** Documents the multipart/form-data form of a route's body, with files as `field` parts. */
export const ApiAttachmentsBody = (field: string) => ApiExtension(PARTS_EXTENSION, field);

/**
 * Adds multipart/form-data beside application/json to the operations marked with
 * ApiAttachmentsBody: the same fields (Rails bracket keys for nested ones, such as
 * message[content]) and the file parts.
 */
export function documentAttachmentBodies(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.post, item.put, item.patch]) {
      const field = (operation as unknown as Record<string, unknown> | undefined)?.[
        PARTS_EXTENSION
      ];
      if (!operation || typeof field !== 'string') continue;
      delete (operation as unknown as Record<string, unknown>)[PARTS_EXTENSION];
      const body = operation.requestBody as { content: Record<string, unknown> } | undefined;
      if (!body) continue;
      body.content['multipart/form-data'] = {
        schema: {
          type: 'object',
          description: `The fields of the JSON body as form fields (nested ones with Rails bracket keys, such as message[content]; every value is text), and files as parts named ${field}. Chatwoot's SDKs send this form even for text-only messages.`,
          properties: {
            [field]: {
              type: 'array',
              items: { type: 'string', format: 'binary' },
              description: 'The files (ATTACHMENT_MAX_FILES, ATTACHMENT_MAX_BYTES each)',
            },
          },
          additionalProperties: true,
        },
      };
    }
  }
  return document;
}
