/**
 * Numbered schema migrations. Append only: a released migration never changes, a new one is added.
 * JSON columns hold the structured parts of a row that are always read whole.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE runtimes (
        slug        TEXT PRIMARY KEY,
        config      TEXT NOT NULL,
        source      TEXT NOT NULL CHECK (source IN ('api', 'config')),
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );
      CREATE TABLE runtime_versions (
        runtime_slug TEXT NOT NULL REFERENCES runtimes(slug) ON DELETE CASCADE,
        version      INTEGER NOT NULL,
        config       TEXT NOT NULL,
        reason       TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        PRIMARY KEY (runtime_slug, version)
      );
      CREATE TABLE deployments (
        api_slug     TEXT PRIMARY KEY,
        runtime_slug TEXT NOT NULL REFERENCES runtimes(slug),
        config       TEXT NOT NULL,
        source       TEXT NOT NULL CHECK (source IN ('api', 'config')),
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL
      );
      CREATE TABLE workspaces (
        id          TEXT PRIMARY KEY,
        path        TEXT NOT NULL,
        managed     INTEGER NOT NULL,
        created_at  TEXT NOT NULL
      );
      CREATE TABLE runs (
        id              TEXT PRIMARY KEY,
        deployment      TEXT NOT NULL,
        runtime_slug    TEXT NOT NULL,
        runtime_version INTEGER,
        status          TEXT NOT NULL,
        status_reason   TEXT,
        input           TEXT NOT NULL,
        output          TEXT,
        error           TEXT,
        dev_url         TEXT,
        files           TEXT NOT NULL DEFAULT '[]',
        messages        TEXT NOT NULL DEFAULT '[]',
        tool_calls      TEXT NOT NULL DEFAULT '[]',
        usage           TEXT NOT NULL,
        turns           INTEGER NOT NULL DEFAULT 0,
        mounts          TEXT NOT NULL DEFAULT '[]',
        created_at      TEXT NOT NULL,
        started_at      TEXT,
        ended_at        TEXT
      );
      CREATE INDEX runs_by_deployment ON runs (deployment, id DESC);
      CREATE INDEX runs_by_status ON runs (status, id DESC);
      CREATE TABLE run_events (
        run_id      TEXT NOT NULL,
        seq         INTEGER NOT NULL,
        type        TEXT NOT NULL,
        data        TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
      ) WITHOUT ROWID;
      CREATE TABLE webhook_deliveries (
        id          TEXT PRIMARY KEY,
        run_id      TEXT NOT NULL,
        event       TEXT NOT NULL,
        url         TEXT NOT NULL,
        attempt     INTEGER NOT NULL,
        status_code INTEGER,
        error       TEXT,
        created_at  TEXT NOT NULL
      );
      CREATE INDEX webhook_deliveries_by_run ON webhook_deliveries (run_id);
    `,
  },
  {
    version: 2,
    name: 'append-only run messages and tool calls',
    // A run's conversation grows by a few entries per step; rewriting it whole as one JSON column
    // made every step cost O(steps). Existing runs move their arrays into the new tables.
    sql: `
      CREATE TABLE run_messages (
        run_id      TEXT NOT NULL,
        seq         INTEGER NOT NULL,
        role        TEXT NOT NULL,
        data        TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
      ) WITHOUT ROWID;
      CREATE TABLE run_tool_calls (
        run_id      TEXT NOT NULL,
        seq         INTEGER NOT NULL,
        data        TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
      ) WITHOUT ROWID;
      INSERT INTO run_messages (run_id, seq, role, data)
        SELECT runs.id, m.key, json_extract(m.value, '$.role'), m.value FROM runs, json_each(runs.messages) AS m;
      INSERT INTO run_tool_calls (run_id, seq, data)
        SELECT runs.id, c.key, c.value FROM runs, json_each(runs.tool_calls) AS c;
      UPDATE runs SET messages = '[]', tool_calls = '[]';
    `,
  },
  {
    // Evals: an eval with its variants, and one row per case x variant x trial with its checks and run.
    version: 3,
    name: 'evals',
    sql: `
      CREATE TABLE evals (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        deployment  TEXT NOT NULL,
        suite       TEXT NOT NULL,
        suite_file  TEXT,
        variants    TEXT NOT NULL,
        repeat      INTEGER NOT NULL,
        status      TEXT NOT NULL,
        error       TEXT,
        recorded    INTEGER NOT NULL DEFAULT 0,
        replay_of   TEXT,
        created_at  TEXT NOT NULL,
        ended_at    TEXT
      );
      CREATE TABLE eval_results (
        eval_id       TEXT NOT NULL REFERENCES evals(id) ON DELETE CASCADE,
        case_index    INTEGER NOT NULL,
        variant_index INTEGER NOT NULL,
        trial         INTEGER NOT NULL,
        case_name     TEXT NOT NULL,
        variant_label TEXT NOT NULL,
        run_id        TEXT,
        status        TEXT NOT NULL,
        passed        INTEGER NOT NULL DEFAULT 0,
        checks        TEXT NOT NULL DEFAULT '[]',
        run_status    TEXT,
        turns         INTEGER NOT NULL DEFAULT 0,
        tokens        INTEGER NOT NULL DEFAULT 0,
        cost_usd      REAL,
        duration_ms   INTEGER,
        PRIMARY KEY (eval_id, case_index, variant_index, trial)
      ) WITHOUT ROWID;
      CREATE INDEX eval_results_by_run ON eval_results (run_id);
    `,
  },
  {
    version: 4,
    name: 'integration stand-ins and the tool specs a version ran with',
    sql: `
      CREATE TABLE integration_items (
        integration TEXT NOT NULL,
        kind        TEXT NOT NULL,
        id          TEXT NOT NULL,
        run_id      TEXT,
        data        TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        PRIMARY KEY (integration, kind, id)
      );
      ALTER TABLE runtime_versions ADD COLUMN tool_specs TEXT;
    `,
  },
];
