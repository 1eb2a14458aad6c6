import { EventEmitter } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UploadSlots } from './upload-body.js';

/** An upload's connection: closing it (the answer sent, or the connection cut) is what frees its slot. */
function connection() {
  const response = new EventEmitter();
  const cut = { value: false };
  const request = { raw: { destroy: () => ((cut.value = true), response.emit('close')) } } as unknown as FastifyRequest;
  return { request, reply: { raw: response } as unknown as FastifyReply, answered: () => response.emit('close'), cut };
}

describe('upload slots', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('takes one upload at a time, and the next once the first is answered', () => {
    const slots = new UploadSlots(1, 60_000);
    const first = connection();
    expect(slots.take(first.request, first.reply)).toBe(true);
    const second = connection();
    expect(slots.take(second.request, second.reply)).toBe(false);
    first.answered();
    expect(slots.take(second.request, second.reply)).toBe(true);
  });

  it('cuts off an upload still arriving when its time is up, freeing the slot; an answered one is left alone', () => {
    vi.useFakeTimers();
    const slots = new UploadSlots(1, 60_000);
    const slow = connection();
    slots.take(slow.request, slow.reply);
    vi.advanceTimersByTime(59_999);
    expect(slow.cut.value).toBe(false);
    vi.advanceTimersByTime(1);
    expect(slow.cut.value).toBe(true);
    const next = connection();
    expect(slots.take(next.request, next.reply)).toBe(true);
    next.answered();
    vi.advanceTimersByTime(60_000);
    expect(next.cut.value).toBe(false);
  });
});
