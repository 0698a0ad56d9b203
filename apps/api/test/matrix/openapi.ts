import { SELF } from "cloudflare:test";

/**
 * The API as /openapi.json describes it, reduced to what the harnesses need. Reading the
 * served document (not a list kept by hand) is what makes a new route covered the moment
 * it is registered.
 */
export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
  default?: unknown;
};

export type Role = "viewer" | "member" | "admin" | "owner";
export type Access = { public: true } | { public?: undefined; scope?: string; role: Role; keys: boolean };

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  /** "GET /api/v1/api-keys/{id}" */
  label: string;
  operationId: string;
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  access: Access;
  parameters: Parameter[];
  body?: { required: boolean; schema: JsonSchema };
  /** The operation's `security` requirements as published. */
  security: Record<string, string[]>[];
  /** It documents an HTML error page (pages a mail recipient opens): its errors may be that, not problem+json. */
  htmlErrors: boolean;
}

type Doc = {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components?: { schemas?: Record<string, JsonSchema>; parameters?: Record<string, Parameter> };
};

const methods = ["get", "post", "put", "patch", "delete"] as const;

export async function loadOpenApi(): Promise<{ doc: Doc; operations: Operation[] }> {
  const response = await SELF.fetch("https://crm.test/openapi.json");
  if (response.status !== 200) throw new Error(`/openapi.json answered ${response.status}`);
  const doc = (await response.json()) as Doc;

  const resolveRef = <T>(node: T | { $ref: string }): T => {
    let current: unknown = node;
    for (let hops = 0; current && typeof current === "object" && "$ref" in current; hops++) {
      if (hops > 20) throw new Error("$ref cycle");
      const path = (current as { $ref: string }).$ref.replace(/^#\//, "").split("/");
      current = path.reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], doc);
    }
    return current as T;
  };

  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of methods) {
      const op = item[method];
      if (!op) continue;
      const access = op["x-access"] as Access | undefined;
      if (!access) throw new Error(`${method.toUpperCase()} ${path} has no x-access: register it with access()`);
      const parameters = ((op.parameters ?? []) as unknown[]).map((p) => {
        const param = resolveRef<Parameter>(p as Parameter);
        return { ...param, required: param.required ?? param.in === "path", schema: param.schema ?? {} };
      });
      const requestBody = op.requestBody
        ? resolveRef<{ required?: boolean; content: Record<string, { schema: JsonSchema }> }>(op.requestBody as never)
        : undefined;
      const json = requestBody?.content["application/json"];
      operations.push({
        label: `${method.toUpperCase()} ${path}`,
        operationId: String(op.operationId ?? `${method} ${path}`),
        method,
        path,
        access,
        parameters,
        security: (op.security ?? []) as Record<string, string[]>[],
        htmlErrors: Object.entries((op.responses ?? {}) as Record<string, { content?: Record<string, unknown> }>).some(
          ([status, response]) => status.startsWith("4") && !!response.content?.["text/html"],
        ),
        ...(json ? { body: { required: requestBody?.required ?? false, schema: json.schema } } : {}),
      });
    }
  }
  return { doc, operations };
}

/** Follows `$ref`s into the document's components, for walking a schema. */
export function deref(doc: Doc, schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let hops = 0; current.$ref; hops++) {
    if (hops > 20) throw new Error("$ref cycle");
    const name = current.$ref.replace("#/components/schemas/", "");
    const next = doc.components?.schemas?.[name];
    if (!next) throw new Error(`Unresolvable ${current.$ref}`);
    current = next;
  }
  return current;
}

export type OpenApiDoc = Doc;

/** `/api/v1/things/{id}` with `{ id: "th_1" }` → `/api/v1/things/th_1`. */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`No value for {${name}} in ${template}`);
    return encodeURIComponent(value);
  });
}

export function pathParams(template: string): string[] {
  return [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}

const rank: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return rank[role] >= rank[minimum];
}
export const roles: Role[] = ["viewer", "member", "admin", "owner"];
