import type { FastifyInstance, HTTPMethods } from 'fastify';
import { can, PERMISSIONS, ROLE_NAMES, type Permission, type Role } from '../../../src/platform/access/policy.js';
import { newId } from '../../../src/platform/db/ids.js';
import { declaredRoutes, type DeclaredRoute } from '../../../src/platform/http/access.js';

/** The methods a generated request uses; HEAD and OPTIONS routes are Fastify's own shadows of GET. */
export const WALKED_METHODS: readonly HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
export const STATE_CHANGING_METHODS: readonly string[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** Every route the app declared, once per method, in registration order: new modules appear here untouched. */
export function routesOf(app: FastifyInstance): DeclaredRoute[] {
  const seen = new Set<string>();
  return declaredRoutes(app).filter((route) => {
    const key = `${route.method} ${route.url}`;
    if (!WALKED_METHODS.includes(route.method) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function isPermission(access: string): access is Permission {
  return (PERMISSIONS as readonly string[]).includes(access);
}

/** The roles the one policy grants a permission to: asked of `can`, never restated here. */
export function rolesGranted(permission: Permission): Role[] {
  return ROLE_NAMES.filter((role) => can({ userId: 'probe', organisationId: 'probe', roles: [role] }, permission));
}

/**
 * A concrete address for a route pattern: `:params` become a fresh UUIDv7 (a record that does not exist, so
 * the answer depends on access alone) and a trailing wildcard becomes a name that matches no file.
 */
export function concreteUrl(pattern: string): string {
  return pattern
    .replace(/:[A-Za-z0-9_]+(\([^)]*\))?/g, () => newId())
    .replace(/\*$/, 'no-such-file.txt');
}

/** Whether a URL path could be an instance of a route pattern (used to reuse addresses found by crawling). */
export function matchesPattern(pattern: string, url: string): boolean {
  const path = url.split('?')[0] ?? url;
  const source = pattern
    .split(/(:[A-Za-z0-9_]+(?:\([^)]*\))?|\*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}/?$`).test(path);
}

export function routeName(route: Pick<DeclaredRoute, 'method' | 'url'>): string {
  return `${route.method} ${route.url}`;
}
