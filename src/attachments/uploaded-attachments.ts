import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** Ids of the files uploaded with a multipart request, stored and not yet attached. */
    uploadedAttachments?: string[];
  }
}

export const ATTACHMENT_FIELDS = 'conversa:attachment-fields';

/**
 * The multipart file parts this route takes (e.g. `attachments[]`); other routes take text
 * fields only. The files are stored before the handler runs: see MultipartInterceptor.
 */
export const AcceptsAttachments = (...fields: string[]) => SetMetadata(ATTACHMENT_FIELDS, fields);

/** The ids of the files the request uploaded (empty for JSON), for the message to attach. */
export const UploadedAttachments = createParamDecorator(
  (_: unknown, context: ExecutionContext): string[] =>
    context.switchToHttp().getRequest<FastifyRequest>().uploadedAttachments ?? [],
);
