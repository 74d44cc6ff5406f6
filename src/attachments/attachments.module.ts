import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { Environment } from '../config/index.js';
import { AttachmentDownloadsController } from './attachment-downloads.controller.js';
import { AttachmentSweeper } from './attachment-sweeper.service.js';
import { AttachmentUploads } from './attachment-uploads.service.js';
import { AttachmentUrls, useAttachmentUrls } from './attachment-urls.js';
import { Attachment } from './entities/attachment.entity.js';
import { MultipartInterceptor } from './multipart.interceptor.js';
import { BLOB_STORAGE } from './storage/blob-storage.js';
import type { BlobStorage } from './storage/blob-storage.js';
import { LocalDiskStorage } from './storage/local-disk.storage.js';
import { Thumbnails } from './thumbnails.service.js';

async function storageOf(config: ConfigService<Environment, true>): Promise<BlobStorage> {
  const get = <K extends keyof Environment>(key: K) => config.get(key, { infer: true });
  if (get('ATTACHMENT_STORAGE') === 's3') {
    // The AWS SDK loads only where S3 is configured: it adds about 30 MB to every process.
    const { S3Storage } = await import('./storage/s3.storage.js');
    return new S3Storage({
      bucket: get('ATTACHMENT_S3_BUCKET'),
      endpoint: get('ATTACHMENT_S3_ENDPOINT') || undefined,
      region: get('ATTACHMENT_S3_REGION'),
      accessKeyId: get('ATTACHMENT_S3_ACCESS_KEY_ID') || undefined,
      secretAccessKey: get('ATTACHMENT_S3_SECRET_ACCESS_KEY') || undefined,
      forcePathStyle: get('ATTACHMENT_S3_FORCE_PATH_STYLE') === 'true',
    });
  }
  return new LocalDiskStorage(get('ATTACHMENT_DIR'));
}

function urlsOf(config: ConfigService<Environment, true>): AttachmentUrls {
  const get = <K extends keyof Environment>(key: K) => config.get(key, { infer: true });
  // Every process of a deployment shares DATABASE_URL: without a secret of its own, the key
  // is derived from it, so URLs that one process signs verify in the others.
  const secret =
    get('ATTACHMENT_SIGNING_SECRET') ||
    createHash('sha256')
      .update(`attachments:${get('DATABASE_URL')}`)
      .digest('hex');
  const urls = new AttachmentUrls(get('PUBLIC_URL'), secret, get('ATTACHMENT_URL_TTL_SECONDS'));
  useAttachmentUrls(urls);
  return urls;
}

/**
 * Files of messages: multipart parsing for every route, uploads, storage (local disk or S3),
 * signed downloads, thumbnails and the sweep of deleted files. Owns the attachments table.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Attachment])],
  controllers: [AttachmentDownloadsController],
  providers: [
    { provide: BLOB_STORAGE, inject: [ConfigService], useFactory: storageOf },
    { provide: AttachmentUrls, inject: [ConfigService], useFactory: urlsOf },
    AttachmentUploads,
    AttachmentSweeper,
    Thumbnails,
    { provide: APP_INTERCEPTOR, useClass: MultipartInterceptor },
  ],
  exports: [AttachmentUploads, AttachmentSweeper, Thumbnails, BLOB_STORAGE],
})
export class AttachmentsModule implements OnApplicationShutdown {
  constructor(@Inject(BLOB_STORAGE) private readonly storage: BlobStorage) {}

  onApplicationShutdown(): void {
    this.storage.close?.();
  }
}
