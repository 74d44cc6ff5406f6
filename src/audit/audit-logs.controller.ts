import { Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AccountScopedController, AdministratorsOnly, CurrentAccount } from '../accounts/index.js';
import { ApiProblems } from '../common/index.js';
import { listAuditLogs } from './audit.store.js';
import { AuditLogListDto, AuditLogParams } from './dto/audit-log.responses.js';

const PER_PAGE = 15;

@AccountScopedController('audit_logs', 'Audit Logs')
export class AuditLogsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @AdministratorsOnly()
  @ApiOperation({
    summary: "Administrators' actions in the account, newest first, 15 a page",
    description:
      'Every successful write to an administrator-only route: inboxes, agents, teams, webhooks, automation rules, assignment policies... with who, when, from which address and the fields sent (secrets filtered). Kept AUDIT_LOG_RETENTION_DAYS.',
  })
  @ApiOkResponse({ type: AuditLogListDto })
  @ApiProblems(403, 422)
  async list(
    @CurrentAccount() account: { id: number },
    @Query() params: AuditLogParams,
  ): Promise<AuditLogListDto> {
    const page = params.page ?? 1;
    const { total, rows } = await listAuditLogs(
      this.dataSource.manager,
      account.id,
      page,
      PER_PAGE,
    );
    return {
      per_page: PER_PAGE,
      total_entries: total,
      current_page: page,
      audit_logs: rows.map((row) => ({
        id: row.id,
        auditable_id: row.auditable_id,
        auditable_type: row.auditable_type,
        auditable: {},
        associated_id: row.account_id,
        associated_type: 'Account',
        user_id: row.user_id,
        user_type: 'User',
        username: row.username,
        action: row.action,
        audited_changes: row.audited_changes,
        version: 1,
        comment: row.operation,
        request_uuid: row.request_uuid,
        created_at: row.created_at,
        remote_address: row.remote_address,
      })),
    };
  }
}
