-- search_index again with FTS5 prefix indexes of 2 to 5 characters: a search term typed as a
-- prefix (`"gmail"*`, `"mar"*`) of those lengths reads one doclist, which FTS5 can seek to the
-- tenant's rowid range, instead of merging the doclists of every term that starts with it in
-- all tenants (bench/README.md, "Contact lists and search"). Same columns and tokenizer, so
-- every writer is unchanged; the rows are copied through a plain table (no virtual table rename).
CREATE TABLE `search_index_copy` (`rowid` integer PRIMARY KEY, `scope` text, `body` text);--> statement-breakpoint
INSERT INTO `search_index_copy` (`rowid`, `scope`, `body`) SELECT `rowid`, `scope`, `body` FROM `search_index`;--> statement-breakpoint
DROP TABLE `search_index`;--> statement-breakpoint
CREATE VIRTUAL TABLE `search_index` USING fts5(
  `scope`,
  `body`,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3 4 5'
);--> statement-breakpoint
INSERT INTO `search_index` (`rowid`, `scope`, `body`) SELECT `rowid`, `scope`, `body` FROM `search_index_copy`;--> statement-breakpoint
DROP TABLE `search_index_copy`;
