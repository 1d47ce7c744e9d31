-- Documents and congress preparation: the register of Party documents (identified by symbol,
-- date and the issuer's full identity), their attached files (content-addressed, in the
-- database), links between documents, numbering sequences, dissemination conferences,
-- subcommittees with their task checklists, drafts with versions and comments, and the
-- congress budget. Kept in step with ../postgres/0005_documents.sql.

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    -- The unit whose register holds the document (decides who may see it).
    unit_id BIGINT NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    number BIGINT NOT NULL,
    issuer_code TEXT NOT NULL,
    symbol TEXT NOT NULL,
    symbol_fold TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    -- The issuing body: a unit of the tree, or a named body outside it ("Bộ Chính trị").
    issuer_unit_id BIGINT REFERENCES units(id),
    issuer_name TEXT NOT NULL,
    issuer_key TEXT NOT NULL,
    -- 'own' when the register's unit issued it (numbered from its sequences), else 'received'.
    origin TEXT NOT NULL,
    summary TEXT NOT NULL,
    summary_fold TEXT NOT NULL,
    signer TEXT,
    congress_id BIGINT REFERENCES congresses(id),
    note TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
-- Two 35-CT/TW exist (2019 and 2024): the symbol alone is not an identity.
CREATE UNIQUE INDEX documents_identity ON documents (unit_id, issuer_key, symbol, issued_on);
CREATE INDEX documents_path ON documents (unit_path, issued_on);
CREATE INDEX documents_symbol ON documents (symbol_fold);

-- File contents, addressed by their SHA-256: the same file attached twice is stored once.
CREATE TABLE document_files (
    sha256 TEXT PRIMARY KEY,
    size_bytes BIGINT NOT NULL,
    content BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE document_attachments (
    id INTEGER PRIMARY KEY,
    document_id BIGINT NOT NULL REFERENCES documents(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL REFERENCES document_files(sha256),
    uploaded_at BIGINT NOT NULL,
    uploaded_by TEXT NOT NULL
);
CREATE INDEX document_attachments_document ON document_attachments (document_id);
CREATE INDEX document_attachments_sha ON document_attachments (sha256);

CREATE TABLE document_links (
    id INTEGER PRIMARY KEY,
    from_id BIGINT NOT NULL REFERENCES documents(id),
    to_id BIGINT NOT NULL REFERENCES documents(id),
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX document_links_pair ON document_links (from_id, to_id, kind);
CREATE INDEX document_links_to ON document_links (to_id);

-- The last number handed out by each register sequence: (unit, 'term:2020-08-16', 'HD') for a
-- committee term's documents of one type, (unit, 'congress:7', '*') for a congress.
CREATE TABLE number_sequences (
    unit_id BIGINT NOT NULL REFERENCES units(id),
    scope TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    last_number BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (unit_id, scope, doc_type)
);

CREATE TABLE conferences (
    id INTEGER PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    held_on TEXT NOT NULL,
    title TEXT NOT NULL,
    organiser TEXT NOT NULL,
    audience TEXT,
    venue TEXT,
    chair_name TEXT NOT NULL,
    chair_title TEXT,
    conclusions TEXT,
    source TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX conferences_path ON conferences (unit_path, held_on);

CREATE TABLE conference_presenters (
    id INTEGER PRIMARY KEY,
    conference_id BIGINT NOT NULL REFERENCES conferences(id),
    position BIGINT NOT NULL,
    full_name TEXT NOT NULL,
    title TEXT
);
CREATE INDEX conference_presenters_conference ON conference_presenters (conference_id, position);

-- The documents a conference introduced; presenter_id NULL: introduced jointly by the presenters.
CREATE TABLE conference_documents (
    conference_id BIGINT NOT NULL REFERENCES conferences(id),
    document_id BIGINT NOT NULL REFERENCES documents(id),
    presenter_id BIGINT REFERENCES conference_presenters(id),
    position BIGINT NOT NULL,
    PRIMARY KEY (conference_id, document_id)
);

CREATE TABLE conference_invitees (
    conference_id BIGINT NOT NULL REFERENCES conferences(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    attended BIGINT,
    attendees BIGINT,
    note TEXT,
    PRIMARY KEY (conference_id, unit_id)
);

CREATE TABLE subcommittees (
    id INTEGER PRIMARY KEY,
    congress_id BIGINT NOT NULL REFERENCES congresses(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    decision TEXT,
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX subcommittees_kind ON subcommittees (congress_id, kind);

CREATE TABLE subcommittee_members (
    id INTEGER PRIMARY KEY,
    subcommittee_id BIGINT NOT NULL REFERENCES subcommittees(id),
    position BIGINT NOT NULL,
    full_name TEXT NOT NULL,
    title TEXT,
    role TEXT NOT NULL
);
CREATE INDEX subcommittee_members_sub ON subcommittee_members (subcommittee_id, position);

CREATE TABLE prep_tasks (
    id INTEGER PRIMARY KEY,
    subcommittee_id BIGINT NOT NULL REFERENCES subcommittees(id),
    congress_id BIGINT NOT NULL REFERENCES congresses(id),
    unit_path TEXT NOT NULL,
    position BIGINT NOT NULL,
    template TEXT,
    title TEXT NOT NULL,
    owner TEXT,
    due_on TEXT,
    status TEXT NOT NULL,
    done_on TEXT,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX prep_tasks_sub ON prep_tasks (subcommittee_id, position);
CREATE INDEX prep_tasks_due ON prep_tasks (unit_path, status, due_on);

CREATE TABLE drafts (
    id INTEGER PRIMARY KEY,
    congress_id BIGINT NOT NULL REFERENCES congresses(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX drafts_congress ON drafts (congress_id);

CREATE TABLE draft_versions (
    id INTEGER PRIMARY KEY,
    draft_id BIGINT NOT NULL REFERENCES drafts(id),
    number BIGINT NOT NULL,
    label TEXT NOT NULL,
    prepared_on TEXT NOT NULL,
    note TEXT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX draft_versions_number ON draft_versions (draft_id, number);

CREATE TABLE draft_comments (
    id INTEGER PRIMARY KEY,
    draft_id BIGINT NOT NULL REFERENCES drafts(id),
    version_id BIGINT NOT NULL REFERENCES draft_versions(id),
    from_unit_id BIGINT REFERENCES units(id),
    author TEXT NOT NULL,
    section TEXT,
    body TEXT NOT NULL,
    received_on TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX draft_comments_draft ON draft_comments (draft_id, version_id, id);

-- Planned and actual costs in whole đồng.
CREATE TABLE budget_lines (
    id INTEGER PRIMARY KEY,
    congress_id BIGINT NOT NULL REFERENCES congresses(id),
    unit_path TEXT NOT NULL,
    position BIGINT NOT NULL,
    item TEXT NOT NULL,
    planned BIGINT NOT NULL,
    actual BIGINT,
    note TEXT,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX budget_lines_congress ON budget_lines (congress_id, position);
