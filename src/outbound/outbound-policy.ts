import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { UnprocessableError } from '../common/index.js';

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Which addresses outbound requests (webhooks) may reach: public unicast only, unless the
 * configured allowlist names the host or a CIDR containing the address. Loopback, private,
 * link-local (169.254.169.254 included), CGNAT, unique-local, 0.0.0.0, multicast and reserved
 * ranges are refused, and so is every IPv6 form that embeds an IPv4 address (mapped,
 * compatible, translated, NAT64, 6to4) unless the allowlist opens that IPv4 address. Numeric
 * host forms like 2130706433 are already normalised to dotted IPv4 by the URL parser, so they
 * are checked like any address.
 */
export class OutboundPolicy {
  private readonly hosts = new Set<string>();
  private readonly cidrs: Cidr[] = [];

  constructor(allowlist: string) {
    for (const entry of allowlist
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)) {
      if (entry.includes('/')) this.cidrs.push(ipaddr.parseCIDR(entry));
      else if (ipaddr.isValid(entry))
        this.cidrs.push([ipaddr.parse(entry), ipaddr.parse(entry).kind() === 'ipv4' ? 32 : 128]);
      else this.hosts.add(entry.toLowerCase());
    }
  }

  hostAllowed(hostname: string): boolean {
    return this.hosts.has(hostname.toLowerCase());
  }

  /** Why `address` may not be reached, or null when it may. */
  addressProblem(address: string): string | null {
    if (!ipaddr.isValid(address)) return `"${address}" is not an IP address`;
    const parsed = ipaddr.parse(address);
    if (
      this.cidrs.some(
        ([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits),
      )
    )
      return null;
    const embedded = parsed.kind() === 'ipv6' ? embeddedIPv4(parsed as ipaddr.IPv6) : null;
    if (embedded) {
      const v4 = embedded.address;
      if (this.cidrs.some(([range, bits]) => range.kind() === 'ipv4' && v4.match(range, bits)))
        return null;
      return `${address} is an IPv6 address embedding the IPv4 address ${v4.toString()} (${embedded.form}), which webhooks may not target`;
    }
    const range = parsed.range();
    return range === 'unicast'
      ? null
      : `${address} is in a ${range} range, which webhooks may not target`;
  }

  /**
   * The one check for an outbound URL wherever one is saved (inbox webhook_url, account
   * webhooks, automation send_webhook_event): a 422 naming `field` when it may not be reached.
   * Connections check again (guardedLookup), as DNS answers change.
   */
  async assertAllowed(url: string, field: string): Promise<void> {
    const problem = await this.urlProblem(url);
    if (problem) throw new OutboundUrlNotAllowedError(field, problem, url);
  }

  /** Why a URL may not be a webhook target (scheme, literal address or resolved address). */
  async urlProblem(raw: string): Promise<string | null> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return 'is not a valid URL';
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http or https';
    if (url.username || url.password) return 'must not contain credentials';
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (this.hostAllowed(host)) return null;
    if (isIP(host)) return this.addressProblem(host);
    const addresses = await resolve(host);
    // A name that does not resolve now may later; the connect-time check still applies then.
    for (const address of addresses) {
      const problem = this.addressProblem(address);
      if (problem) return `resolves to ${problem}`;
    }
    return null;
  }

  /**
   * A dns.lookup replacement for the HTTP client: resolves, then refuses forbidden addresses,
   * so a DNS answer that changed since the URL was saved (rebinding) cannot reach them.
   */
  guardedLookup() {
    return (
      hostname: string,
      options: LookupOptions,
      callback: (
        error: NodeJS.ErrnoException | null,
        address: string | LookupAddress[],
        family?: number,
      ) => void,
    ): void => {
      dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error, []);
        if (!this.hostAllowed(hostname)) {
          for (const { address } of addresses) {
            const problem = this.addressProblem(address);
            if (problem) {
              const refused: NodeJS.ErrnoException = new Error(
                `Refused to connect to ${hostname}: ${problem}`,
              );
              refused.code = 'ERR_SSRF_BLOCKED';
              return callback(refused, []);
            }
          }
        }
        if (options.all) return callback(null, addresses);
        callback(null, addresses[0].address, addresses[0].family);
      });
    };
  }
}

/** 422 webhook_url_not_allowed: the URL reaches an address outbound requests may not. */
export class OutboundUrlNotAllowedError extends UnprocessableError {
  constructor(field: string, problem: string, url: string) {
    super('webhook_url_not_allowed', refusedUrlDetail(`The URL in ${field}`, url, problem), {
      errors: [{ field, messages: [problem] }],
    });
  }
}

/**
 * What is wrong with a refused URL and, when it is the address, the setting that would open it
 * (with this URL's host as the example), which the server reads only when it starts.
 */
function refusedUrlDetail(subject: string, url: string, problem: string): string {
  let host = '';
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    // not a URL: the problem says so, and no setting helps
  }
  const aboutAddress = host !== '' && !/^(is not a valid URL|must )/.test(problem);
  return (
    `${subject} ${problem}. Webhooks must reach a public address.` +
    (aboutAddress
      ? ` To let this server reach ${host} (a receiver on your own machine or network), set WEBHOOK_ALLOWED_TARGETS in the server's environment, e.g. WEBHOOK_ALLOWED_TARGETS=${host} (hosts or CIDRs, comma separated, no ports), and restart the server; NODE_ENV=development allows loopback without it.`
      : '')
  );
}

/**
 * The IPv4 address an IPv6 address carries, and how: such an address reaches that IPv4 host
 * (through the kernel, a NAT64 gateway or a 6to4 relay), so it is judged as that host, never
 * as ordinary IPv6 unicast. The URL parser writes [::127.0.0.2] as [::7f00:2], so the forms are
 * recognised from the bits, not the text.
 */
export function embeddedIPv4(address: ipaddr.IPv6): { address: ipaddr.IPv4; form: string } | null {
  const w = address.parts;
  const last32 = () => new ipaddr.IPv4([w[6] >> 8, w[6] & 0xff, w[7] >> 8, w[7] & 0xff]);
  const zero = (from: number, to: number) => w.slice(from, to).every((word) => word === 0);
  if (zero(0, 5) && w[5] === 0xffff) return { address: last32(), form: 'IPv4-mapped' };
  // :: and ::1 are left to their own ranges (unspecified, loopback).
  if (zero(0, 6) && (w[6] !== 0 || w[7] > 1)) return { address: last32(), form: 'IPv4-compatible' };
  if (zero(0, 4) && w[4] === 0xffff && w[5] === 0)
    return { address: last32(), form: 'IPv4-translated' };
  if (w[0] === 0x64 && w[1] === 0xff9b && (zero(2, 6) || w[2] === 1))
    return { address: last32(), form: 'NAT64' };
  if (w[0] === 0x2002) {
    return {
      address: new ipaddr.IPv4([w[1] >> 8, w[1] & 0xff, w[2] >> 8, w[2] & 0xff]),
      form: '6to4',
    };
  }
  return null;
}

function resolve(host: string): Promise<string[]> {
  return new Promise((done) => {
    const timer = setTimeout(() => done([]), 2_000);
    dnsLookup(host, { all: true }, (error, addresses) => {
      clearTimeout(timer);
      done(error ? [] : addresses.map((item) => item.address));
    });
  });
}
