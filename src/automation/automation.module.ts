import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActionExecutor } from './action-executor.service.js';
import { AssignmentPolicyController } from './assignment-policy.controller.js';
import { AssignmentPool } from './assignment-pool.service.js';
import { AutomationRegistry } from './automation-registry.js';
import { AutomationRulesController } from './automation-rules.controller.js';
import {
  AssignBacklogHandler,
  AutoAssignConversationHandler,
} from './commands/auto-assign.handlers.js';
import {
  CloneAutomationRuleHandler,
  DeleteAutomationRuleHandler,
  RunAutomationRulesHandler,
  SaveAssignmentPolicyHandler,
  SaveAutomationRuleHandler,
} from './commands/automation-rules.handlers.js';
import {
  InboxAssignmentLimitsHandler,
  SetInboxAssignmentLimitHandler,
} from './commands/inbox-assignment-limit.handlers.js';
import { AssignmentPolicy } from './entities/assignment-policy.entity.js';
import { AutomationRuleRun } from './entities/automation-rule-run.entity.js';
import { AutomationRule } from './entities/automation-rule.entity.js';
import { PolicyStore } from './policy.store.js';
import { RuleStore } from './rule.store.js';
import {
  DryRunRuleHandler,
  GetAssignmentPolicyHandler,
  ListRuleRunsHandler,
  ListRulesHandler,
} from './queries/automation.handlers.js';
import { AssignmentSaga } from './sagas/assignment.saga.js';
import { AutomationRulesSaga } from './sagas/automation-rules.saga.js';

/** Global so that extension modules can inject the AutomationRegistry without importing this one. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AssignmentPolicy, AutomationRule, AutomationRuleRun])],
  controllers: [AutomationRulesController, AssignmentPolicyController],
  providers: [
    AutomationRegistry,
    ActionExecutor,
    AssignmentPool,
    PolicyStore,
    RuleStore,
    AssignmentSaga,
    AutomationRulesSaga,
    AutoAssignConversationHandler,
    AssignBacklogHandler,
    RunAutomationRulesHandler,
    SaveAutomationRuleHandler,
    DeleteAutomationRuleHandler,
    CloneAutomationRuleHandler,
    SaveAssignmentPolicyHandler,
    ListRulesHandler,
    ListRuleRunsHandler,
    DryRunRuleHandler,
    GetAssignmentPolicyHandler,
    SetInboxAssignmentLimitHandler,
    InboxAssignmentLimitsHandler,
  ],
  exports: [AutomationRegistry],
})
export class AutomationModule {}
