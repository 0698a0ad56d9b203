// `npm run bench`, webhooks: how many events per second reach a local receiver.
//   A: one bulk request tags N contacts, which records N `contact.updated` events; the request
//      queues the dispatcher, which fans them out to one subscription; the queue consumer
//      POSTs each signed delivery to a Node HTTP receiver. Measured from the bulk request to
//      the N-th distinct `webhook-id` received.
//   B (baseline): Node itself POSTs N bodies of the same size to the same receiver, 10 at a
//      time (the consumer's batch size).
// Both in one run, against the Worker bundle under Miniflare's Node API (workerd itself).
import { createServer } from "node:http";
import { call, signUp, startBenchWorker } from "./harness.mjs";

const eventCount = Number(process.env.WEBHOOK_BENCH_EVENTS ?? 500);
const timeoutMs = 300_000;

function startReceiver() {
  const received = new Map();
  let onCount = () => {};
  const server = createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      const id = request.headers["webhook-id"];
      if (id && !received.has(id)) {
        received.set(id, { at: performance.now(), bytes: Buffer.concat(chunks).length });
        onCount(received.size);
      }
      response.writeHead(200).end("ok");
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        received,
        reset: () => received.clear(),
        waitFor: (count) =>
          new Promise((done, fail) => {
            if (received.size >= count) return done();
            const timer = setTimeout(() => fail(new Error(`Only ${received.size} of ${count} arrived`)), timeoutMs);
            onCount = (size) => {
              if (size >= count) {
                clearTimeout(timer);
                done();
              }
            };
          }),
        close: () => new Promise((done) => server.close(done)),
      }),
    ),
  );
}

let worker;
let receiver;
try {
  receiver = await startReceiver();
  worker = await startBenchWorker("webhooks");
  const { base } = worker;
  const owner = await signUp(base, "Webhooks", 1);
  console.log(`Worker on ${base}; creating ${eventCount} contacts...`);
  const ids = [];
  for (let i = 0; i < eventCount; i++) {
    const contact = await call(base, "POST", "/api/v1/contacts", {
      token: owner.accessToken,
      body: { firstName: `Fan${i}`, lastName: "Out" },
    });
    ids.push(contact.id);
  }
  await call(base, "POST", "/api/v1/webhooks", {
    token: owner.accessToken,
    body: { url: `${receiver.url}/hooks/bench`, eventTypes: ["contact.updated"] },
  });

  const started = performance.now();
  for (let i = 0; i < ids.length; i += 1000) {
    await call(base, "POST", "/api/v1/contacts/bulk", {
      token: owner.accessToken,
      body: { action: "tag", ids: ids.slice(i, i + 1000), tags: ["fan-out"] },
    });
  }
  const written = performance.now();
  await receiver.waitFor(eventCount);
  const seconds = (performance.now() - started) / 1000;
  const arrivals = [...receiver.received.values()].map((r) => r.at).sort((a, b) => a - b);
  const firstAfter = (arrivals[0] - written) / 1000;
  const steady = (eventCount - 1) / ((arrivals.at(-1) - arrivals[0]) / 1000);
  const bodyBytes = Math.round([...receiver.received.values()].reduce((sum, r) => sum + r.bytes, 0) / eventCount);
  const delivered = eventCount / seconds;

  receiver.reset();
  const body = JSON.stringify({ padding: "x".repeat(Math.max(0, bodyBytes - 16)) });
  const baselineStarted = performance.now();
  for (let i = 0; i < eventCount; i += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, eventCount - i) }, (_, j) =>
        fetch(`${receiver.url}/hooks/baseline`, {
          method: "POST",
          headers: { "content-type": "application/json", "webhook-id": `baseline-${i + j}` },
          body,
        }).then((r) => r.text()),
      ),
    );
  }
  const baseline = eventCount / ((performance.now() - baselineStarted) / 1000);

  console.log(`\nWebhook fan-out, ${eventCount} events of ~${bodyBytes} bytes each:`);
  console.log(
    `  A: events delivered (bulk write → outbox → queue → signed POST)  ${delivered.toFixed(1).padStart(8)} events/s  (${seconds.toFixed(1)} s, the bulk write ${((written - started) / 1000).toFixed(1)} s of it)`,
  );
  console.log(
    `     first delivery ${firstAfter.toFixed(2)} s after the write answered; first to last: ${steady.toFixed(1)} events/s`,
  );
  console.log(
    `  B: Node POSTing the same bodies, 10 at a time                   ${baseline.toFixed(1).padStart(8)} requests/s`,
  );
  console.log(`  A/B = ${(delivered / baseline).toFixed(3)}`);
} finally {
  await worker?.dispose();
  await receiver?.close();
}
