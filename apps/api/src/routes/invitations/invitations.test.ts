import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, createKey, expectProblem, json, password, signupTenant, uniqueEmail } from "../../../test/harness";
import { addMember, freshIp, invite, tokenFromMail, waitForMail } from "../../../test/people";

const accept = (body: Record<string, unknown>) =>
  api("POST", "/api/v1/invitations/accept", { body, headers: freshIp() });
const paths = (problem: { errors: { path: string }[] }) => problem.errors.map((e) => e.path);

describe("creating invitations", () => {
  it("the invitation email reaches the dev outbox through the queue, with the accept link", async () => {
    const owner = await signupTenant("Initech");
    const email = uniqueEmail("invitee");
    const created = await api("POST", "/api/v1/invitations", {
      token: owner.accessToken,
      body: { email: email.toUpperCase(), role: "member" },
    });
    expect(created.status).toBe(201);
    const invitation = await json(created);
    expect(invitation).toMatchObject({ email, role: "member", status: "pending", acceptedAt: null, revokedAt: null });
    expect(invitation.id).toMatch(/^inv_/);
    // The link lives only in the email.
    expect(JSON.stringify(invitation)).not.toContain("token");
    const days = (Date.parse(invitation.expiresAt) - Date.parse(invitation.createdAt)) / 86_400_000;
    expect(days).toBe(7);

    const mail = await waitForMail(email, "invitation");
    expect(mail.tenantId).toBe(owner.tenantId);
    expect(mail.subject).toBe("Join Initech on the CRM");
    expect(mail.text).toContain(`Owner Person (${owner.email}) invited you to join Initech as a member.`);
    expect(mail.text).toContain(`${env.APP_URL}/accept-invitation?token=`);
    expect(mail.text).toContain("expires in 7 days");
  });

  it("refuses a second pending invitation for the address and inviting a member (409)", async () => {
    const owner = await signupTenant("Dupes");
    const email = uniqueEmail("dupe");
    const first = await json(
      await api("POST", "/api/v1/invitations", { token: owner.accessToken, body: { email, role: "viewer" } }),
    );
    const again = await api("POST", "/api/v1/invitations", {
      token: owner.accessToken,
      body: { email: ` ${email.toUpperCase()} `, role: "admin" },
    });
    const problem = await expectProblem(again, 409, "CONFLICT");
    expect(problem.existingId).toBe(first.id);
    const member = await api("POST", "/api/v1/invitations", {
      token: owner.accessToken,
      body: { email: owner.email, role: "member" },
    });
    expect(paths(await expectProblem(member, 409, "CONFLICT"))).toEqual(["body.email"]);

    // Once revoked, the address can be invited again.
    expect((await api("DELETE", `/api/v1/invitations/${first.id}`, { token: owner.accessToken })).status).toBe(200);
    expect(
      (await api("POST", "/api/v1/invitations", { token: owner.accessToken, body: { email, role: "viewer" } })).status,
    ).toBe(201);
  });

  it("three invitations of one address at the same moment: one is created, the others are 409", async () => {
    const owner = await signupTenant("Simultaneous");
    const email = uniqueEmail("both");
    const post = () =>
      api("POST", "/api/v1/invitations", { token: owner.accessToken, body: { email, role: "member" } });
    const results = await Promise.all([post(), post(), post()]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const pending = await json(await api("GET", "/api/v1/invitations?status=pending", { token: owner.accessToken }));
    expect(pending.data.map((i: { email: string }) => i.email)).toEqual([email]);
  });

  it("validates role, email and expiresInDays (1-30) with field paths", async () => {
    const owner = await signupTenant("Validation");
    const post = (body: unknown) => api("POST", "/api/v1/invitations", { token: owner.accessToken, body });
    expect(paths(await expectProblem(await post({ email: "x@example.com", role: "emperor" }), 422))).toEqual([
      "body.role",
    ]);
    expect(paths(await expectProblem(await post({ email: "nope", role: "member" }), 422))).toEqual(["body.email"]);
    for (const expiresInDays of [0, 31, 2.5, "7"]) {
      const problem = await expectProblem(
        await post({ email: uniqueEmail(), role: "member", expiresInDays }),
        422,
        "VALIDATION_FAILED",
      );
      expect(paths(problem)).toEqual(["body.expiresInDays"]);
    }
    const thirty = await json(await post({ email: uniqueEmail(), role: "member", expiresInDays: 30 }));
    expect((Date.parse(thirty.expiresAt) - Date.parse(thirty.createdAt)) / 86_400_000).toBe(30);
  });

  it("only owners invite owners; viewers and members cannot invite, members cannot create API keys", async () => {
    const owner = await signupTenant("Roles");
    const admin = await addMember(owner, "admin");
    const member = await addMember(owner, "member");
    const viewer = await addMember(owner, "viewer");
    const post = (token: string, role: string) =>
      api("POST", "/api/v1/invitations", { token, body: { email: uniqueEmail(), role } });

    await expectProblem(await post(admin.accessToken, "owner"), 403, "FORBIDDEN");
    expect((await post(admin.accessToken, "admin")).status).toBe(201);
    expect((await post(owner.accessToken, "owner")).status).toBe(201);
    await expectProblem(await post(viewer.accessToken, "viewer"), 403, "FORBIDDEN");
    await expectProblem(await post(member.accessToken, "viewer"), 403, "FORBIDDEN");
    const key = await api("POST", "/api/v1/api-keys", {
      token: member.accessToken,
      body: { name: "mine", scopes: ["contacts:read"] },
    });
    await expectProblem(key, 403, "FORBIDDEN");
    // Reading is still open to them where the role allows it.
    expect((await api("GET", "/api/v1/members", { token: viewer.accessToken })).status).toBe(200);
    await expectProblem(await api("GET", "/api/v1/invitations", { token: member.accessToken }), 403, "FORBIDDEN");
  });

  it("API keys need invitations:write and can never invite an owner", async () => {
    const owner = await signupTenant("Keys");
    const writer = await createKey(owner, ["invitations:write", "invitations:read"]);
    const reader = await createKey(owner, ["members:read"]);
    const body = (role: string) => ({ email: uniqueEmail(), role });
    const created = await api("POST", "/api/v1/invitations", { token: writer.key, body: body("member") });
    expect(created.status).toBe(201);
    expect((await json(created)).invitedBy).toBe(writer.id);
    await expectProblem(
      await api("POST", "/api/v1/invitations", { token: writer.key, body: body("owner") }),
      403,
      "FORBIDDEN",
    );
    await expectProblem(
      await api("POST", "/api/v1/invitations", { token: reader.key, body: body("member") }),
      403,
      "INSUFFICIENT_SCOPE",
    );
    await expectProblem(await api("POST", "/api/v1/invitations", { body: body("member") }), 401, "UNAUTHORIZED");
  });
});

describe("accepting invitations", () => {
  it("a new address creates its account and gets a session; the link then is 410", async () => {
    const owner = await signupTenant("Newcomers");
    const email = uniqueEmail("new");
    const { invitation, token } = await invite(owner, email, "viewer");

    const missing = await expectProblem(await accept({ token }), 422, "VALIDATION_FAILED");
    expect(paths(missing)).toEqual(["body.name", "body.password"]);
    expect(paths(await expectProblem(await accept({ token, name: "Neo", password: "short" }), 422))).toEqual([
      "body.password",
    ]);

    const accepted = await accept({ token, name: "Neo Newcomer", password });
    expect(accepted.status).toBe(201);
    const session = await json(accepted);
    expect(session).toMatchObject({ tenantId: owner.tenantId, role: "viewer" });
    const me = await json(await api("GET", "/api/v1/me", { token: session.accessToken }));
    expect(me.user).toMatchObject({ email, name: "Neo Newcomer" });
    expect((await api("POST", "/api/v1/auth/login", { body: { email, password }, headers: freshIp() })).status).toBe(
      200,
    );

    const after = await json(await api("GET", `/api/v1/invitations/${invitation.id}`, { token: owner.accessToken }));
    expect(after.status).toBe("accepted");
    await expectProblem(await accept({ token, name: "Again", password }), 410, "GONE");
    await expectProblem(await accept({ token: "never-issued-token", name: "X", password }), 404, "NOT_FOUND");

    // The acceptance and the new membership are in the audit log, by the person who joined.
    const audit = await env.DB.prepare(
      "select action, entity, entity_id as entityId, actor_id as actorId from audit_log where tenant_id = ? and actor_id = ? order by entity",
    )
      .bind(owner.tenantId, me.user.id)
      .all();
    expect(audit.results).toEqual([
      { action: "update", entity: "invitation", entityId: invitation.id, actorId: me.user.id },
      { action: "create", entity: "membership", entityId: me.user.id, actorId: me.user.id },
    ]);
  });

  it("an existing account must confirm with its own password and gains a membership", async () => {
    const home = await signupTenant("Home");
    const host = await signupTenant("Host");
    const { token } = await invite(host, home.email, "admin");

    expect(paths(await expectProblem(await accept({ token }), 422, "VALIDATION_FAILED"))).toEqual(["body.password"]);
    await expectProblem(await accept({ token, password: "not the password" }), 401, "UNAUTHORIZED");
    const accepted = await accept({ token, name: "ignored", password });
    expect(accepted.status).toBe(201);
    const session = await json(accepted);
    expect(session).toMatchObject({ tenantId: host.tenantId, role: "admin" });
    const me = await json(await api("GET", "/api/v1/me", { token: session.accessToken }));
    expect(me.user.name).toBe("Owner Person");
    expect(me.tenants.map((t: { id: string; role: string }) => [t.id, t.role]).sort()).toEqual(
      [
        [home.tenantId, "owner"],
        [host.tenantId, "admin"],
      ].sort(),
    );
  });

  it("revoked and expired invitations are 410; revoking an accepted one is 409", async () => {
    const owner = await signupTenant("Gone");
    const revoked = await invite(owner, uniqueEmail("revoked"), "member");
    const revoke = await api("DELETE", `/api/v1/invitations/${revoked.invitation.id}`, { token: owner.accessToken });
    expect(revoke.status).toBe(200);
    expect((await json(revoke)).status).toBe("revoked");
    expect((await accept({ token: revoked.token, name: "R", password })).status).toBe(410);

    const expired = await invite(owner, uniqueEmail("expired"), "member");
    await env.DB.prepare("update invitations set expires_at = ? where id = ?")
      .bind(Date.now() - 1000, expired.invitation.id)
      .run();
    const problem = await expectProblem(await accept({ token: expired.token, name: "E", password }), 410, "GONE");
    expect(problem.detail).toContain("expired");

    const used = await invite(owner, uniqueEmail("used"), "member");
    expect((await accept({ token: used.token, name: "U", password })).status).toBe(201);
    await expectProblem(
      await api("DELETE", `/api/v1/invitations/${used.invitation.id}`, { token: owner.accessToken }),
      409,
      "CONFLICT",
    );

    const byStatus = async (status: string) =>
      (await json(await api("GET", `/api/v1/invitations?status=${status}`, { token: owner.accessToken }))).data.map(
        (i: { id: string }) => i.id,
      );
    expect(await byStatus("revoked")).toEqual([revoked.invitation.id]);
    expect(await byStatus("expired")).toEqual([expired.invitation.id]);
    expect(await byStatus("accepted")).toEqual([used.invitation.id]);
    expect(await byStatus("pending")).toEqual([]);
    await expectProblem(
      await api("GET", "/api/v1/invitations?status=lost", { token: owner.accessToken }),
      422,
      "VALIDATION_FAILED",
    );
  });

  it("two accepts of one link race: one joins, the other is 410", async () => {
    const owner = await signupTenant("Racers");
    const { token } = await invite(owner, uniqueEmail("racer"), "member");
    const results = await Promise.all([accept({ token, name: "A", password }), accept({ token, name: "B", password })]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 410]);
    const members = await json(await api("GET", "/api/v1/members", { token: owner.accessToken }));
    expect(members.data).toHaveLength(2);
  });
});

describe("listing invitations", () => {
  it("pages newest first with a cursor, with nothing repeated or lost", async () => {
    const owner = await signupTenant("Pages");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const created = await api("POST", "/api/v1/invitations", {
        token: owner.accessToken,
        body: { email: uniqueEmail(`p${i}`), role: "viewer" },
      });
      ids.push((await json(created)).id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : "?limit=2";
      const page = await json(await api("GET", `/api/v1/invitations${query}`, { token: owner.accessToken }));
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((i: { id: string }) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
    // Mail for each was queued too; the last one is enough to prove the path.
    const last = await waitForMail(
      (await json(await api("GET", `/api/v1/invitations/${ids[4]}`, { token: owner.accessToken }))).email,
      "invitation",
    );
    expect(tokenFromMail(last, "/accept-invitation").length).toBeGreaterThan(20);
  });
});
