import { Query } from '@nestjs/cqrs';
import type { ProfileResponse } from '../dto/responses.js';

export class GetProfileQuery extends Query<ProfileResponse> {
  constructor(readonly userId: number) {
    super();
  }
}
