import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import type { FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';
import { DomainError, formFieldsToObject } from '../common/index.js';
import type { Environment } from '../config/index.js';
import { AttachmentUploads } from './attachment-uploads.service.js';
import {
  AttachmentTooLargeError,
  MalformedMultipartError,
  MultipartFieldTooLargeError,
  TooManyAttachmentsError,
  UnexpectedFileError,
} from './attachments.errors.js';
import { ATTACHMENT_FIELDS } from './uploaded-attachments.js';

/**
 * multipart/form-data on every route, after authentication: text fields become the body (the
 * same object, the same validation as its JSON form), and on the routes that take files
 * (@AcceptsAttachments) each file part streams to storage as it arrives, so a file is never held
 * whole in memory. A request that then fails leaves none of its files behind.
 */
@Injectable()
export class MultipartInterceptor implements NestInterceptor {
  private readonly maxFiles: number;
  private readonly maxBytes: number;
  private readonly fieldLimit: number;

  constructor(
    private readonly reflector: Reflector,
    private readonly uploads: AttachmentUploads,
    config: ConfigService<Environment, true>,
  ) {
    this.maxFiles = config.get('ATTACHMENT_MAX_FILES', { infer: true });
    this.maxBytes = config.get('ATTACHMENT_MAX_BYTES', { infer: true });
    this.fieldLimit = config.get('BODY_LIMIT_BYTES', { infer: true });
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (typeof request.isMultipart !== 'function' || !request.isMultipart()) return next.handle();
    const accepted = this.reflector.get<string[]>(ATTACHMENT_FIELDS, context.getHandler()) ?? [];

    const fields: [string, string][] = [];
    const stored: string[] = [];
    try {
      // A file past fileSize is cut there and ends; ByteCounter sees the extra byte and refuses it.
      const parts = request.parts({
        limits: {
          fieldSize: this.fieldLimit,
          fields: 1000,
          // One byte past the limit tells "too large" from "exactly the limit".
          fileSize: this.maxBytes + 1,
          files: this.maxFiles + 1,
        },
      });
      for await (const part of parts) {
        if (part.type === 'field') {
          if (part.valueTruncated)
            throw new MultipartFieldTooLargeError(part.fieldname, this.fieldLimit);
          fields.push([part.fieldname, String(part.value)]);
          continue;
        }
        if (!accepted.includes(part.fieldname))
          throw new UnexpectedFileError(part.fieldname, accepted);
        if (stored.length >= this.maxFiles) throw new TooManyAttachmentsError(this.maxFiles);
        const token = await this.uploads.store(part.file, part.filename || 'file');
        stored.push(token);
        // The file's place in the body is its upload token, as Chatwoot's signed blob ids.
        fields.push([part.fieldname, token]);
      }
      request.body = formFieldsToObject(fields);
    } catch (error) {
      await this.uploads.discard(stored);
      throw this.problemOf(error);
    }
    request.uploadedAttachments = stored;
    if (stored.length === 0) return next.handle();
    // Whatever fails after this (validation, a missing conversation) discards the files.
    return next
      .handle()
      .pipe(
        catchError((error: unknown) =>
          from(this.uploads.discard(stored)).pipe(mergeMap(() => throwError(() => error))),
        ),
      );
  }

  /** The parser's own errors as problems (they are bad input, never a 500). */
  private problemOf(error: unknown): unknown {
    if (error instanceof DomainError) return error;
    const code = (error as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT') return new TooManyAttachmentsError(this.maxFiles);
    if (code === 'FST_REQ_FILE_TOO_LARGE')
      return new AttachmentTooLargeError('file', this.maxBytes);
    if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') {
      return new MalformedMultipartError('it has more than 1,000 fields');
    }
    if (code === 'FST_PROTO_VIOLATION') {
      return new MalformedMultipartError('a field name is reserved (such as __proto__)');
    }
    if (code === 'FST_INVALID_JSON_FIELD_ERROR') {
      return new MalformedMultipartError('a field sent as application/json is not valid JSON');
    }
    if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
      return new MalformedMultipartError('the content-type has no boundary');
    }
    // Storage failures (disk, S3) are the server's; what is left is the body's.
    const storageFailure =
      /^E[A-Z]+$/.test(code ?? '') ||
      ((error as object) instanceof Object && '$metadata' in (error as object));
    if (
      error instanceof Error &&
      !storageFailure &&
      !('status' in error) &&
      !('statusCode' in error)
    ) {
      return new MalformedMultipartError(error.message.replace(/\.$/, ''));
    }
    return error;
  }
}
