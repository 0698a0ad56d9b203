/**
 * The dashboard's shortcuts: `/` focuses the page's search box (`data-shortcut="search"`) and `c`
 * opens its create action (`data-shortcut="create"`), unless the person is typing somewhere.
 */
export function handleShortcut(event: KeyboardEvent): void {
  if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey) return;
  const target = event.target as HTMLElement | null;
  if (target?.closest("input, textarea, select, [contenteditable='true'], [role='dialog']")) return;
  const selector = event.key === "/" ? '[data-shortcut="search"]' : event.key === "c" ? '[data-shortcut="create"]' : null;
  if (!selector) return;
  const element = document.querySelector<HTMLElement>(selector);
  if (!element) return;
  event.preventDefault();
  if (event.key === "/") element.focus();
  else element.click();
}
