import { describe, expect, it } from "vitest";
import { api, expectProblem, signupTenant } from "../../../test/harness";
import { addMember } from "../../../test/people";
import { setRecordVisibility } from "../contacts/test-support";
import { createDeal, get, pipelineNamed, stageNamed } from "../deals/test-support";

interface BoardColumn {
  stage: { name: string };
  count: number;
  totalValue: number;
  weightedValue: number;
  deals: { name: string }[];
  hasMore: boolean;
}

const columns = (board: { stages: BoardColumn[] }) =>
  board.stages.map((c) => [
    c.stage.name,
    c.count,
    c.totalValue,
    c.weightedValue,
    c.deals.map((d) => d.name),
    c.hasMore,
  ]);

describe("pipeline board", () => {
  it("shows every stage in order with exact counts, totals, weighted values and the top deals", async () => {
    const owner = await signupTenant();
    const member = await addMember(owner, "member");
    const sales = await pipelineNamed(owner.accessToken, "Sales");
    const proposal = stageNamed(sales, "Proposal Sent");
    const won = stageNamed(sales, "Won");
    await createDeal(owner.accessToken, { name: "A", value: 1000 });
    await createDeal(owner.accessToken, { name: "B", value: 3000 });
    await createDeal(owner.accessToken, { name: "C", value: 2000, stageId: proposal.id });
    await createDeal(owner.accessToken, { name: "D", value: 500, stageId: won.id });
    await createDeal(owner.accessToken, { name: "F", value: 250, stageId: proposal.id, probability: 50 });
    await createDeal(member.accessToken, { name: "E", value: 700 });
    // A deal in another pipeline is not on this board.
    await createDeal(owner.accessToken, {
      name: "Elsewhere",
      value: 9999,
      pipelineId: (await pipelineNamed(owner.accessToken, "Partnership")).id,
    });

    const board = await get(owner.accessToken, `/api/v1/pipelines/${sales.id}/board?perStage=2`);
    expect(board.pipeline).toMatchObject({ id: sales.id, name: "Sales" });
    expect(board.pipeline.stages).toBeUndefined();
    expect(columns(board)).toEqual([
      ["New Lead", 3, 4700, 470, ["B", "A"], true],
      ["Contacted", 0, 0, 0, [], false],
      ["Interested", 0, 0, 0, [], false],
      ["Proposal Sent", 2, 2250, 1325, ["C", "F"], false],
      ["Negotiating", 0, 0, 0, [], false],
      ["Won", 1, 500, 500, ["D"], false],
      ["Lost", 0, 0, 0, [], false],
    ]);

    const mine = await get(member.accessToken, `/api/v1/pipelines/${sales.id}/board?ownerId=me`);
    expect(columns(mine)[0]).toEqual(["New Lead", 1, 700, 70, ["E"], false]);
    expect(mine.stages.slice(1).every((c: BoardColumn) => c.count === 0)).toBe(true);
    const wonOnly = await get(owner.accessToken, `/api/v1/pipelines/${sales.id}/board?status=won`);
    expect(wonOnly.stages.map((c: BoardColumn) => c.count)).toEqual([0, 0, 0, 0, 0, 1, 0]);

    // Members who see only their own records get a board of their own deals.
    await setRecordVisibility(owner, { member: "own" });
    const restricted = await get(member.accessToken, `/api/v1/pipelines/${sales.id}/board`);
    expect(columns(restricted)[0]).toEqual(["New Lead", 1, 700, 70, ["E"], false]);
    expect(restricted.stages.reduce((n: number, c: BoardColumn) => n + c.count, 0)).toBe(1);

    const tooMany = await api("GET", `/api/v1/pipelines/${sales.id}/board?perStage=101`, { token: owner.accessToken });
    expect((await expectProblem(tooMany, 422)).errors[0].path).toBe("query.perStage");

    const intruder = await signupTenant("Intruder");
    await expectProblem(
      await api("GET", `/api/v1/pipelines/${sales.id}/board`, { token: intruder.accessToken }),
      404,
      "NOT_FOUND",
    );
    const theirs = await pipelineNamed(intruder.accessToken, "Sales");
    const empty = await get(intruder.accessToken, `/api/v1/pipelines/${theirs.id}/board`);
    expect(empty.stages.map((c: BoardColumn) => c.count)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
});
