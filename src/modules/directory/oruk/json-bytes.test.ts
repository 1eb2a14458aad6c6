import { describe, expect, it } from 'vitest';
import { JsonBytes } from './json-bytes.js';
import { pageJson, pageOf } from './queries.js';

const page = (items: readonly unknown[]) => JsonBytes.join('{"total_items":2,"contents":[', items.map((item) => JsonBytes.of(item)), ']}');

describe('answers joined from parts already serialised', () => {
  it('is the JSON the parts and envelope make together', () => {
    const joined = page([{ name: 'Café Outreach' }, { name: 'IDVA – Swale' }]);
    expect(JSON.parse(joined.bytes.toString('utf8'))).toEqual({ total_items: 2, contents: [{ name: 'Café Outreach' }, { name: 'IDVA – Swale' }] });
    expect(JSON.parse(page([]).bytes.toString('utf8'))).toEqual({ total_items: 2, contents: [] });
  });

  it('makes a feed page byte for byte as JSON.stringify would', () => {
    const services = Array.from({ length: 7 }, (_, index) => ({ id: `s${String(index)}`, name: `Service “${String(index)}”`, minimum_age: index }));
    const paging = { page: 2, perPage: 3 };
    const joined = pageJson(pageOf(services, paging, (service) => JsonBytes.of(service)));
    expect(joined.bytes.toString('utf8')).toBe(JSON.stringify(pageOf(services, paging, (service) => service)));
  });

  it('has the same digest for the same content and a new one when any part changes', () => {
    expect(page([{ a: 1 }, { b: 2 }]).digest).toBe(page([{ a: 1 }, { b: 2 }]).digest);
    expect(page([{ a: 1 }, { b: 3 }]).digest).not.toBe(page([{ a: 1 }, { b: 2 }]).digest);
    expect(page([{ b: 2 }, { a: 1 }]).digest).not.toBe(page([{ a: 1 }, { b: 2 }]).digest);
    expect(JsonBytes.join('{"x":[', [JsonBytes.of(1)], ']}').digest).not.toBe(JsonBytes.join('{"y":[', [JsonBytes.of(1)], ']}').digest);
  });
});
