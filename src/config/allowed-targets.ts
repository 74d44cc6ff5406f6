import ipaddr from 'ipaddr.js';

/** Loopback, which NODE_ENV=development opens for webhooks when WEBHOOK_ALLOWED_TARGETS is unset. */
export const DEVELOPMENT_WEBHOOK_TARGETS = '127.0.0.0/8,::1,localhost';

const HOSTNAME =
  /^(?=.{1,253}\.?$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

/** The entries of a comma-separated list of hosts and CIDRs (blank entries dropped). */
export function targetEntries(list: string): string[] {
  return list
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * Why `entry` is not a host, an IP address or a CIDR range, or null when it is one. The hint
 * says what to write instead: a rule covers every port of a host, so a port is refused rather
 * than silently never matching.
 */
export function targetEntryProblem(entry: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) {
    const host = safeHostname(entry);
    return `"${entry}" is a URL; list the host alone${host ? ` (${host})` : ''}`;
  }
  const withPort = /^(?:\[([^\]]+)\]|([^:/]+)):(\d*)$/.exec(entry);
  if (withPort) {
    const host = withPort[1] ?? withPort[2];
    return `"${entry}" has a port; list the host alone (${host}), which opens every port of it`;
  }
  if (entry.includes('/')) {
    try {
      ipaddr.parseCIDR(entry);
      return null;
    } catch {
      return `"${entry}" is not a CIDR range like 10.0.0.0/8 or fd00::/8`;
    }
  }
  if (ipaddr.isValid(entry) || HOSTNAME.test(entry)) return null;
  return `"${entry}" is neither a host name, an IP address nor a CIDR range`;
}

function safeHostname(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '') || null;
  } catch {
    return null;
  }
}
