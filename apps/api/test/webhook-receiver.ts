// Runs in Node (vitest globalSetup), not in workerd: a real HTTP server that webhook tests
// deliver to. Tests reach it over HTTP from inside workerd:
//   PUT  /__script/<name>  {"responses":[{"status":500,"body":"boom","headers":{},"delayMs":0}, …]}
//        the answers POST /hooks/<name> gives in turn (the last one repeats; default 200 "ok")
//   POST /hooks/<name>     records method, headers and body, answers from the script
//   GET  /__log/<name>     what /hooks/<name> received, oldest first
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";

interface ScriptedResponse {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

interface Received {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
}

declare module "vitest" {
  export interface ProvidedContext {
    webhookReceiverUrl: string;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

export default async function setup(project: TestProject) {
  const scripts = new Map<string, ScriptedResponse[]>();
  const logs = new Map<string, Received[]>();
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? "/", "http://receiver");
      const [, kind, name = ""] = url.pathname.split("/");
      const body = await readBody(request);
      if (kind === "__script" && request.method === "PUT") {
        scripts.set(name, (JSON.parse(body) as { responses: ScriptedResponse[] }).responses);
        response.writeHead(204).end();
      } else if (kind === "__log" && request.method === "GET") {
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(logs.get(name) ?? []));
      } else if (kind === "hooks") {
        const headers = Object.fromEntries(
          Object.entries(request.headers).map(([key, value]) => [
            key,
            Array.isArray(value) ? value.join(", ") : (value ?? ""),
          ]),
        );
        const log = logs.get(name) ?? [];
        log.push({ method: request.method ?? "", path: url.pathname, headers, body, receivedAt: Date.now() });
        logs.set(name, log);
        const script = scripts.get(name) ?? [];
        const answer = (script.length > 1 ? script.shift() : script[0]) ?? { status: 200, body: "ok" };
        if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
        if (!response.destroyed) response.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? "");
      } else {
        response.writeHead(404).end("no such receiver route");
      }
    })().catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  project.provide("webhookReceiverUrl", `http://127.0.0.1:${port}`);
  return async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
}
