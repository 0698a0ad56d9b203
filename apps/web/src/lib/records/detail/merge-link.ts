/** The duplicate merge screen for two contacts (the first is offered as the one that stays). */
export function mergeLink(firstId: string, secondId: string): string {
  return `/contacts/merge?ids=${encodeURIComponent(firstId)},${encodeURIComponent(secondId)}`;
}
