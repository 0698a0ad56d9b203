import { type DomainEventType, domainEventTypes, type EventRecordType, eventRecordTypes } from "@crm/records";

// The lists live in @crm/records (pure) so the dashboard offers the same event types.
export { type DomainEventType, domainEventTypes, type EventRecordType, eventRecordTypes };

export function isDomainEventType(value: string): value is DomainEventType {
  return (domainEventTypes as readonly string[]).includes(value);
}

export function isEventRecordType(value: string): value is EventRecordType {
  return (eventRecordTypes as readonly string[]).includes(value);
}
