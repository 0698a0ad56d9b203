import { describe, expect, it } from "vitest";
import { api, expectProblem, json, signupTenant, type TestTenant } from "../../../test/harness";
import { userIdOf } from "../../../test/people";
import { createCompanyVia, createContactVia } from "../contacts/test-support";
import { countAll, get, pipelineNamed, post, stageNamed } from "../deals/test-support";

const createLead = (token: string, body: Record<string, unknown>) => post(token, "/api/v1/leads", body);
const convert = (token: string, id: string, body: unknown) =>
  api("POST", `/api/v1/leads/${id}/convert`, { token, body });

/** What a client can count of the records a conversion creates. */
async function counts(owner: TestTenant) {
  return {
    contacts: await countAll(owner.accessToken, "/api/v1/contacts"),
    companies: await countAll(owner.accessToken, "/api/v1/companies"),
    deals: await countAll(owner.accessToken, "/api/v1/deals"),
  };
}

async function activitySubjects(token: string, recordType: string, recordId: string): Promise<string[]> {
  const page = await get(token, `/api/v1/activities?recordType=${recordType}&recordId=${recordId}`);
  return page.data.map((a: { type: string; subject: string }) => `${a.type}: ${a.subject}`);
}

describe("lead conversion", () => {
  it("creates contact, company and deal from the lead in one step and records it on each timeline", async () => {
    const owner = await signupTenant();
    const ownerId = await userIdOf(owner);
    const sales = await pipelineNamed(owner.accessToken, "Sales");
    const lead = await createLead(owner.accessToken, {
      firstName: "Grace",
      lastName: "Hopper",
      email: "grace@cobol.example",
      phone: "+1 555 010 2345",
      companyName: "Cobol Inc",
      companyDomain: "www.cobol.example",
      title: "Admiral",
      source: "webinar",
      estimatedValue: 25000,
      stage: "sql",
      tags: ["navy"],
    });
    const before = await counts(owner);

    const response = await convert(owner.accessToken, lead.id, { createDeal: {} });
    expect(response.status, await response.clone().text()).toBe(201);
    const result = await json(response);
    expect(result.created).toEqual({ contact: true, company: true, deal: true });
    expect(result.company).toMatchObject({ name: "Cobol Inc", domain: "cobol.example", ownerId });
    expect(result.contact).toMatchObject({
      firstName: "Grace",
      lastName: "Hopper",
      emails: [{ address: "grace@cobol.example", primary: true, label: null }],
      phones: [{ number: "+1 555 010 2345", label: null }],
      title: "Admiral",
      companyId: result.company.id,
      lifecycleStage: "opportunity",
      source: "webinar",
      ownerId,
      tags: ["navy"],
    });
    expect(result.deal).toMatchObject({
      name: "Cobol Inc",
      value: 25000,
      contactId: result.contact.id,
      companyId: result.company.id,
      pipelineId: sales.id,
      stageId: stageNamed(sales, "New Lead").id,
      status: "active",
      ownerId,
    });
    expect(result.lead).toEqual({
      ...lead,
      convertedAt: result.lead.updatedAt,
      convertedContactId: result.contact.id,
      convertedCompanyId: result.company.id,
      convertedDealId: result.deal.id,
      updatedAt: result.lead.updatedAt,
    });
    expect(result.lead.stage).toBe("sql");

    // What the client reads back is what the conversion said.
    expect(await get(owner.accessToken, `/api/v1/contacts/${result.contact.id}`)).toEqual(result.contact);
    expect(await get(owner.accessToken, `/api/v1/companies/${result.company.id}`)).toEqual(result.company);
    expect(await get(owner.accessToken, `/api/v1/deals/${result.deal.id}`)).toEqual(result.deal);
    expect(await get(owner.accessToken, `/api/v1/leads/${lead.id}`)).toEqual(result.lead);
    expect(await counts(owner)).toEqual({
      contacts: before.contacts + 1,
      companies: before.companies + 1,
      deals: before.deals + 1,
    });
    expect((await get(owner.accessToken, "/api/v1/contacts?q=hopper")).data.map((c: { id: string }) => c.id)).toEqual([
      result.contact.id,
    ]);
    expect(
      (await get(owner.accessToken, "/api/v1/leads?converted=true")).data.map((l: { id: string }) => l.id),
    ).toEqual([lead.id]);
    expect((await get(owner.accessToken, `/api/v1/deals/${result.deal.id}/stage-history`)).data).toHaveLength(1);

    const note = `note: Converted from lead Grace Hopper (${lead.id})`;
    expect(await activitySubjects(owner.accessToken, "contact", result.contact.id)).toEqual([note]);
    expect(await activitySubjects(owner.accessToken, "company", result.company.id)).toEqual([note]);
    expect(await activitySubjects(owner.accessToken, "deal", result.deal.id)).toEqual([note]);
    expect(await activitySubjects(owner.accessToken, "lead", lead.id)).toEqual([note]);

    // Converting twice is a 409 naming what the first conversion made; nothing new appears.
    const again = await expectProblem(await convert(owner.accessToken, lead.id, { createDeal: {} }), 409, "CONFLICT");
    expect(again).toMatchObject({ contactId: result.contact.id, companyId: result.company.id, dealId: result.deal.id });
    expect(await counts(owner)).toEqual({
      contacts: before.contacts + 1,
      companies: before.companies + 1,
      deals: before.deals + 1,
    });
  });

  it("links the contact with the lead's email and the company with its domain instead of duplicating them", async () => {
    const owner = await signupTenant();
    const company = await createCompanyVia(owner.accessToken, {
      name: "Analytical Engines",
      domain: "engines.example",
    });
    const contact = await createContactVia(owner.accessToken, {
      firstName: "Ada",
      emails: [{ address: "ada@engines.example" }],
    });
    const lead = await createLead(owner.accessToken, {
      firstName: "Ada",
      email: "ADA@engines.example",
      companyName: "AE",
      companyDomain: "https://Engines.example",
    });
    const partnership = await pipelineNamed(owner.accessToken, "Partnership");
    const before = await counts(owner);

    const result = await json(
      await convert(owner.accessToken, lead.id, {
        createDeal: {
          name: "Engine order",
          value: 1200,
          currency: "GBP",
          stageId: stageNamed(partnership, "Evaluation").id,
        },
      }),
    );
    expect(result.created).toEqual({ contact: false, company: false, deal: true });
    expect(result.contact.id).toBe(contact.id);
    expect(result.company.id).toBe(company.id);
    expect(result.deal).toMatchObject({
      name: "Engine order",
      value: 1200,
      currency: "GBP",
      pipelineId: partnership.id,
      probability: 50,
      contactId: contact.id,
      companyId: company.id,
    });
    expect(await counts(owner)).toEqual({ ...before, deals: before.deals + 1 });
    expect(await activitySubjects(owner.accessToken, "contact", contact.id)).toEqual([
      `note: Converted from lead Ada (${lead.id})`,
    ]);

    // Without createDeal, and with explicit records to link, no deal is opened.
    const second = await createLead(owner.accessToken, { firstName: "Charles", email: "charles@example.org" });
    const linked = await json(
      await convert(owner.accessToken, second.id, { contactId: contact.id, companyId: company.id }),
    );
    expect(linked.created).toEqual({ contact: false, company: false, deal: false });
    expect(linked.deal).toBeNull();
    expect(linked.lead).toMatchObject({
      convertedContactId: contact.id,
      convertedCompanyId: company.id,
      convertedDealId: null,
    });
  });

  it("is all or nothing: a failing part leaves no contact, company or deal behind", async () => {
    const owner = await signupTenant();
    const other = await signupTenant("Other");
    const foreignCompany = await createCompanyVia(other.accessToken, {
      name: "Elsewhere",
      domain: "elsewhere.example",
    });
    const foreignContact = await createContactVia(other.accessToken, { firstName: "Stranger" });
    const lead = await createLead(owner.accessToken, {
      firstName: "Linus",
      email: "linus@kernel.example",
      companyName: "Kernel",
      companyDomain: "kernel.example",
    });
    const before = await counts(owner);
    const otherBefore = await counts(other);

    const foreign = await expectProblem(
      await convert(owner.accessToken, lead.id, { companyId: foreignCompany.id, createDeal: {} }),
      404,
      "NOT_FOUND",
    );
    expect(foreign.errors).toEqual([
      { path: "body.companyId", message: "No company in this organization has this id" },
    ]);
    const foreignPerson = await expectProblem(
      await convert(owner.accessToken, lead.id, { contactId: foreignContact.id }),
      404,
      "NOT_FOUND",
    );
    expect(foreignPerson.errors[0].path).toBe("body.contactId");
    // A new company and contact are due, but the deal cannot be made: none of them may be written.
    const badStage = await expectProblem(
      await convert(owner.accessToken, lead.id, { createDeal: { stageId: "stg_unknown" } }),
      422,
      "VALIDATION_FAILED",
    );
    expect(badStage.errors[0].path).toBe("body.createDeal.stageId");

    expect(await counts(owner)).toEqual(before);
    expect(await counts(other)).toEqual(otherBefore);
    expect((await get(owner.accessToken, `/api/v1/leads/${lead.id}`)).convertedAt).toBeNull();
    expect(await activitySubjects(owner.accessToken, "lead", lead.id)).toEqual([]);

    // Two conversions at once: exactly one wins and the records exist once.
    const [a, b] = await Promise.all([
      convert(owner.accessToken, lead.id, { createDeal: {} }),
      convert(owner.accessToken, lead.id, { createDeal: {} }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect(await counts(owner)).toEqual({
      contacts: before.contacts + 1,
      companies: before.companies + 1,
      deals: before.deals + 1,
    });
    expect(await activitySubjects(owner.accessToken, "lead", lead.id)).toHaveLength(1);

    // The same race where nothing unique is inserted (existing records linked): the lead itself must stop the second.
    const contact = await createContactVia(owner.accessToken, { firstName: "Existing" });
    const company = await createCompanyVia(owner.accessToken, { name: "Existing Co" });
    const plain = await createLead(owner.accessToken, { firstName: "Plain" });
    const link = { contactId: contact.id, companyId: company.id, createDeal: { name: "Linked deal" } };
    const raced = await Promise.all([
      convert(owner.accessToken, plain.id, link),
      convert(owner.accessToken, plain.id, link),
    ]);
    expect(raced.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(
      (await get(owner.accessToken, `/api/v1/deals?contactId=${contact.id}`)).data.map((d: { name: string }) => d.name),
    ).toEqual(["Linked deal"]);

    const lost = await createLead(owner.accessToken, { firstName: "Gone", stage: "lost", lostReason: "No budget" });
    await expectProblem(await convert(owner.accessToken, lost.id, {}), 409, "CONFLICT");
  });
});
