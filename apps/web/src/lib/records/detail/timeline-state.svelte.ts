import { bff, type Problem } from "$lib/client/bff";
import type { RecordPage } from "$lib/records/objects";
import type { TimelineItem } from "./types";

const pageSize = 20;

/** A record's timeline as the page holds it: the loaded items, the next page, fresh reloads. */
export class TimelineState {
  items = $state<TimelineItem[]>([]);
  nextCursor = $state<string | null>(null);
  loading = $state(false);
  problem = $state<Problem | null>(null);
  #path: string;

  /** `path`: the record's API path (`contacts/ct_…`). */
  constructor(path: string, first: RecordPage<TimelineItem>) {
    this.#path = path;
    this.items = first.data;
    this.nextCursor = first.nextCursor;
  }

  async loadMore(): Promise<void> {
    if (!this.nextCursor || this.loading) return;
    this.loading = true;
    const result = await bff<RecordPage<TimelineItem>>(
      `${this.#path}/timeline?limit=${pageSize}&cursor=${encodeURIComponent(this.nextCursor)}`,
    );
    this.loading = false;
    if (!result.ok) {
      this.problem = result.problem;
      return;
    }
    this.problem = null;
    const seen = new Set(this.items.map((item) => item.id));
    this.items = [...this.items, ...result.data.data.filter((item) => !seen.has(item.id))];
    this.nextCursor = result.data.nextCursor;
  }

  /** Re-reads the newest page after a change (an edit, a logged call), keeping older loaded items. */
  async refresh(): Promise<void> {
    const result = await bff<RecordPage<TimelineItem>>(`${this.#path}/timeline?limit=${pageSize}`);
    if (!result.ok) return;
    const fresh = result.data.data;
    const ids = new Set(fresh.map((item) => item.id));
    const oldest = fresh.at(-1)?.occurredAt;
    // Loaded items older than the fresh page stay; ones inside it are replaced by it.
    const older = oldest ? this.items.filter((item) => !ids.has(item.id) && item.occurredAt < oldest) : [];
    this.items = [...fresh, ...older];
    if (!older.length) this.nextCursor = result.data.nextCursor;
  }

  /** Shows an item at once (a note just written), before any reload. */
  prepend(item: TimelineItem): void {
    this.items = [item, ...this.items.filter((existing) => existing.id !== item.id)];
  }
}
