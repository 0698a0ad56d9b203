import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, expectProblem, json, password, signupTenant, uniqueEmail } from "../../../test/harness";
import { freshIp, mailTo, tokenFromMail, waitForMail } from "../../../test/people";

const newPassword = "a brand new passphrase 42";

async function requestReset(email: string, headers = freshIp()) {
  return api("POST", "/api/v1/auth/password-reset", { body: { email }, headers });
}

async function resetToken(email: string): Promise<string> {
  const seen = (await mailTo(email)).map((m) => m.id);
  const response = await requestReset(email);
  expect(response.status).toBe(202);
  return tokenFromMail(await waitForMail(email, "password_reset", seen), "/reset-password");
}

const confirm = (token: string, newPass = newPassword) =>
  api("POST", "/api/v1/auth/password-reset/confirm", { body: { token, password: newPass }, headers: freshIp() });

const login = (email: string, pass: string) =>
  api("POST", "/api/v1/auth/login", { body: { email, password: pass }, headers: freshIp() });

describe("password reset", () => {
  it("end to end: emailed link → new password → sessions end → only the new password logs in", async () => {
    const owner = await signupTenant("Reset");
    const other = await json(await login(owner.email, password));

    const requested = await requestReset(owner.email.toUpperCase());
    expect(requested.status).toBe(202);
    expect(await json(requested)).toEqual({
      message: "If an account exists for this email, a reset link is on its way",
    });
    const mail = await waitForMail(owner.email, "password_reset");
    expect(mail.tenantId).toBeNull();
    expect(mail.subject).toBe("Reset your password");
    expect(mail.text).toContain(`${env.APP_URL}/reset-password?token=`);
    const token = tokenFromMail(mail, "/reset-password");
    // Only the hash is stored.
    const stored = await env.DB.prepare("select token_hash from password_resets where token_hash = ?")
      .bind(token)
      .first();
    expect(stored).toBeNull();

    expect((await confirm(token)).status).toBe(204);

    // Every session of the account ended: both logins, access and refresh tokens.
    for (const session of [owner, other]) {
      await expectProblem(await api("GET", "/api/v1/me", { token: session.accessToken }), 401, "UNAUTHORIZED");
      await expectProblem(
        await api("POST", "/api/v1/auth/refresh", { body: { refreshToken: session.refreshToken } }),
        401,
        "UNAUTHORIZED",
      );
    }
    await expectProblem(await login(owner.email, password), 401, "UNAUTHORIZED");
    const fresh = await login(owner.email, newPassword);
    expect(fresh.status).toBe(200);
    expect((await json(fresh)).tenantId).toBe(owner.tenantId);

    // Single use.
    await expectProblem(await confirm(token, "yet another passphrase"), 410, "GONE");
    expect((await login(owner.email, newPassword)).status).toBe(200);
  });

  it("answers an unknown email exactly as a known one, and sends nothing", async () => {
    const owner = await signupTenant("Unknown");
    const nobody = uniqueEmail("nobody");
    const unknown = await requestReset(nobody);
    expect(unknown.status).toBe(202);
    const known = await requestReset(owner.email);
    expect(await json(unknown)).toEqual(await json(known));
    // The known address's mail went through the same queue after the unknown request.
    await waitForMail(owner.email, "password_reset");
    expect(await mailTo(nobody)).toEqual([]);
  });

  it("a used link is 410, an expired one is 410, an unknown one is 404", async () => {
    const owner = await signupTenant("Expiry");
    const first = await resetToken(owner.email);
    const second = await resetToken(owner.email);
    expect((await confirm(second)).status).toBe(204);
    // Setting a password retires every other open link of the account.
    await expectProblem(await confirm(first), 410, "GONE");

    const third = await resetToken(owner.email);
    await env.DB.prepare(
      "update password_resets set expires_at = ? where user_id = (select id from users where email = ?) and used_at is null",
    )
      .bind(Date.now() - 1000, owner.email)
      .run();
    const expired = await expectProblem(await confirm(third), 410, "GONE");
    expect(expired.detail).toContain("expired");
    expect((await login(owner.email, newPassword)).status).toBe(200);

    await expectProblem(await confirm("not-a-token-we-ever-issued"), 404, "NOT_FOUND");
  });

  it("two confirmations of one link race: exactly one wins", async () => {
    const owner = await signupTenant("Race");
    const token = await resetToken(owner.email);
    const results = await Promise.all([
      confirm(token, "first racer passphrase"),
      confirm(token, "second racer passphrase"),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([204, 410]);
    const winner = results[0]!.status === 204 ? "first racer passphrase" : "second racer passphrase";
    expect((await login(owner.email, winner)).status).toBe(200);
  });

  it("validates input with field paths", async () => {
    const badEmail = await expectProblem(await requestReset("not an email"), 422, "VALIDATION_FAILED");
    expect(badEmail.errors.map((e: { path: string }) => e.path)).toEqual(["body.email"]);
    const short = await expectProblem(await confirm("whatever", "short"), 422, "VALIDATION_FAILED");
    expect(short.errors.map((e: { path: string }) => e.path)).toEqual(["body.password"]);
  });

  it("is throttled per address: the 11th request in an hour is 429 with Retry-After", async () => {
    const headers = freshIp();
    for (let i = 0; i < 10; i++) expect((await requestReset(uniqueEmail("spam"), headers)).status).toBe(202);
    const blocked = await requestReset(uniqueEmail("spam"), headers);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    await expectProblem(blocked, 429, "RATE_LIMITED");
    expect((await requestReset(uniqueEmail("spam"), freshIp())).status).toBe(202);
  });
});
