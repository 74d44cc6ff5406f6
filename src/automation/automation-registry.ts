import { Injectable } from '@nestjs/common';
import type { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { AttributeResolver, RuleContext } from './conditions.js';
import type { RuleEvent } from './rule-context.js';

/** What a custom action gets when a rule that uses it runs. */
export interface ActionContext {
  accountId: number;
  /** Internal conversation id, as conversation commands take it. */
  conversationId: number;
  /** The id the API shows (display id). */
  displayId: number;
  ruleId: number;
  params: unknown[];
  /** The event that triggered the rule (typed, with its `meta`); null in a dry run. */
  event: RuleEvent | null;
  state: RuleContext;
  commands: CommandBus;
  queries: QueryBus;
}

export interface CustomAction {
  name: string;
  /** Why these action_params are wrong, or null. Checked when a rule is saved. */
  validate?(params: unknown[]): string | null;
  run(context: ActionContext): Promise<void>;
}

export interface CustomAttribute {
  name: string;
  resolve: AttributeResolver;
}

/**
 * Extension point for automation authors: register an action or a condition attribute by
 * name, and HTTP rules can use it like the built-in ones. Register in onModuleInit of your
 * module (see docs/extending.md); names must not clash with built-in ones.
 */
@Injectable()
export class AutomationRegistry {
  private readonly actions = new Map<string, CustomAction>();
  private readonly attributes = new Map<string, AttributeResolver>();

  registerAction(action: CustomAction): void {
    if (this.actions.has(action.name))
      throw new Error(`Automation action "${action.name}" is already registered`);
    this.actions.set(action.name, action);
  }

  registerAttribute(attribute: CustomAttribute): void {
    if (this.attributes.has(attribute.name))
      throw new Error(`Automation attribute "${attribute.name}" is already registered`);
    this.attributes.set(attribute.name, attribute.resolve);
  }

  action(name: string): CustomAction | undefined {
    return this.actions.get(name);
  }

  attributeResolvers(): Record<string, AttributeResolver> {
    return Object.fromEntries(this.attributes);
  }
}
