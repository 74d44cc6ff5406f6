import { describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { newSecret, signedHeaders } from './signing.js';

describe('signedHeaders', () => {
  const body = JSON.stringify({ event: 'message_created', id: 1, content: 'héllo' });

  it('is verifiable with the standardwebhooks library', () => {
    const secret = newSecret();
    const headers = signedHeaders('evt_1', body, [secret]);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('carries both signatures during a rotation, each verifiable on its own', () => {
    const [oldSecret, newSecretValue] = [newSecret(), newSecret()];
    const headers = signedHeaders('evt_2', body, [newSecretValue, oldSecret]);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(oldSecret).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(newSecretValue).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(newSecret()).verify(body, headers)).toThrow();
  });

  it('fails verification when the body changes', () => {
    const secret = newSecret();
    const headers = signedHeaders('evt_3', body, [secret]);
    expect(() => new Webhook(secret).verify(body.replace('héllo', 'hello'), headers)).toThrow();
  });
});
