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

const compiledShapes = new WeakMap<RowShape, ColumnTarget[]>();

function columnTargets(shape: RowShape): ColumnTarget[] {
  let targets = compiledShapes.get(shape);
  if (targets) return targets;
  const fields = new Map<string, StandardField>(shape.object.fields.map((f) => [f.target, f]));
  const definitions = new Map(shape.definitions.map((d) => [d.key, d]));
  targets = [];
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
  compiledShapes.set(shape, targets);
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

  for (const target of columnTargets(shape)) {
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
  const parsed = shape.object.bodySchema.safeParse(body);
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
