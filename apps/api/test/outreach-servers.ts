// Runs in Node (vitest globalSetup), not in workerd: real mail servers and servers speaking
// Postmark's and Twilio's APIs, which outreach reaches from inside workerd, and HTTP routes for
// tests to read what arrived.
//
//   SMTP (smtp-server), two listeners, both requiring AUTH (PLAIN or LOGIN) as
//     `smtpUser` / `smtpPassword`; each message is parsed with mailparser and kept:
//     - `smtpPort`: plain TCP, STARTTLS not offered (AUTH over plain text is allowed here only);
//     - `smtpStartTlsPort`: offers STARTTLS with a self-signed certificate made at setup and
//       refuses AUTH before it. workerd verifies certificates against the public roots, so a
//       client there cannot finish this handshake: tests use it to see that failure reported.
//     A recipient whose local part starts with `reject` is refused at RCPT TO (550).
//   HTTP on `mailServersUrl`:
//     GET  /smtp/messages?to=<address>    captured SMTP messages (oldest first), all or to one address
//     POST /postmark/email                Postmark's send API: X-Postmark-Server-Token must be
//                                         `postmarkToken` (else 401, ErrorCode 10); From, To and
//                                         Subject are required and a body (else 422, ErrorCode
//                                         300); a To starting with `inactive` is 422, ErrorCode
//                                         406; otherwise 200 {To, SubmittedAt, MessageID, ErrorCode: 0, Message: "OK"}
//     GET  /postmark/requests?to=<address> what /postmark/email received
//     POST /twilio/2010-04-01/Accounts/<sid>/Messages.json and …/Calls.json  Twilio's REST API:
//                                         Basic auth `twilioAccountSid`:`twilioAuthToken` (else 401,
//                                         code 20003); To must be E.164 (`whatsapp:` allowed for
//                                         messages; else 400, code 21211); messages need From and
//                                         Body (21602), calls Twiml or Url (21205); 201 with a
//                                         `sid` (SM…/CA…) and status "queued"
//     GET  /twilio/requests?to=<number>   what the Twilio routes received (form parameters)
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    mailServersUrl: string;
    smtpPort: number;
    smtpStartTlsPort: number;
    smtpUser: string;
    smtpPassword: string;
    postmarkToken: string;
    twilioAccountSid: string;
    twilioAuthToken: string;
  }
}

const smtpUser = "mailer@smtp.test";
const smtpPassword = "smtp-test-password-7c1e";
const postmarkToken = "postmark-test-server-token-4b2d";
const twilioAccountSid = "AC0123456789abcdef0123456789abcdef";
const twilioAuthToken = "twilio-test-auth-token-9f3a1c";

export interface CapturedSmtpMessage {
  /** The port's listener: "plain" or "starttls". */
  listener: string;
  authUser: string | null;
  authMethod: string | null;
  secure: boolean;
  envelope: { from: string | null; to: string[] };
  subject: string | null;
  from: string | null;
  to: string | null;
  replyTo: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  /** Every header, lower-cased names, the raw value lines. */
  headers: Record<string, string>;
  text: string | null;
  html: string | null;
}

export interface CapturedTwilioRequest {
  path: string;
  authorization: string | null;
  contentType: string | null;
  params: Record<string, string>;
  status: number;
}

export interface CapturedPostmarkRequest {
  headers: Record<string, string>;
  body: unknown;
  status: number;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** A throwaway self-signed certificate for localhost (openssl from the machine). */
function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(path.join(tmpdir(), "smtp-cert-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-keyout",
        path.join(dir, "key.pem"),
        "-out",
        path.join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    return { key: readFileSync(path.join(dir, "key.pem")), cert: readFileSync(path.join(dir, "cert.pem")) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function smtpServer(listener: string, captured: CapturedSmtpMessage[], options: SMTPServerOptions): SMTPServer {
  return new SMTPServer({
    ...options,
    authMethods: ["PLAIN", "LOGIN"],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === smtpUser && auth.password === smtpPassword) callback(null, { user: auth.username });
      else callback(new Error("Invalid username or password"));
    },
    onRcptTo(address, _session, callback) {
      if (address.address.toLowerCase().startsWith("reject")) {
        const error = new Error(`Mailbox ${address.address} does not exist`) as Error & { responseCode: number };
        error.responseCode = 550;
        callback(error);
      } else callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const headers: Record<string, string> = {};
          for (const line of mail.headerLines) headers[line.key] = line.line.slice(line.line.indexOf(":") + 1).trim();
          captured.push({
            listener,
            authUser: typeof session.user === "string" ? session.user : null,
            authMethod: session.transmissionType ?? null,
            secure: session.secure,
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            },
            subject: mail.subject ?? null,
            from: mail.from?.text ?? null,
            to: Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(", ") : (mail.to?.text ?? null),
            replyTo: mail.replyTo?.text ?? null,
            messageId: mail.messageId ?? null,
            inReplyTo: mail.inReplyTo ?? null,
            headers,
            text: mail.text ?? null,
            html: typeof mail.html === "string" ? mail.html : null,
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
}

function postmarkAnswer(
  token: string | undefined,
  body: Record<string, unknown> | null,
): { status: number; body: Record<string, unknown> } {
  if (token !== postmarkToken)
    return {
      status: 401,
      body: {
        ErrorCode: 10,
        Message: "The Server Token you provided in the X-Postmark-Server-Token request header was invalid.",
      },
    };
  if (!body) return { status: 422, body: { ErrorCode: 402, Message: "Received invalid JSON input." } };
  for (const field of ["From", "To", "Subject"])
    if (typeof body[field] !== "string" || body[field] === "")
      return {
        status: 422,
        body: { ErrorCode: 300, Message: `Invalid email request: the '${field}' field is required.` },
      };
  if (!body.TextBody && !body.HtmlBody)
    return { status: 422, body: { ErrorCode: 300, Message: "Provide either email TextBody or HtmlBody or both." } };
  const to = body.To as string;
  if (to.toLowerCase().startsWith("inactive"))
    return {
      status: 422,
      body: {
        ErrorCode: 406,
        Message: "You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: " + to,
      },
    };
  return {
    status: 200,
    body: { To: to, SubmittedAt: new Date().toISOString(), MessageID: randomUUID(), ErrorCode: 0, Message: "OK" },
  };
}

const e164 = /^\+[1-9]\d{6,14}$/;
const hex32 = () => randomUUID().replaceAll("-", "");

function twilioAnswer(
  sid: string,
  resource: string,
  authorization: string | undefined,
  params: Record<string, string>,
): { status: number; body: Record<string, unknown> } {
  const expected = `Basic ${Buffer.from(`${twilioAccountSid}:${twilioAuthToken}`).toString("base64")}`;
  if (authorization !== expected || sid !== twilioAccountSid)
    return {
      status: 401,
      body: {
        code: 20003,
        message: "Authenticate",
        more_info: "https://www.twilio.com/docs/errors/20003",
        status: 401,
      },
    };
  const to = params.To ?? "";
  const number = resource === "Messages.json" ? to.replace(/^whatsapp:/, "") : to;
  if (!e164.test(number))
    return {
      status: 400,
      body: {
        code: 21211,
        message: `The 'To' number ${to} is not a valid phone number.`,
        more_info: "https://www.twilio.com/docs/errors/21211",
        status: 400,
      },
    };
  if (resource === "Messages.json") {
    if (!params.From || !params.Body)
      return { status: 400, body: { code: 21602, message: "Message body is required.", status: 400 } };
    return {
      status: 201,
      body: { sid: `SM${hex32()}`, account_sid: sid, to, from: params.From, body: params.Body, status: "queued" },
    };
  }
  if (!params.Twiml && !params.Url)
    return { status: 400, body: { code: 21205, message: "Url parameter is required.", status: 400 } };
  return { status: 201, body: { sid: `CA${hex32()}`, account_sid: sid, to, from: params.From, status: "queued" } };
}

export default async function setup(project: TestProject) {
  const smtpMessages: CapturedSmtpMessage[] = [];
  const postmarkRequests: CapturedPostmarkRequest[] = [];
  const twilioRequests: CapturedTwilioRequest[] = [];

  const plain = smtpServer("plain", smtpMessages, { disabledCommands: ["STARTTLS"], allowInsecureAuth: true });
  const withStartTls = smtpServer("starttls", smtpMessages, selfSignedCertificate());

  const http = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? "/", "http://mail-servers");
      const to = url.searchParams.get("to")?.toLowerCase();
      const send = (status: number, body: unknown) =>
        response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (request.method === "GET" && url.pathname === "/smtp/messages") {
        send(200, to ? smtpMessages.filter((m) => m.envelope.to.some((a) => a.toLowerCase() === to)) : smtpMessages);
      } else if (request.method === "GET" && url.pathname === "/postmark/requests") {
        send(
          200,
          to
            ? postmarkRequests.filter((r) => String((r.body as { To?: unknown } | null)?.To ?? "").toLowerCase() === to)
            : postmarkRequests,
        );
      } else if (request.method === "GET" && url.pathname === "/twilio/requests") {
        send(200, to ? twilioRequests.filter((r) => (r.params.To ?? "").toLowerCase() === to) : twilioRequests);
      } else if (
        request.method === "POST" &&
        /^\/twilio\/2010-04-01\/Accounts\/[^/]+\/(Messages|Calls)\.json$/.test(url.pathname)
      ) {
        const [, , , , sid = "", resource = ""] = url.pathname.split("/");
        const params = Object.fromEntries(new URLSearchParams(await readBody(request)));
        const answer = twilioAnswer(sid, resource, request.headers.authorization, params);
        twilioRequests.push({
          path: url.pathname.slice("/twilio".length),
          authorization: request.headers.authorization ?? null,
          contentType: request.headers["content-type"] ?? null,
          params,
          status: answer.status,
        });
        send(answer.status, answer.body);
      } else if (request.method === "POST" && url.pathname === "/postmark/email") {
        const raw = await readBody(request);
        let body: Record<string, unknown> | null;
        try {
          body = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          body = null;
        }
        const token = request.headers["x-postmark-server-token"];
        const answer = postmarkAnswer(Array.isArray(token) ? token[0] : token, body);
        const headers = Object.fromEntries(
          Object.entries(request.headers).map(([key, value]) => [
            key,
            Array.isArray(value) ? value.join(", ") : (value ?? ""),
          ]),
        );
        postmarkRequests.push({ headers, body, status: answer.status });
        send(answer.status, answer.body);
      } else {
        send(404, { error: "no such route" });
      }
    })().catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });

  const listen = (server: { listen: (port: number, host: string, cb: () => void) => unknown }) =>
    new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  await Promise.all([listen(plain.server), listen(withStartTls.server), listen(http)]);

  project.provide("mailServersUrl", `http://127.0.0.1:${(http.address() as AddressInfo).port}`);
  project.provide("smtpPort", (plain.server.address() as AddressInfo).port);
  project.provide("smtpStartTlsPort", (withStartTls.server.address() as AddressInfo).port);
  project.provide("smtpUser", smtpUser);
  project.provide("smtpPassword", smtpPassword);
  project.provide("postmarkToken", postmarkToken);
  project.provide("twilioAccountSid", twilioAccountSid);
  project.provide("twilioAuthToken", twilioAuthToken);

  return async () => {
    http.closeAllConnections();
    await Promise.all([
      new Promise((resolve) => http.close(resolve)),
      new Promise<void>((resolve) => plain.close(() => resolve())),
      new Promise<void>((resolve) => withStartTls.close(() => resolve())),
    ]);
  };
}
