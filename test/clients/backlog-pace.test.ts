import { describe, expect, it } from 'vitest';
import { pacer } from '../../clients/backlog-pace';

// The pace of a bulk producer without a server: starts wait for places, the lanes share one look.

describe('backlog pace', () => {
  it('R-M1: starts wait while there is no room; each answer of room() lets that many go; the lanes share one look', async () => {
    const answers = [0, 0, 2, 1, 3];
    let looks = 0;
    let pauses = 0;
    const places = pacer({
      room: async () => {
        looks++;
        return answers.shift() ?? 0;
      },
      pause: async () => {
        pauses++;
        await new Promise((r) => setTimeout(r, 1));
      },
    });
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4, 5, 6].map(async (n) => places.acquire().then(() => order.push(n))));
    expect(order).toHaveLength(6);
    expect(looks).toBe(5);
    expect(pauses).toBe(2);
  });

  it('a start past the answers waits until room() gives more', async () => {
    let room = 1;
    const places = pacer({ room: async () => room, pause: () => new Promise((r) => setTimeout(r, 5)) });
    await places.acquire();
    room = 0;
    let second = false;
    const p = places.acquire().then(() => {
      second = true;
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(second).toBe(false);
    room = 1;
    await p;
    expect(second).toBe(true);
  });

  it('without a pace every start goes at once', async () => {
    const places = pacer();
    await Promise.all(Array.from({ length: 100 }, () => places.acquire()));
  });
});
