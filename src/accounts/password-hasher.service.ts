import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/index.js';
import { hashPassword, verifyPassword } from './credentials.js';

@Injectable()
export class PasswordHasher {
  private readonly cost: number;
  private decoy?: Promise<string>;

  constructor(config: ConfigService<Environment, true>) {
    this.cost = config.get('PASSWORD_HASH_COST', { infer: true });
  }

  hash(password: string): Promise<string> {
    return hashPassword(password, this.cost);
  }

  /** Verifies against `stored`, or burns the same time when there is no user, to not leak which. */
  async verify(password: string, stored: string | null | undefined): Promise<boolean> {
    if (stored) return verifyPassword(password, stored);
    this.decoy ??= this.hash('decoy password');
    await verifyPassword(password, await this.decoy);
    return false;
  }
}
