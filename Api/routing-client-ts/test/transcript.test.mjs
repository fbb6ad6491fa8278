// The transcript feed's promise: each message once, in sequence order, whatever order they arrive in.
import assert from "node:assert/strict";
import { test } from "node:test";
import { TranscriptFeed } from "../dist/index.js";

const message = (sequence) => ({ sequence, from: "customer", text: `m${sequence}`, at: "2026-12-03T00:00:00Z" });
const sequences = (messages) => messages.map((m) => m.sequence);

test("messages in order are delivered as they come", () => {
  const feed = new TranscriptFeed();
  assert.deepEqual(sequences(feed.add([message(1)])), [1]);
  assert.deepEqual(sequences(feed.add([message(2), message(3)])), [2, 3]);
  assert.equal(feed.lastSequence, 3);
  assert.equal(feed.hasGap, false);
});

test("a message ahead of a gap waits for the gap to be filled", () => {
  const feed = new TranscriptFeed();
  feed.add([message(1)]);
  assert.deepEqual(sequences(feed.add([message(3)])), []);
  assert.equal(feed.hasGap, true);
  assert.equal(feed.lastSequence, 1, "a resync asks for what follows 1");
  assert.deepEqual(sequences(feed.add([message(2), message(3)])), [2, 3]);
  assert.equal(feed.hasGap, false);
  assert.deepEqual(sequences(feed.messages), [1, 2, 3]);
});

test("a message seen before is not delivered again", () => {
  const feed = new TranscriptFeed();
  feed.add([message(1), message(2)]);
  assert.deepEqual(sequences(feed.add([message(1), message(2)])), []);
  assert.deepEqual(sequences(feed.add([message(2), message(3)])), [3]);
  assert.deepEqual(sequences(feed.messages), [1, 2, 3]);
});

test("any arrival order of any overlapping batches gives each message once, in order", () => {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let round = 0; round < 200; round++) {
    const count = 1 + Math.floor(random() * 20);
    const batches = [];
    for (let i = 0; i < count * 2; i++) {
      const from = 1 + Math.floor(random() * count);
      const to = Math.min(count, from + Math.floor(random() * 4));
      batches.push(Array.from({ length: to - from + 1 }, (_, k) => message(from + k)));
    }
    batches.push(Array.from({ length: count }, (_, k) => message(k + 1))); // the snapshot that fills every gap
    const feed = new TranscriptFeed();
    const delivered = batches.flatMap((batch) => feed.add(batch));
    assert.deepEqual(sequences(delivered), Array.from({ length: count }, (_, k) => k + 1));
    assert.equal(feed.hasGap, false);
  }
});
