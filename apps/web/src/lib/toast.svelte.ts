export interface Toast {
  id: number;
  kind: "info" | "success" | "error";
  message: string;
}

/** Short notices at the corner of the screen ("Deal moved", "The API refused: ..."), read by screen readers. */
class Toasts {
  items = $state<Toast[]>([]);
  #next = 1;

  show(message: string, kind: Toast["kind"] = "info", ms = kind === "error" ? 8000 : 4000): void {
    const id = this.#next++;
    this.items.push({ id, kind, message });
    setTimeout(() => this.dismiss(id), ms);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((toast) => toast.id !== id);
  }
}

export const toasts = new Toasts();
