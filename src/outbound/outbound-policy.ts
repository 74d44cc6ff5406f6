import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Which addresses outbound requests (webhooks) may reach: public unicast only, unless the
 * configured allowlist names the host or a CIDR containing the address. Loopback, private,
 * link-local (169.254.169.254 included), CGNAT, unique-local, IPv4-mapped IPv6, 0.0.0.0,
 * multicast and reserved ranges are refused. Numeric host forms like 2130706433 are already
 * normalised to dotted IPv4 by the URL parser, so they are checked like any address.
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
    if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
      const mapped = (parsed as ipaddr.IPv6).toIPv4Address();
      if (this.cidrs.some(([range, bits]) => range.kind() === 'ipv4' && mapped.match(range, bits)))
        return null;
      return `${address} is an IPv4-mapped IPv6 address, which webhooks may not target`;
    }
    const range = parsed.range();
    return range === 'unicast'
      ? null
      : `${address} is in a ${range} range, which webhooks may not target`;
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

function resolve(host: string): Promise<string[]> {
  return new Promise((done) => {
    const timer = setTimeout(() => done([]), 2_000);
    dnsLookup(host, { all: true }, (error, addresses) => {
      clearTimeout(timer);
      done(error ? [] : addresses.map((item) => item.address));
    });
  });
}
