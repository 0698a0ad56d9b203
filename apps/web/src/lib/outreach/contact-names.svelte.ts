/**
 * Names of the contacts enrollments point at. Enrollments carry a contact id; the API has no
 * "many ids" filter, so each distinct id is fetched once per tab, a few at a time, and its name
 * kept (as the record lists resolve linked records). Browser only: no name is shared between
 * people on the server.
 */
import { SvelteMap } from "svelte/reactivity";
import { contactName } from "./format";

const concurrency = 4;

class ContactNames {
  /** Contact id → name ("Unavailable" when the API answers 404: deleted, or hidden). */
  readonly names = new SvelteMap<string, string>();
  #queue: string[] = [];
  readonly #inFlight = new Set<string>();
  #workers = 0;

  /** Remembers names the API already gave (an enrollment that embeds its contact). */
  know(id: string, name: string) {
    this.names.set(id, name);
  }

  resolve(ids: readonly string[]): void {
    this.#queue = [...new Set(ids)].filter((id) => !this.names.has(id) && !this.#inFlight.has(id));
    while (this.#workers < concurrency && this.#queue.length > 0) {
      this.#workers += 1;
      void this.#work();
    }
  }

  async #work(): Promise<void> {
    try {
      for (let id = this.#queue.shift(); id; id = this.#queue.shift()) {
        this.#inFlight.add(id);
        try {
          // Plain fetch, not bff(): background work must not light up the progress bar.
          const response = await fetch(`/bff/contacts/${encodeURIComponent(id)}`, {
            headers: { accept: "application/json" },
          });
          if (response.ok) this.names.set(id, contactName((await response.json()) as { firstName?: string }));
          else if (response.status === 404) this.names.set(id, "Unavailable");
        } catch {
          // Offline: asked again when the rows change.
        } finally {
          this.#inFlight.delete(id);
        }
      }
    } finally {
      this.#workers -= 1;
    }
  }
}

export const contactNames = new ContactNames();
