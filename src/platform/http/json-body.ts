import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isApiRequest } from './surfaces.js';

/** Deeper than any body this service takes (a referral is four levels deep): code that walks a body need not fear its stack. */
export const MAX_JSON_DEPTH = 32;

export const JSON_TOO_DEEP = 'APP_JSON_TOO_DEEP';
export const JSON_REPEATED_NAME = 'APP_JSON_REPEATED_NAME';
export const JSON_FORBIDDEN_NAME = 'APP_JSON_FORBIDDEN_NAME';

/**
 * Fastify's own JSON parser (with its guards against prototype poisoning), then a check that the body is not nested
 * more deeply than MAX_JSON_DEPTH: a body of 5,000 nested arrays parses, but code that walks it by recursion would
 * overflow its stack and answer 500 instead of 400.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  // No page takes plain text: without this, Fastify's own text parser would hand a form a string.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, async (request: FastifyRequest, body: string | Buffer) => {
    // JSON is for the API. A page's form sends form data: JSON there could carry numbers, objects or null where a
    // form only ever has text, which the form's page was never written to show again.
    if (!isApiRequest(request)) throw Object.assign(new Error('A form takes form data, not JSON'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
    const parsed = await new Promise<unknown>((resolve, reject) => {
      void parse(request, String(body), (error: Error | null, value?: unknown) => {
        // Refused though it is valid JSON: it names a prototype (the parser's guard). Say so, rather than "malformed".
        if (error && isValidJson(String(body))) reject(Object.assign(new Error('JSON names a prototype'), { statusCode: 400, code: JSON_FORBIDDEN_NAME }));
        else if (error) reject(error);
        else resolve(value);
      });
    });
    if (nestedDeeperThan(parsed, MAX_JSON_DEPTH)) throw Object.assign(new Error('JSON nested too deeply'), { statusCode: 400, code: JSON_TOO_DEEP });
    const repeated = repeatedNamePointer(String(body));
    if (repeated !== undefined) throw Object.assign(new Error(`The name at ${repeated} is given twice in one object`), { statusCode: 400, code: JSON_REPEATED_NAME, pointer: repeated });
    return parsed;
  });
}

/** JSON.parse only checks the text: a "__proto__" in it becomes an ordinary own property, polluting nothing. */
function isValidJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}

interface Container {
  readonly pointer: string;
  /** Names seen so far in an object; undefined for an array. */
  readonly names: Set<string> | undefined;
  /** The object's last name, or the array's current index: where a nested value sits. */
  member: string | number;
}

/**
 * The JSON pointer of the first name given twice in one object of a (valid) JSON text. JSON.parse keeps the last of
 * them silently, so a referral sending "q7": "yes" and then "q7": "no" would be read as whichever came second.
 */
export function repeatedNamePointer(text: string): string | undefined {
  const stack: Container[] = [];
  let expectingName = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    const top = stack.at(-1);
    if (char === '"') {
      let end = index + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (top?.names && expectingName) {
        const name = JSON.parse(text.slice(index, end + 1)) as string;
        if (top.names.has(name)) return `${top.pointer}/${pointerToken(name)}`;
        top.names.add(name);
        top.member = name;
        expectingName = false;
      }
      index = end;
    } else if (char === '{' || char === '[') {
      stack.push({ pointer: top ? `${top.pointer}/${pointerToken(String(top.member))}` : '', names: char === '{' ? new Set() : undefined, member: 0 });
      expectingName = char === '{';
    } else if (char === '}' || char === ']') {
      stack.pop();
    } else if (char === ',' && top) {
      if (top.names) expectingName = true;
      else top.member = Number(top.member) + 1;
    }
  }
  return undefined;
}

function pointerToken(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1');
}
