import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { AttributeDisplayType, AttributeModel } from '../attribute-types.js';

/**
 * Chatwoot's custom attribute definition: declares a key of contacts' or conversations'
 * custom_attributes, its type and (for lists) its options. Values under a defined key are
 * checked against it when written; keys without a definition stay free-form.
 */
@Entity('custom_attribute_definitions')
export class CustomAttributeDefinition {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'integer' })
  account_id: number;

  @Column({ type: 'varchar', length: 32 })
  attribute_model: AttributeModel;

  @Column({ type: 'varchar', length: 255 })
  attribute_key: string;

  @Column({ type: 'varchar', length: 255 })
  attribute_display_name: string;

  @Column({ type: 'varchar', length: 16 })
  attribute_display_type: AttributeDisplayType;

  @Column({ type: 'text', nullable: true })
  attribute_description: string | null;

  /** The options of a list attribute, in order. */
  @Column({ type: 'jsonb', default: [] })
  attribute_values: string[];

  /** A regular expression (RE2 syntax) text values must match (text attributes only). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  regex_pattern: string | null;

  /** What to tell a writer whose value does not match regex_pattern. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  regex_cue: string | null;

  /** Stored and shown, not applied to new records (as in Chatwoot). */
  @Column({ type: 'jsonb', nullable: true })
  default_value: string | number | boolean | null;

  @Column({ type: 'integer' })
  position: number;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
