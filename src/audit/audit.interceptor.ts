import { Injectable, Logger } from '@nestjs/common';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { mergeMap } from 'rxjs';
import type { Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { ListAgentsQuery, REQUIRED_ROLE } from '../accounts/index.js';
import type { Role } from '../accounts/index.js';
import { auditEntryOf } from './audit-entry.js';
import { insertAuditLog } from './audit.store.js';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The audit log's one mechanism: every successful write to a route only administrators may
 * call (`@AdministratorsOnly()` on the handler or its controller) is recorded with who, when,
 * from which address, on what, and the request's fields without secrets. A new administrator
 * route is audited by being marked so; nothing else to add.
 *
 * The entry is written after the change committed and before the answer is sent; if writing it
 * fails, the change stands and the failure is logged.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger(AuditInterceptor.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly dataSource: DataSource,
    private readonly queries: QueryBus,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const role = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const account = request.auth?.account;
    if (role !== 'administrator' || !account || !WRITES.has(request.method)) return next.handle();
    return next.handle().pipe(
      mergeMap(async (answer: unknown) => {
        await this.record(request, account.id, answer).catch((error: unknown) =>
          this.logger.error({ err: error }, 'Writing an audit log entry failed'),
        );
        return answer;
      }),
    );
  }

  private async record(request: FastifyRequest, accountId: number, answer: unknown): Promise<void> {
    const userId = request.auth!.userId;
    const entry = auditEntryOf({
      method: request.method,
      route: request.routeOptions.url ?? request.url,
      params: request.params as Record<string, string | undefined>,
      body: request.body,
      answer,
    });
    const [user] = await this.queries.execute(
      new ListAgentsQuery(accountId, { userIds: [userId] }),
    );
    await insertAuditLog(this.dataSource.manager, {
      accountId,
      ...entry,
      userId,
      username: user?.email ?? null,
      remoteAddress: request.ip ?? null,
      requestUuid: String(request.id),
    });
  }
}
