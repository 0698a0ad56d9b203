/** The look of text inputs, selects and text areas, shared so every form reads the same. */
export const inputClass =
  "w-full min-h-10 rounded-[var(--radius)] border border-border bg-surface px-3 py-1.5 text-sm text-text placeholder:text-muted aria-invalid:border-danger";
