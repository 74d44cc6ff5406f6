import { createHash, createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import type { Response } from 'supertest';

/** A real PNG of `width` × `height`, in a colour (thumbnails are made of it). */
export function png(width = 600, height = 400): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .png()
    .toBuffer();
}

/** A supertest parser that reads any answer's body as bytes. */
export function binary(response: Response, done: (error: Error | null, body: Buffer) => void) {
  const stream = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

/** The path and query of a signed data_url / thumb_url (PUBLIC_URL is not the test server). */
export function pathOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

/** Signs an attachment URL as the server does with ATTACHMENT_SIGNING_SECRET `secret`. */
export function signedPath(secret: string, id: number, variant: string, expires: number): string {
  const key = createHash('sha256').update(`conversa-attachment-urls:${secret}`).digest();
  const signature = createHmac('sha256', key)
    .update(`${id}/${variant}/${expires}`)
    .digest('base64url');
  const path = variant === 'file' ? `/attachments/${id}` : `/attachments/${id}/${variant}`;
  return `${path}?expires=${expires}&signature=${signature}`;
}

/** An HTTP server on 127.0.0.1 serving fixed files by path (for external_url). */
export class FileServer {
  private constructor(
    private readonly server: Server,
    readonly files: Map<string, { body: Buffer; delayMs?: number }>,
  ) {}

  static async start(): Promise<FileServer> {
    const files = new Map<string, { body: Buffer; delayMs?: number }>();
    const server = createServer((request, response) => {
      const file = files.get(request.url ?? '');
      if (!file) {
        response.writeHead(404).end('missing');
        return;
      }
      const send = () => response.writeHead(200, { 'content-type': 'image/png' }).end(file.body);
      if (file.delayMs) setTimeout(send, file.delayMs);
      else send();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return new FileServer(server, files);
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
