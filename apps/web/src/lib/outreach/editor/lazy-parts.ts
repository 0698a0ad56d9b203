import { LazyComponent } from "$lib/workflows/lazy.svelte";

/**
 * The editor's menus and pickers (bits-ui's dropdown and combobox) load right after the page
 * instead of with it, keeping the editor's first load small; every step shares one import.
 */
export const tokenPicker = new LazyComponent<{
  label: string;
  contactFields: { key: string; label: string }[];
  oninsert: (token: string) => void;
}>(() => import("./token-picker.svelte"));

export const sequencePreview = new LazyComponent<{ sequenceId: string; dirty: boolean }>(
  () => import("./sequence-preview.svelte"),
);
