import { bff } from "$lib/client/bff";
import type { AppNotification, NotificationPage } from "./types";

/**
 * The signed-in member's in-app notifications (the workflows' `notify` action): the unread
 * count the bell shows, kept fresh by a quiet poll (no progress bar) while the tab is visible,
 * and the recent list the bell's popover reads when opened.
 */
class NotificationCenter {
  unread = $state(0);
  items = $state<AppNotification[]>([]);
  nextCursor = $state<string | null>(null);
  loading = $state(false);
  error = $state("");
  #users = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #lastRead = 0;

  /** The count only, without the progress bar: it runs in the background. */
  async refreshCount(): Promise<void> {
    this.#lastRead = Date.now();
    try {
      const response = await fetch("/bff/notifications?unread=true&limit=1", {
        headers: { accept: "application/json" },
      });
      if (!response.ok) return;
      const page = (await response.json()) as NotificationPage;
      this.unread = page.unreadCount;
    } catch {
      // Offline for a moment: the next poll tries again.
    }
  }

  /** After a navigation: re-read unless it was read moments ago. */
  refreshSoon(): void {
    if (Date.now() - this.#lastRead > 10_000) void this.refreshCount();
  }

  async loadList(): Promise<void> {
    this.loading = true;
    const result = await bff<NotificationPage>("notifications?limit=20");
    this.loading = false;
    if (!result.ok) {
      this.error = result.problem.detail ?? "Notifications could not be loaded.";
      return;
    }
    this.error = "";
    this.items = result.data.data;
    this.nextCursor = result.data.nextCursor;
    this.unread = result.data.unreadCount;
  }

  async loadMore(): Promise<void> {
    if (!this.nextCursor) return;
    const result = await bff<NotificationPage>(`notifications?limit=20&cursor=${encodeURIComponent(this.nextCursor)}`);
    if (!result.ok) {
      this.error = result.problem.detail ?? "More notifications could not be loaded.";
      return;
    }
    this.items = [...this.items, ...result.data.data];
    this.nextCursor = result.data.nextCursor;
  }

  async markRead(id: string): Promise<void> {
    const result = await bff<AppNotification>(`notifications/${id}/read`, { method: "POST" });
    if (!result.ok) {
      this.error = result.problem.detail ?? "The notification could not be marked read.";
      return;
    }
    const wasUnread = this.items.some((item) => item.id === id && !item.readAt);
    this.items = this.items.map((item) => (item.id === id ? result.data : item));
    if (wasUnread) this.unread = Math.max(0, this.unread - 1);
  }

  async markAllRead(): Promise<void> {
    const result = await bff<{ updated: number }>("notifications/read-all", { method: "POST" });
    if (!result.ok) {
      this.error = result.problem.detail ?? "The notifications could not be marked read.";
      return;
    }
    const now = new Date().toISOString();
    this.items = this.items.map((item) => (item.readAt ? item : { ...item, readAt: now }));
    this.unread = 0;
  }

  /** Starts the poll for one bell; the returned function stops it when the last bell goes. */
  start(): () => void {
    this.#users += 1;
    if (this.#users === 1) {
      void this.refreshCount();
      this.#timer = setInterval(() => {
        if (document.visibilityState === "visible") void this.refreshCount();
      }, 60_000);
      document.addEventListener("visibilitychange", this.#onVisible);
    }
    return () => {
      this.#users -= 1;
      if (this.#users === 0) {
        clearInterval(this.#timer);
        document.removeEventListener("visibilitychange", this.#onVisible);
      }
    };
  }

  #onVisible = () => {
    if (document.visibilityState === "visible") this.refreshSoon();
  };
}

export const notificationCenter = new NotificationCenter();
