import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FileType } from './file-types.js';

/** An attachment as read models and stored events carry it (no URLs: those are signed late). */
export interface AttachmentJson {
  id: string | number;
  message_id: string | number | null;
  file_type: FileType;
  account_id: number | null;
  extension: string | null;
  file_size: string | number;
  width: number | null;
  height: number | null;
  content_type: string;
  /** Whether Conversa holds the file (else data_url is the external_url). */
  stored: boolean;
  external_url: string | null;
}

/** Chatwoot's attachment shape, with time-limited URLs. */
export interface AttachmentResponse {
  id: number;
  message_id: number | null;
  file_type: FileType;
  account_id: number | null;
  extension: string | null;
  data_url: string;
  thumb_url: string;
  file_size: number;
  width: number | null;
  height: number | null;
}

export type AttachmentVariant = 'file' | 'thumb';

export type UrlCheck = 'valid' | 'expired' | 'invalid';

/**
 * Signs and checks attachment download URLs: `/attachments/{id}` and `/attachments/{id}/thumb`
 * with `?expires=&signature=`,
 * an HMAC-SHA256 of the id, variant and expiry. They work without a token until they expire.
 */
export class AttachmentUrls {
  private readonly key: Buffer;
  private readonly base: string;

  constructor(
    publicUrl: string,
    secret: string,
    private readonly ttlSeconds: number,
  ) {
    this.base = publicUrl.replace(/\/+$/, '');
    this.key = createHash('sha256').update(`conversa-attachment-urls:${secret}`).digest();
  }

  sign(id: string | number, variant: AttachmentVariant, now = Date.now()): string {
    const expires = Math.floor(now / 1000) + this.ttlSeconds;
    const signature = this.signatureOf(String(id), variant, expires);
    const path = variant === 'file' ? `/attachments/${id}` : `/attachments/${id}/thumb`;
    return `${this.base}${path}?expires=${expires}&signature=${signature}`;
  }

  check(
    id: string,
    variant: string,
    expires: string | undefined,
    signature: string | undefined,
    now = Date.now(),
  ): UrlCheck {
    if (!expires || !signature || !/^\d{1,12}$/.test(expires)) return 'invalid';
    const expected = Buffer.from(this.signatureOf(id, variant, Number(expires)));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    return Number(expires) * 1000 < now ? 'expired' : 'valid';
  }

  /** Chatwoot's shape of an attachment, its URLs signed now. */
  response(attachment: AttachmentJson, now = Date.now()): AttachmentResponse {
    const external = attachment.external_url ?? '';
    return {
      id: Number(attachment.id),
      message_id: attachment.message_id === null ? null : Number(attachment.message_id),
      file_type: attachment.file_type,
      account_id: attachment.account_id,
      extension: attachment.extension,
      data_url: attachment.stored ? this.sign(attachment.id, 'file', now) : external,
      thumb_url:
        attachment.stored && attachment.file_type === 'image'
          ? this.sign(attachment.id, 'thumb', now)
          : '',
      file_size: Number(attachment.file_size),
      width: attachment.width,
      height: attachment.height,
    };
  }

  private signatureOf(id: string, variant: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${id}/${variant}/${expires}`).digest('base64url');
  }
}

/*
 * The process's signer. Message shapes are built by plain functions all over the read models
 * (and webhook bodies at each delivery), so the signer is set once when the attachments module
 * starts rather than passed through every one of them. Apps sharing a process share it.
 */
let signer: AttachmentUrls | undefined;

export function useAttachmentUrls(urls: AttachmentUrls): void {
  signer = urls;
}

/** The attachments in Chatwoot's shape, URLs signed now (valid for ATTACHMENT_URL_TTL_SECONDS). */
export function attachmentResponses(
  attachments: AttachmentJson[] | undefined,
): AttachmentResponse[] {
  if (!attachments || attachments.length === 0) return [];
  if (!signer) throw new Error('Attachment URLs are signed before the attachments module started');
  const now = Date.now();
  return attachments.map((attachment) => signer!.response(attachment, now));
}
