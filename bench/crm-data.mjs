// Synthetic CRM records for bench/crm-lists.mjs: companies, contacts and deals shaped as the
// API stores them, with the text full-text search indexes for each (mirroring the services'
// contactSearchText / companySearchText / the deal's name, checked against the API's own
// writes by crm-seed.mjs). Seeded pseudo-random numbers: every run builds the same data.

/** mulberry32: a small, fast, seedable generator of numbers in [0, 1). */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (rand, items) => items[Math.floor(rand() * items.length)];

/** An item by weight: `[[item, weight], ...]`. */
function weighted(rand, pairs) {
  const total = pairs.reduce((sum, [, w]) => sum + w, 0);
  let r = rand() * total;
  for (const [item, w] of pairs) {
    r -= w;
    if (r < 0) return item;
  }
  return pairs.at(-1)[0];
}

const crockford = "0123456789abcdefghjkmnpqrstvwxyz";
/** A typeid-shaped id (`prefix_` + 26 base32 chars of a UUIDv7 at `timeMs`), as newId() makes. */
export function typeId(prefix, timeMs, rand) {
  const bytes = new Uint8Array(16);
  for (let i = 6; i < 16; i++) bytes[i] = Math.floor(rand() * 256);
  let t = BigInt(Math.floor(timeMs));
  for (let i = 5; i >= 0; i--) {
    bytes[i] = Number(t & 0xffn);
    t >>= 8n;
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  let n = BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
  let out = "";
  for (let i = 0; i < 26; i++) {
    out = crockford[Number(n & 31n)] + out;
    n >>= 5n;
  }
  return `${prefix}_${out}`;
}

const words = (text) => text.trim().split(/\s+/);
const firstNames = words(`
  james mary robert patricia john jennifer michael linda david elizabeth william barbara richard susan joseph
  jessica thomas sarah charles karen christopher lisa daniel nancy matthew betty anthony sandra mark margaret
  donald ashley steven kimberly andrew emily paul donna joshua michelle kenneth carol kevin amanda brian melissa
  george deborah timothy stephanie ronald rebecca jason sharon edward laura jeffrey cynthia ryan dorothy jacob
  amy gary kathleen nicholas angela eric shirley jonathan emma stephen brenda larry pamela justin nicole scott
  anna brandon samantha benjamin katherine samuel christine gregory debra alexander rachel patrick carolyn frank
  janet raymond maria jack olivia dennis heather jerry helen tyler catherine aaron diane jose julie adam victoria
  nathan joyce henry lauren zachary kelly douglas christina peter ruth kyle joan noah virginia ethan judith jeremy
  evelyn walter hannah christian andrea keith megan roger cheryl terry jacqueline austin martha sean madison gerald
  teresa carl sara harold janice dylan julia arthur grace lawrence ava jordan gloria jesse ann bryan sophia billy
  marie bruce alice gabriel kathryn joe jean logan judy albert beverly willie denise alan marilyn eugene amber
  russell danielle vincent abigail elijah brittany randy rose louis diana philip natalie bobby sophie johnny
  bradley lucia wei yuki priya ahmed fatima hiroshi mei ananya olga ivan chen sofia mateo lukas chloe aisha
  omar kenji leila`);
const lastNames = words(`
  smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson anderson
  thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis robinson walker
  young allen king wright scott torres nguyen hill flores green adams nelson baker hall rivera campbell mitchell
  carter roberts gomez phillips evans turner diaz parker cruz edwards collins reyes stewart morris morales murphy
  cook rogers gutierrez ortiz morgan cooper peterson bailey reed kelly howard ramos kim cox ward richardson watson
  brooks chavez wood james bennett gray mendoza ruiz hughes price alvarez castillo sanders patel myers long ross
  foster jimenez powell jenkins perry russell sullivan bell coleman butler henderson barnes gonzales fisher
  vasquez simmons romero jordan patterson alexander hamilton graham reynolds griffin wallace moreno west cole
  hayes bryant herrera gibson ellis tran medina aguilar stevens murray ford castro marshall owens harrison
  fernandez mcdonald woods washington kennedy wells vargas henry chen freeman webb tucker guzman burns crawford
  olson simpson porter hunter gordon mendez silva shaw snyder mason dixon munoz hunt hicks holmes palmer wagner
  black robertson boyd rose stone salazar fox warren mills meyer rice schmidt garza daniels ferguson nichols
  stephens soto weaver ryan gardner payne grant dunn kelley spencer hawkins arnold pierce vazquez hansen peters
  santos hart bradley knight elliott cunningham duncan armstrong hudson carroll lane riley andrews alvarado ray
  delgado berry perkins hoffman johnston matthews pena richards contreras willis carpenter lawrence sandoval
  o'brien müller tanaka yamamoto singh kumar ivanova kowalski dubois rossi novak larsen`);
const titles = words(`ceo cto cfo founder director manager engineer designer analyst consultant marketer recruiter
  accountant architect developer editor producer strategist advisor coordinator`).map((t) =>
  t.length <= 3 ? t.toUpperCase() : t[0].toUpperCase() + t.slice(1),
);
const companyWords = words(`blue river north summit pine harbor silver stone bright cedar iron oak granite
  clear swift quantum atlas nova vertex polar crimson golden maple ember lunar solar coastal prairie alpine
  copper falcon orbit vector beacon meridian cobalt redwood aspen willow`);
const companySuffixes = words(`labs systems partners group media works digital analytics logistics health
  software capital studios foods energy`);
const industries = words(`software retail finance healthcare manufacturing media education logistics energy
  hospitality construction marketing`);
const sizes = ["1-49", "50-249", "250-999", "1000-4999", "5000+"];
const freeMail = ["gmail.com", "outlook.com", "yahoo.com", "proton.me", "icloud.com"];
const tagNames = words(`vip newsletter partner trade-show webinar enterprise smb churn-risk referral event
  inbound outbound`);
const products = words(`annual-plan pilot renewal expansion onboarding consulting licence support backlink
  sponsorship integration audit`).map((p) => p.replace("-", " "));
const sources = ["website", "referral", "import", "event", "outbound", "ads"];
const lifecycleWeights = [
  ["subscriber", 10],
  ["lead", 30],
  ["mql", 12],
  ["sql", 8],
  ["opportunity", 10],
  ["customer", 25],
  ["evangelist", 5],
];

/**
 * A common first name (~0.5% of contacts), a full name (a handful) and a broad term (the
 * mail provider of ~4% of contacts).
 */
export const searchQueries = { oneTerm: "maria", twoTerms: "maria garcia", broad: "gmail" };

/** searchScopeToken in packages/db/src/tenant-db.ts: the tenant token, then tenant + record type. */
export function searchScope(tenantId, recordType) {
  const tenant = tenantId.replace(/[^a-zA-Z0-9]/g, "");
  return `s${tenant} s${tenant}x${recordType}`;
}

const oneLine = (text) => text.replace(/\s+/g, " ").trim();

/** contactSearchText in packages/services/src/contacts/public.ts. */
export function contactSearchText(contact, companyName) {
  const phones = contact.phones.flatMap((p) => {
    const digits = p.number.replace(/\D/g, "");
    return digits.length > 10 ? [p.number, digits, digits.slice(-10)] : [p.number, digits];
  });
  return [
    contact.firstName,
    contact.lastName,
    ...contact.emails.map((e) => e.address),
    ...phones,
    contact.title,
    companyName,
  ]
    .filter((part) => !!part)
    .map(oneLine)
    .join(" ");
}

/** companySearchText in packages/services/src/companies/public.ts. */
export function companySearchText(company) {
  return [company.name, company.domain, company.industry]
    .filter((part) => !!part)
    .map(oneLine)
    .join(" ");
}

/** A deal's search text is its name (packages/services/src/notes/search-text.ts). */
export const dealSearchText = (deal) => oneLine(deal.name);

const capital = (word) => word.charAt(0).toUpperCase() + word.slice(1);
const tagsFor = (rand) => [...new Set(Array.from({ length: Math.floor(rand() * 3) }, () => pick(rand, tagNames)))];

/** Creation times spread evenly over [from, to), oldest first, as a tenant accumulates records. */
const spread = (rand, i, count, from, to) => Math.floor(from + ((i + rand()) * (to - from)) / count);

/**
 * One tenant's records. `pipelines` are the tenant's own (from GET /api/v1/pipelines);
 * `ownerIds` the members records are assigned to.
 */
export function generateTenant({ tenantId, ownerIds, pipelines, counts, seed, from, to }) {
  const rand = random(seed);
  const tag = tenantId.slice(-6).toLowerCase();
  const companies = [];
  for (let i = 0; i < counts.companies; i++) {
    const createdAt = spread(rand, i, counts.companies, from, to);
    const name = `${capital(pick(rand, companyWords))} ${capital(pick(rand, companyWords))} ${capital(pick(rand, companySuffixes))}`;
    companies.push({
      id: typeId("co", createdAt, rand),
      name,
      domain: `${name.toLowerCase().replace(/[^a-z]+/g, "-")}-${tag}${i}.com`,
      industry: pick(rand, industries),
      size: pick(rand, sizes),
      annualRevenue: Math.round(rand() * 50_000_000),
      website: null,
      domainAuthority: Math.floor(rand() * 100),
      ownerId: pick(rand, ownerIds),
      tags: tagsFor(rand),
      customFields: {},
      createdAt,
      updatedAt: createdAt,
    });
  }

  const contacts = [];
  for (let i = 0; i < counts.contacts; i++) {
    const createdAt = spread(rand, i, counts.contacts, from, to);
    const firstName = capital(pick(rand, firstNames));
    const lastName = capital(pick(rand, lastNames));
    const company = rand() < 0.8 && companies.length > 0 ? pick(rand, companies) : null;
    const local = `${firstName}.${lastName}`
      .toLowerCase()
      .normalize("NFD")
      .replace(/[^a-z.]+/g, "");
    const address = `${local}.${tag}${i}@${company ? company.domain : pick(rand, freeMail)}`;
    const phone = `+1 ${200 + Math.floor(rand() * 800)}-555-${String(Math.floor(rand() * 10_000)).padStart(4, "0")}`;
    const optedIn = rand() < 0.3;
    contacts.push({
      id: typeId("ct", createdAt, rand),
      firstName,
      lastName,
      sortName: `${lastName} ${firstName}`.toLowerCase(),
      emails: [{ address, primary: true }],
      primaryEmail: address,
      phones: [{ number: phone }],
      title: pick(rand, titles),
      companyId: company?.id ?? null,
      companyName: company?.name ?? null,
      lifecycleStage: weighted(rand, lifecycleWeights),
      lifecycleStageChangedAt: createdAt,
      leadStatus: null,
      source: pick(rand, sources),
      ownerId: pick(rand, ownerIds),
      tags: tagsFor(rand),
      consentStatus: optedIn ? "opted_in" : "unknown",
      consentChangedAt: optedIn ? createdAt : null,
      consentSource: optedIn ? "signup form" : null,
      doNotContact: rand() < 0.02,
      timeZone: null,
      address: null,
      socialLinks: {},
      customFields: {},
      createdAt,
      updatedAt: createdAt,
    });
  }

  // Most deals sit in the first pipeline (Sales); open stages get fewer deals further along.
  const pipelineWeights = pipelines.map((p, i) => [p, i === 0 ? 6 : i === 1 ? 2.5 : 1.5]);
  const deals = [];
  for (let i = 0; i < counts.deals; i++) {
    const createdAt = spread(rand, i, counts.deals, from, to);
    const pipeline = weighted(rand, pipelineWeights);
    const stage = weighted(
      rand,
      pipeline.stages.map((s) => [s, s.isWon || s.isLost ? 1.5 : pipeline.stages.length - s.position]),
    );
    const status = stage.isWon ? "won" : stage.isLost ? "lost" : rand() < 0.03 ? "paused" : "active";
    const closedAt =
      status === "won" || status === "lost" ? Math.min(to, createdAt + Math.floor(rand() * 90 * 86_400_000)) : null;
    const company = companies.length > 0 ? pick(rand, companies) : null;
    const contact = contacts.length > 0 && rand() < 0.7 ? pick(rand, contacts) : null;
    deals.push({
      id: typeId("deal", createdAt, rand),
      name: `${capital(pick(rand, products))} for ${company ? company.name : `${contact?.firstName ?? "Deal"} ${i}`}`,
      contactId: contact?.id ?? null,
      companyId: company?.id ?? null,
      pipelineId: pipeline.id,
      stageId: stage.id,
      stageEnteredAt: closedAt ?? createdAt,
      status,
      value: Math.round(500 + rand() * rand() * 100_000),
      currency: "USD",
      expectedCloseDate: new Date(createdAt + 60 * 86_400_000).toISOString().slice(0, 10),
      closedAt,
      probability: stage.probability,
      nextActionAt: null,
      lostReason: status === "lost" ? "budget" : null,
      ownerId: pick(rand, ownerIds),
      tags: tagsFor(rand),
      customFields: {},
      createdAt,
      updatedAt: closedAt ?? createdAt,
    });
  }
  return { companies, contacts, deals };
}
