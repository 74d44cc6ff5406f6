import { DomainError, NotFoundError, UnprocessableError } from '../common/index.js';

function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

export class AttachmentTooLargeError extends DomainError {
  constructor(fileName: string, limit: number) {
    super(
      'too_large',
      'attachment_too_large',
      `The file ${JSON.stringify(fileName)} is larger than the limit of ${megabytes(limit)} (${limit} bytes); send a smaller file.`,
      { limit_bytes: limit },
    );
  }
}

export class TooManyAttachmentsError extends UnprocessableError {
  constructor(limit: number) {
    super(
      'too_many_attachments',
      `A message takes at most ${limit} files; send the others in another message.`,
      { limit },
    );
  }
}

export class AttachmentTypeNotAllowedError extends UnprocessableError {
  constructor(fileName: string, contentType: string) {
    super(
      'attachment_type_not_allowed',
      `The file ${JSON.stringify(fileName)} is ${contentType} (as its bytes tell), a type this server does not accept (ATTACHMENT_DENIED_TYPES); send it in another format, such as a PDF or an image.`,
      { content_type: contentType },
    );
  }
}

export class UnexpectedFileError extends UnprocessableError {
  constructor(field: string, accepted: readonly string[]) {
    super(
      'unexpected_file',
      accepted.length > 0
        ? `The file part ${JSON.stringify(field)} is not expected here; send files as ${accepted.map((name) => JSON.stringify(name)).join(' or ')}.`
        : `This route takes no files (the part ${JSON.stringify(field)} is one); send text fields only.`,
    );
  }
}

export class MalformedMultipartError extends DomainError {
  constructor(reason: string) {
    super(
      'invalid',
      'malformed_multipart',
      `The multipart/form-data body cannot be read: ${reason}. Send a well-formed body with its boundary in the content-type header.`,
    );
  }
}

export class MultipartFieldTooLargeError extends DomainError {
  constructor(field: string, limit: number) {
    super(
      'too_large',
      'payload_too_large',
      `The text field ${JSON.stringify(field)} is longer than the limit of ${limit} bytes.`,
    );
  }
}

export class ExternalAttachmentError extends UnprocessableError {
  constructor(url: string, reason: string) {
    super(
      'attachment_url_failed',
      `The attachment at ${JSON.stringify(url)} could not be fetched: ${reason}.`,
    );
  }
}

export class AttachmentNotFoundError extends NotFoundError {
  constructor() {
    super('attachment_not_found', 'There is no such attachment (it may have been deleted).');
  }
}

export class AttachmentUrlError extends DomainError {
  constructor(expired: boolean) {
    super(
      'forbidden',
      expired ? 'attachment_url_expired' : 'attachment_url_invalid',
      expired
        ? 'This attachment URL has expired; fetch the message again for a fresh data_url.'
        : 'This attachment URL is not valid (its signature does not match); use the data_url or thumb_url of the message as given.',
    );
  }
}

export class UnknownUploadError extends UnprocessableError {
  constructor() {
    super(
      'unknown_upload',
      'attachments names an upload this server does not have (or one already attached); send files as multipart/form-data file parts named attachments[], or http(s) URLs to fetch.',
    );
  }
}
