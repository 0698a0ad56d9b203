import { domainEventTypes } from "@crm/records";

/** The event types a webhook can subscribe to, grouped by what they are about (`deal.won` → deal). */
export const eventTypeGroups: { subject: string; types: string[] }[] = (() => {
  const groups = new Map<string, string[]>();
  for (const type of domainEventTypes) {
    const subject = type.split(".")[0]!;
    groups.set(subject, [...(groups.get(subject) ?? []), type]);
  }
  return [...groups].map(([subject, types]) => ({ subject, types }));
})();
