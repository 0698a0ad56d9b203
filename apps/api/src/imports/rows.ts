import { z } from "@hono/zod-openapi";
import { type CustomFieldDefinition, customFieldCell } from "@crm/records";
import { type ChunkRow, locatedProblem, type PipelineWithStages, type RowProblem } from "@crm/services";
import type { ImportObject, StandardField } from "./objects";

/** What turning records into rows needs, fixed for the whole import. */
export interface RowShape {
  object: ImportObject;
  columns: string[];
  /** Column → target; columns left out (or mapped to "") are ignored. */
  mapping: Record<string, string>;
  definitions: CustomFieldDefinition[];
  /** Deals only: pipelines and stages are given by name. */
  pipelines: PipelineWithStages[];
}

function setPath(target: Record<string, unknown>, parts: string[], value: unknown): void {
  let node = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i]!;
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Where one mapped column's cells go, worked out once per shape rather than per row. */
type ColumnTarget = { index: number; column: string } & (
  | { kind: "custom"; definition: CustomFieldDefinition; path: string; parts: string[] }
  | { kind: "byName"; field: StandardField }
  | { kind: "field"; field: StandardField; parts: string[] }
);

/** A shape's column targets and the schema its bodies are checked with, worked out once. */
interface CompiledShape {
  targets: ColumnTarget[];
  bodySchema: z.ZodType;
}

const compiledShapes = new WeakMap<RowShape, CompiledShape>();

/**
 * The create route's schema narrowed to the fields the mapped columns can fill, in the
 * schema's order: a body holds only those (prepareRow builds it from the mapping), so every
 * body is checked as the whole schema checks it, while zod (interpreted in workerd, which
 * allows no eval) no longer walks a dozen absent fields per row (half its time for contacts).
 * Objects that add fields of their own (a deal's pipeline and stage, resolved by name) or
 * check the body as a whole keep the whole schema.
 */
function narrowedBodySchema(object: ImportObject, targets: ColumnTarget[]): z.ZodType {
  const schema = object.bodySchema;
  if (!(schema instanceof z.ZodObject) || (schema._zod.def.checks ?? []).length > 0) return schema;
  if (object.fields.some((f) => f.byName)) return schema;
  const filled = new Set(targets.map((t) => (t.kind === "byName" ? t.field.bodyPath : t.parts[0]!)));
  // A required field stays, filled or not: its absence is the row's error.
  const shape = schema.shape as Record<string, z.ZodType>;
  const mask = Object.fromEntries(
    Object.keys(shape)
      .filter((key) => filled.has(key) || !shape[key]!.safeParse(undefined).success)
      .map((key) => [key, true as const]),
  );
  return schema.pick(mask as Parameters<typeof schema.pick>[0]);
}

function compiledShape(shape: RowShape): CompiledShape {
  let compiled = compiledShapes.get(shape);
  if (compiled) return compiled;
  const targets = columnTargets(shape);
  compiled = { targets, bodySchema: narrowedBodySchema(shape.object, targets) };
  compiledShapes.set(shape, compiled);
  return compiled;
}

function columnTargets(shape: RowShape): ColumnTarget[] {
  const fields = new Map<string, StandardField>(shape.object.fields.map((f) => [f.target, f]));
  const definitions = new Map(shape.definitions.map((d) => [d.key, d]));
  const targets: ColumnTarget[] = [];
  shape.columns.forEach((column, index) => {
    const target = shape.mapping[column];
    if (!target) return;
    if (target.startsWith("cf.")) {
      const definition = definitions.get(target.slice(3));
      if (!definition) return;
      const path = `customFields.${definition.key}`;
      targets.push({ index, column, kind: "custom", definition, path, parts: path.split(".") });
      return;
    }
    const field = fields.get(target);
    if (!field) return;
    targets.push(
      field.byName
        ? { index, column, kind: "byName", field }
        : { index, column, kind: "field", field, parts: field.bodyPath.split(".") },
    );
  });
  return targets;
}

/**
 * One CSV record as the object's create body, with every problem found on the way: names
 * that match no pipeline or stage, and whatever the create route's own schema rejects.
 * Blank cells are left out, so they never clear a value on update.
 */
export function prepareRow(shape: RowShape, cells: string[], rowNumber: number): ChunkRow {
  const body: Record<string, unknown> = {};
  const problems: RowProblem[] = [];
  /** Body path → the column and cell it came from, for placing errors. */
  const sources: { path: string; column: string; value: string }[] = [];
  const names: Record<string, { column: string; value: string }> = {};

  const compiled = compiledShape(shape);
  for (const target of compiled.targets) {
    const raw = cells[target.index] ?? "";
    if (raw.trim() === "") continue;
    const { column } = target;
    if (target.kind === "custom") {
      const value = customFieldCell(target.definition, raw);
      if (value === undefined) continue;
      setPath(body, target.parts, value);
      sources.push({ path: target.path, column, value: raw });
    } else if (target.kind === "byName") {
      names[target.field.target] = { column, value: raw.trim() };
      sources.push({ path: target.field.bodyPath, column, value: raw });
    } else {
      const { field } = target;
      setPath(body, target.parts, field.cell ? field.cell(raw) : raw.trim());
      sources.push({ path: field.bodyPath, column, value: raw });
    }
  }

  if (shape.object.type === "deal") resolveStage(shape.pipelines, names, body, problems);

  const row = { locate: (path: string) => locate(sources, path) };
  const parsed = compiled.bodySchema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      problems.push(locatedProblem(row, issue.path.map(String).join("."), issue.message));
  }
  const toInput = shape.object.toInput ?? ((input: Record<string, unknown>) => input);
  return {
    rowNumber,
    body: parsed.success ? toInput(parsed.data as Record<string, unknown>) : null,
    problems,
    ...row,
  };
}

/** The column whose body path is the longest prefix of `path` (none when no column fed it). */
function locate(sources: { path: string; column: string; value: string }[], path: string) {
  const source = sources
    .filter((s) => path === s.path || path.startsWith(`${s.path}.`))
    .sort((a, b) => b.path.length - a.path.length)[0];
  return source ? { column: source.column, value: source.value } : { column: null, value: null };
}

/**
 * Deals name their pipeline and stage: the pipeline named (default: the first), and the
 * stage named within it (default: its first). An unknown name is the row's error.
 */
function resolveStage(
  pipelines: PipelineWithStages[],
  names: Record<string, { column: string; value: string }>,
  body: Record<string, unknown>,
  problems: RowProblem[],
): void {
  const pipelineName = names.pipeline;
  const stageName = names.stage;
  const pipeline = pipelineName ? pipelines.find((p) => sameName(p.name, pipelineName.value)) : pipelines[0];
  if (!pipeline) {
    problems.push(
      pipelineName
        ? {
            column: pipelineName.column,
            value: pipelineName.value,
            message: `No pipeline is named ${pipelineName.value}`,
          }
        : { column: null, value: null, message: "This organization has no pipeline yet; create one first" },
    );
    return;
  }
  body.pipelineId = pipeline.id;
  if (!stageName) return;
  const stage = pipeline.stages.find((s) => sameName(s.name, stageName.value));
  if (!stage) {
    problems.push({
      column: stageName.column,
      value: stageName.value,
      message: `The ${pipeline.name} pipeline has no stage named ${stageName.value}`,
    });
    return;
  }
  body.stageId = stage.id;
}
