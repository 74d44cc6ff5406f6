// The attachments module's public surface.
export { AttachmentsModule } from './attachments.module.js';
export { AttachmentSql } from './attachment-sql.js';
export { attachmentResponses } from './attachment-urls.js';
export type { AttachmentJson, AttachmentResponse } from './attachment-urls.js';
export { AttachmentUploads } from './attachment-uploads.service.js';
export { AttachmentSweeper } from './attachment-sweeper.service.js';
export { Thumbnails } from './thumbnails.service.js';
export { FILE_TYPES } from './file-types.js';
export type { FileType } from './file-types.js';
export { AcceptsAttachments, UploadedAttachments } from './uploaded-attachments.js';
export { AttachmentsField, ContentUnlessAttachments } from './attachments-field.js';
export { ApiAttachmentsBody, documentAttachmentBodies } from './attachments.openapi.js';
export { AttachmentDto } from './attachment.dto.js';
