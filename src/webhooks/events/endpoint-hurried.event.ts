/**
 * In-process only, published after commit: an endpoint's deliveries waiting for a retry were
 * made due (its URL changed inside another module's unit of work), so it should be woken now.
 */
export class EndpointHurriedEvent {
  constructor(readonly endpointId: number) {}
}
