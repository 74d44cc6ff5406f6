import { fileTypeFromBuffer } from 'file-type';

/** Chatwoot's attachment file_type values. */
export const FILE_TYPES = [
  'image',
  'audio',
  'video',
  'file',
  'location',
  'fallback',
  'share',
  'story_mention',
  'contact',
  'ig_reel',
] as const;
export type FileType = (typeof FILE_TYPES)[number];

/** Bytes read from a file's start to tell its type (what file-type needs for every format). */
export const SNIFF_BYTES = 4100;

export interface DetectedType {
  contentType: string;
  /** The extension the bytes call for, when they tell. */
  extension?: string;
}

/**
 * The content type of a file from its first bytes, never from what the client declared: binary
 * formats by their signatures (file-type), then the markup that browsers would run (HTML, SVG,
 * XML), then plain text or octet-stream.
 */
export async function detectContentType(head: Buffer): Promise<DetectedType> {
  const detected = await fileTypeFromBuffer(head);
  if (detected) return { contentType: detected.mime, extension: detected.ext };
  const markup = markupType(head);
  if (markup) return markup;
  return looksLikeText(head)
    ? { contentType: 'text/plain', extension: 'txt' }
    : { contentType: 'application/octet-stream' };
}

/** HTML, SVG and XML as browsers sniff them: the first tag after a BOM, white space or comments. */
function markupType(head: Buffer): DetectedType | undefined {
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .replace(/^(\s|<!--[\s\S]*?-->)*/, '')
    .toLowerCase();
  if (/^<svg[\s>/]/.test(text) || /^<\?xml[\s\S]*<svg[\s>/]/.test(text)) {
    return { contentType: 'image/svg+xml', extension: 'svg' };
  }
  if (
    /^<(!doctype html|html|head|body|script|iframe|h1|div|font|table|a|style|title|b|br|p)[\s>/]/.test(
      text,
    )
  ) {
    return { contentType: 'text/html', extension: 'html' };
  }
  if (/^<\?xml[\s>]/.test(text)) return { contentType: 'application/xml', extension: 'xml' };
  return undefined;
}

/** No NUL bytes and valid UTF-8 (a cut last character aside). */
function looksLikeText(head: Buffer): boolean {
  if (head.length === 0 || head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(
      head.subarray(0, Math.max(0, head.length - 4)),
    );
    return true;
  } catch {
    return false;
  }
}

/** Chatwoot's file_type of a content type. */
export function fileTypeOf(contentType: string): FileType {
  const [kind] = contentType.split('/');
  if (kind === 'image' || kind === 'audio' || kind === 'video') return kind;
  return 'file';
}

/** Whether `contentType` is on the deny list (entries such as `text/html` or `text/*`). */
export function isDenied(contentType: string, deniedList: string): boolean {
  const [kind] = contentType.split('/');
  return deniedList
    .split(',')
    .filter(Boolean)
    .some((entry) => entry === contentType || entry === `${kind}/*`);
}

/**
 * Types a browser shows inline without running anything; everything else is served as a
 * download (Content-Disposition: attachment).
 */
export function isPassiveContent(contentType: string): boolean {
  if (contentType === 'image/svg+xml') return false;
  return (
    /^(image|audio|video)\//.test(contentType) ||
    contentType === 'text/plain' ||
    contentType === 'application/pdf'
  );
}

/** A file name's extension, when it is a plain one (letters and digits). */
export function extensionOf(fileName: string): string | undefined {
  const match = /\.([A-Za-z0-9]{1,15})$/.exec(fileName);
  return match ? match[1].toLowerCase() : undefined;
}

/** Images sharp can make a thumbnail of. */
export function hasThumbnail(contentType: string): boolean {
  return /^image\/(jpeg|png|webp|gif|avif|tiff)$/.test(contentType);
}
