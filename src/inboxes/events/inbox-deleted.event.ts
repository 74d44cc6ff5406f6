/** An inbox was deleted; modules holding its data purge it in the background. */
export class InboxDeletedEvent {
  constructor(
    readonly accountId: number,
    readonly inboxId: number,
  ) {}
}
