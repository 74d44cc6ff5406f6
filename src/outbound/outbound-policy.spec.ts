import { describe, expect, it } from '@jest/globals';
import { OutboundPolicy } from './outbound-policy.js';

describe('OutboundPolicy', () => {
  const strict = new OutboundPolicy('');

  it.each([
    'http://127.0.0.1/hook',
    'http://localhost/hook',
    'http://10.0.0.5/hook',
    'http://172.16.3.4/hook',
    'http://192.168.1.1/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://100.64.0.1/hook',
    'http://0.0.0.0/hook',
    'http://[::1]/hook',
    'http://[fd00::1]/hook',
    'http://[fe80::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[::ffff:8.8.8.8]/hook',
    'http://2130706433/hook',
    'http://0x7f000001/hook',
    'http://0177.0.0.1/hook',
    'http://127.1/hook',
    'http://224.0.0.1/hook',
    'ftp://example.com/hook',
    'http://user:pass@8.8.8.8/hook',
    // IPv6 forms that embed an IPv4 address reach that IPv4 host.
    'http://[::a9fe:a9fe]/hook',
    'http://[::127.0.0.2]/hook',
    'http://[::ffff:0:a9fe:a9fe]/hook',
    'http://[64:ff9b::a9fe:a9fe]/hook',
    'http://[64:ff9b::169.254.169.254]/hook',
    'http://[2002:a9fe:a9fe::]/hook',
    'http://[2002:7f00:1::1]/hook',
    'http://[::]/hook',
  ])('refuses %s', async (url) => {
    expect(await strict.urlProblem(url)).not.toBeNull();
  });

  it.each(['http://8.8.8.8/hook', 'https://1.1.1.1:8443/x', 'http://[2606:4700:4700::1111]/'])(
    'allows %s',
    async (url) => {
      expect(await strict.urlProblem(url)).toBeNull();
    },
  );

  it('opens private targets named by the allowlist, and only those', async () => {
    const open = new OutboundPolicy('127.0.0.0/8, ::1, hooks.internal');
    expect(await open.urlProblem('http://127.0.0.1:9000/hook')).toBeNull();
    expect(await open.urlProblem('http://[::1]:9000/hook')).toBeNull();
    expect(await open.urlProblem('http://hooks.internal/hook')).toBeNull();
    expect(await open.urlProblem('http://10.0.0.1/hook')).not.toBeNull();
  });

  it('checks resolved addresses when connecting (DNS rebinding)', async () => {
    const lookup = strict.guardedLookup();
    const error = await new Promise<NodeJS.ErrnoException | null>((done) =>
      lookup('localhost', { all: true }, (failure) => done(failure)),
    );
    expect(error?.code).toBe('ERR_SSRF_BLOCKED');
  });

  it('judges an IPv4-embedding IPv6 address as its IPv4 address, which the allowlist may open', async () => {
    const open = new OutboundPolicy('127.0.0.0/8');
    expect(await open.urlProblem('http://[::127.0.0.2]/hook')).toBeNull();
    expect(await open.urlProblem('http://[2002:7f00:1::]/hook')).toBeNull();
    expect(await open.urlProblem('http://[::a9fe:a9fe]/hook')).toMatch(/169\.254\.169\.254/);
  });

  it('assertAllowed throws 422 webhook_url_not_allowed naming the field', async () => {
    await expect(
      strict.assertAllowed('http://[::a9fe:a9fe]/x', 'actions[0].action_params[0]'),
    ).rejects.toMatchObject({
      code: 'webhook_url_not_allowed',
      extensions: {
        errors: [{ field: 'actions[0].action_params[0]', messages: [expect.any(String)] }],
      },
    });
    await expect(strict.assertAllowed('http://8.8.8.8/x', 'url')).resolves.toBeUndefined();
  });
});
