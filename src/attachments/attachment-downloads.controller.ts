import { applyDecorators, Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../accounts/index.js';
import { ApiProblems, ParseBigIdPipe } from '../common/index.js';
import { findAttachment } from './attachment.store.js';
import { AttachmentUrls } from './attachment-urls.js';
import type { AttachmentVariant } from './attachment-urls.js';
import { AttachmentNotFoundError, AttachmentUrlError } from './attachments.errors.js';
import { isPassiveContent } from './file-types.js';
import { BLOB_STORAGE } from './storage/blob-storage.js';
import type { BlobStorage } from './storage/blob-storage.js';

/**
 * Serves attachment files at the signed URLs of data_url and thumb_url; no token, the signature
 * is the credential. Files are never shown as active content on this origin: the detected type,
 * nosniff, a sandboxing CSP, and anything but images, audio, video, text and PDF as a download.
 */
@ApiTags('Attachments')
@Public()
@Controller('attachments')
export class AttachmentDownloadsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly urls: AttachmentUrls,
    @Inject(BLOB_STORAGE) private readonly storage: BlobStorage,
  ) {}

  @Get(':attachment_id')
  @ApiOperation({
    summary: "An attachment's file, at the signed data_url of a message",
    description:
      'No access token: the URL is signed and expires (ATTACHMENT_URL_TTL_SECONDS); fetch the message again for a fresh one.',
  })
  @DownloadDocs()
  async file(
    @Param('attachment_id', ParseBigIdPipe) id: number,
    @Query('expires') expires: unknown,
    @Query('signature') signature: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.serve(id, 'file', expires, signature, reply);
  }

  @Get(':attachment_id/thumb')
  @ApiOperation({
    summary: "An image attachment's thumbnail (250 px), at the signed thumb_url of a message",
    description:
      'No access token, as data_url. Thumbnails are made in the background: until it exists, this is the image itself.',
  })
  @DownloadDocs()
  async thumb(
    @Param('attachment_id', ParseBigIdPipe) id: number,
    @Query('expires') expires: unknown,
    @Query('signature') signature: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.serve(id, 'thumb', expires, signature, reply);
  }

  private async serve(
    id: number,
    variant: AttachmentVariant,
    expires: unknown,
    signature: unknown,
    reply: FastifyReply,
  ): Promise<void> {
    const check = this.urls.check(
      String(id),
      variant,
      typeof expires === 'string' ? expires : undefined,
      typeof signature === 'string' ? signature : undefined,
    );
    if (check !== 'valid') throw new AttachmentUrlError(check === 'expired');
    const attachment = await findAttachment(this.dataSource, String(id));
    if (!attachment?.storage_key || attachment.message_id === null) {
      throw new AttachmentNotFoundError();
    }
    const thumb = variant === 'thumb' && attachment.thumb_key ? attachment.thumb_key : undefined;
    const stream = await this.storage.get(thumb ?? attachment.storage_key);
    if (!stream) throw new AttachmentNotFoundError();
    const contentType = thumb ? 'image/webp' : attachment.content_type;
    const disposition = isPassiveContent(contentType) ? 'inline' : 'attachment';
    void reply
      .header('content-type', contentType)
      .header('content-disposition', `${disposition}; ${fileNameParameters(attachment.file_name)}`)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('cache-control', 'private, max-age=300');
    if (!thumb) void reply.header('content-length', String(attachment.file_size));
    await reply.send(stream);
  }
}

/** What both download routes document: the signed query, the bytes, the problems. */
function DownloadDocs(): MethodDecorator {
  return applyDecorators(
    ApiParam({ name: 'attachment_id', description: "The attachment's id" }),
    ApiQuery({ name: 'expires', description: 'Unix time the URL expires at (signed)' }),
    ApiQuery({ name: 'signature', description: 'The URL signature' }),
    ApiProduces('application/octet-stream'),
    ApiOkResponse({
      description:
        'The file, with its detected Content-Type; anything but images, audio, video, plain text and PDF as a download',
      content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
    }),
    ApiProblems(400, 403, 404),
  );
}

/** filename (ASCII fallback) and filename* (UTF-8), RFC 6266. */
function fileNameParameters(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
