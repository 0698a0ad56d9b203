import type { BoardColumn, Deal } from "./types";

/** Highest value first, as the API orders a column. */
const byValue = (a: Deal, b: Deal) => b.value - a.value;

/**
 * The columns with the deal shown in `toStageId`'s column (taken out of any other), placed
 * by value. A drag has usually put it there already; the "Move to…" menu and a rollback have not.
 */
export function placeDeal(columns: BoardColumn[], deal: Deal, toStageId: string): BoardColumn[] {
  return columns.map((column) => {
    const without = column.deals.filter((shown) => shown.id !== deal.id);
    if (column.stage.id !== toStageId)
      return without.length === column.deals.length ? column : { ...column, deals: without };
    return { ...column, deals: [...without, deal].sort(byValue) };
  });
}

/** The count and total of two columns after a deal worth `value` left one for the other. */
export function shiftFigures(
  columns: BoardColumn[],
  fromStageId: string,
  toStageId: string,
  value: number,
): BoardColumn[] {
  const cents = (n: number) => Math.round(n * 100) / 100;
  return columns.map((column) => {
    if (column.stage.id === fromStageId)
      return { ...column, count: column.count - 1, totalValue: cents(column.totalValue - value) };
    if (column.stage.id === toStageId)
      return { ...column, count: column.count + 1, totalValue: cents(column.totalValue + value) };
    return column;
  });
}

/** The column that shows the deal now (after a drag), and the deal as shown there. */
export function whereShown(columns: BoardColumn[], dealId: string): { column: BoardColumn; deal: Deal } | null {
  for (const column of columns) {
    const deal = column.deals.find((shown) => shown.id === dealId);
    if (deal) return { column, deal };
  }
  return null;
}
