export { bulkContacts, type ContactBulkChanges, type ContactBulkRequest } from "./bulk";
export type { ContactInput } from "./input";
export { type ContactListFilters, listContacts, listContactsJson, listLifecycleHistory } from "./list";
export { mergeContacts } from "./merge";
export { contactSearchText, type ContactRow, type PublicContact, publicContact } from "./public";
export { createContact, deleteContact, findVisibleContact, getContact, updateContact } from "./write";
