import GRDB

/// The schema, one migration per released version. Shipped migrations never change and never use
/// app types: they are plain SQL.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE root (
                    id INTEGER PRIMARY KEY,
                    path TEXT NOT NULL UNIQUE,
                    addedAt DOUBLE NOT NULL
                );
                CREATE TABLE file (
                    id INTEGER PRIMARY KEY,
                    rootId INTEGER NOT NULL REFERENCES root(id) ON DELETE CASCADE,
                    path TEXT NOT NULL UNIQUE,
                    size INTEGER NOT NULL,
                    modifiedAt INTEGER NOT NULL,
                    contentHash BLOB,
                    status TEXT NOT NULL CHECK (status IN ('indexed', 'skipped')),
                    skipReason TEXT,
                    indexedAt DOUBLE NOT NULL
                );
                CREATE INDEX file_root ON file(rootId);
                CREATE TABLE chunk (
                    id INTEGER PRIMARY KEY,
                    fileId INTEGER NOT NULL REFERENCES file(id) ON DELETE CASCADE,
                    ordinal INTEGER NOT NULL,
                    startLine INTEGER NOT NULL,
                    endLine INTEGER NOT NULL,
                    startByte INTEGER NOT NULL,
                    endByte INTEGER NOT NULL,
                    context TEXT NOT NULL,
                    text TEXT NOT NULL,
                    contentHash BLOB NOT NULL,
                    tokenCount INTEGER NOT NULL,
                    UNIQUE (fileId, ordinal)
                );
                CREATE INDEX chunk_content ON chunk(contentHash);
                CREATE TABLE model (
                    id INTEGER PRIMARY KEY,
                    identity TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    dimension INTEGER NOT NULL
                );
                CREATE TABLE vector (
                    contentHash BLOB NOT NULL,
                    modelId INTEGER NOT NULL REFERENCES model(id) ON DELETE CASCADE,
                    embedding BLOB NOT NULL,
                    PRIMARY KEY (contentHash, modelId)
                ) WITHOUT ROWID;
                CREATE VIRTUAL TABLE chunk_fts USING fts5(text, path, tokenize = 'unicode61 remove_diacritics 2');
                CREATE VIRTUAL TABLE chunk_trigram USING fts5(text, path, tokenize = 'trigram');
                CREATE TRIGGER chunk_after_insert AFTER INSERT ON chunk BEGIN
                    INSERT INTO chunk_fts(rowid, text, path)
                        VALUES (new.id, new.context || char(10) || new.text, (SELECT path FROM file WHERE id = new.fileId));
                    INSERT INTO chunk_trigram(rowid, text, path)
                        VALUES (new.id, new.context || char(10) || new.text, (SELECT path FROM file WHERE id = new.fileId));
                END;
                CREATE TRIGGER chunk_after_delete AFTER DELETE ON chunk BEGIN
                    DELETE FROM chunk_fts WHERE rowid = old.id;
                    DELETE FROM chunk_trigram WHERE rowid = old.id;
                END;
                """)
        }
        migrator.registerMigration("v2") { db in
            // The file says it is a qwery index (see IndexFileCheck) and which schema it has.
            try db.execute(sql: "PRAGMA application_id = 1903653497; PRAGMA user_version = 2")
        }
        migrator.registerMigration("v3") { db in
            // A vector whose content no chunk uses is kept for a grace period (an unmounted disk, a moved
            // folder, a file deleted by mistake): hours of embedding are not redone when it comes back.
            try db.execute(sql: "ALTER TABLE vector ADD COLUMN orphanedAt DOUBLE; PRAGMA user_version = 3")
        }
        migrator.registerMigration("v4") { db in
            // Documents: a chunk's page or notebook cell, and each document's extracted text by content hash
            // (its sections as JSON to re-chunk without re-extracting, and the text the preview shows).
            try db.execute(sql: """
                ALTER TABLE chunk ADD COLUMN locatorKind TEXT;
                ALTER TABLE chunk ADD COLUMN locatorNumber INTEGER;
                CREATE TABLE documentText (
                    contentHash BLOB PRIMARY KEY,
                    format TEXT NOT NULL,
                    sections TEXT NOT NULL,
                    text TEXT NOT NULL
                );
                PRAGMA user_version = 4
                """)
        }
        migrator.registerMigration("v5") { db in
            // Code parsed by a grammar: the symbols (`Ledger.reconcile`) a chunk holds, for results and `sym:`.
            try db.execute(sql: "ALTER TABLE chunk ADD COLUMN symbol TEXT; PRAGMA user_version = 5")
        }
        migrator.registerMigration("v6") { db in
            // Code-aware lexical search: the words index gains identifier parts and stems (`variants`), the
            // file's name and folders relative to its root (no longer the absolute path, whose `home alice`
            // every chunk carried), and the chunk's symbols; prefixes of three letters are indexed so a
            // prefix query never merges every term of the index. The qwery_* functions are Store's own
            // (SearchFunctions), registered on every connection that writes.
            try db.execute(sql: """
                DROP TRIGGER chunk_after_insert;
                DROP TRIGGER chunk_after_delete;
                DROP TABLE chunk_fts;
                CREATE VIRTUAL TABLE chunk_fts USING fts5(text, variants, name, folder, symbol,
                    tokenize = 'unicode61 remove_diacritics 2', prefix = '3');
                INSERT INTO chunk_fts(rowid, text, variants, name, folder, symbol)
                    SELECT chunk.id, chunk.context || char(10) || chunk.text, qwery_variants(chunk.context || ' ' || chunk.text),
                           qwery_name_words(file.path, root.path), qwery_folder_words(file.path, root.path),
                           coalesce(chunk.symbol, '') || ' ' || qwery_variants(coalesce(chunk.symbol, ''))
                    FROM chunk JOIN file ON file.id = chunk.fileId JOIN root ON root.id = file.rootId;
                CREATE TRIGGER chunk_after_insert AFTER INSERT ON chunk BEGIN
                    INSERT INTO chunk_fts(rowid, text, variants, name, folder, symbol)
                        SELECT new.id, new.context || char(10) || new.text, qwery_variants(new.context || ' ' || new.text),
                               qwery_name_words(file.path, root.path), qwery_folder_words(file.path, root.path),
                               coalesce(new.symbol, '') || ' ' || qwery_variants(coalesce(new.symbol, ''))
                        FROM file JOIN root ON root.id = file.rootId WHERE file.id = new.fileId;
                    INSERT INTO chunk_trigram(rowid, text, path)
                        VALUES (new.id, new.context || char(10) || new.text, (SELECT path FROM file WHERE id = new.fileId));
                END;
                CREATE TRIGGER chunk_after_delete AFTER DELETE ON chunk BEGIN
                    DELETE FROM chunk_fts WHERE rowid = old.id;
                    DELETE FROM chunk_trigram WHERE rowid = old.id;
                END;
                PRAGMA user_version = 6
                """)
        }
        migrator.registerMigration("v7") { db in
            // A count of changes to the files and roots, so a search knows in one read whether what it resolved a
            // filter against still holds (it summed the whole file table on every keystroke: 2.5 ms at 10,000
            // files, 25 at 100,000). A file's chunks only change with its row (saveIndexedFile writes both).
            var triggers = ""
            for table in ["file", "root"] {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    triggers += """
                        CREATE TRIGGER \(table)_after_\(event.lowercased())_counted AFTER \(event) ON \(table) BEGIN
                            UPDATE changeCounter SET value = value + 1 WHERE name = 'files';
                        END;

                        """
                }
            }
            try db.execute(sql: """
                CREATE TABLE changeCounter (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO changeCounter (name, value) VALUES ('files', 0);
                \(triggers)PRAGMA user_version = 7
                """)
        }
        migrator.registerMigration("v8") { db in
            // How each file was chunked (its rules and grammar): a file indexed another way is chunked again though it
            // did not change. NULL for the files already indexed: each is chunked once more, with what is installed now.
            try db.execute(sql: "ALTER TABLE file ADD COLUMN chunking TEXT; PRAGMA user_version = 8")
        }
        migrator.registerMigration("v9") { db in
            // Whether a file's first lines say a tool wrote it (GeneratedMarker), for ranking; set when it is indexed.
            try db.execute(sql: "ALTER TABLE file ADD COLUMN generated INTEGER NOT NULL DEFAULT 0; PRAGMA user_version = 9")
        }
        return migrator
    }
}
