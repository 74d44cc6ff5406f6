import { ApiProperty } from '@nestjs/swagger';
import { FILE_TYPES } from './file-types.js';

/** An attachment in Chatwoot's shape, in message answers, webhook bodies and the event feed. */
export class AttachmentDto {
  @ApiProperty() id: number;
  @ApiProperty({ nullable: true, type: Number }) message_id: number | null;
  @ApiProperty({ enum: FILE_TYPES }) file_type: string;
  @ApiProperty({ nullable: true, type: Number }) account_id: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'From the file name, e.g. png' })
  extension: string | null;
  @ApiProperty({
    description:
      'Signed URL of the file: works without a token until it expires (ATTACHMENT_URL_TTL_SECONDS)',
  })
  data_url: string;
  @ApiProperty({ description: 'Signed URL of the thumbnail (images); empty otherwise' })
  thumb_url: string;
  @ApiProperty({ description: 'Bytes' }) file_size: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Images, once analysed' })
  width: number | null;
  @ApiProperty({ nullable: true, type: Number }) height: number | null;
}
