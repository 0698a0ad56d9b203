-- Full-text search over CRM records (FTS5). Rowids come from search_documents. `scope` holds
-- two tokens per row, one for the tenant and one for tenant + record type, so MATCH narrows to
-- the tenant inside the index instead of joining and filtering afterwards.
CREATE VIRTUAL TABLE `search_index` USING fts5(
  `scope`,
  `body`,
  tokenize = 'unicode61 remove_diacritics 2'
);
