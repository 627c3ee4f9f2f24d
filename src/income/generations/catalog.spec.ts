import { describe, expect, it, afterEach } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ReadModelCatalog } from './catalog.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'catalog-'));
  dirs.push(dir);
  return dir;
};
const plan = (n: number) => ({ json: `{"n":${n}}`, fingerprint: `plan-${n}` });

describe('which generation served at a knowledge point', () => {
  it('given a first generation and two rebuilds, is the last to begin serving at or before the point', () => {
    const catalog = new ReadModelCatalog(tempDir());
    const g1 = catalog.createGeneration(plan(1), 'current', '2026-01-01T00:00:00.000Z');
    const g2 = catalog.createGeneration(plan(2), 'building', '2026-02-01T00:00:00.000Z');
    catalog.switchTo(g2.id, null, '2026-02-02T00:00:00.000Z', '100');
    const g3 = catalog.createGeneration(plan(3), 'building', '2026-03-01T00:00:00.000Z');
    catalog.switchTo(g3.id, null, '2026-03-02T00:00:00.000Z', '250');
    catalog.createGeneration(plan(4), 'building', '2026-04-01T00:00:00.000Z'); // never served
    const at = (point: { position: string } | { recordedAt: string }) => catalog.servingAt(point)?.id;

    expect([
      at({ position: '1' }),
      at({ position: '100' }),
      at({ position: '101' }),
      at({ position: '250' }),
      at({ position: '251' }),
    ]).toEqual([g1.id, g1.id, g2.id, g2.id, g3.id]);
    expect(at({ recordedAt: '2025-12-31T00:00:00.000Z' })).toBe(g1.id); // before the first switch: the first generation
    expect(at({ recordedAt: '2026-02-02T00:00:00.000Z' })).toBe(g2.id);
    expect(at({ recordedAt: '2026-03-01T23:59:59.999Z' })).toBe(g2.id);
    expect(at({ recordedAt: '2027-01-01T00:00:00.000Z' })).toBe(g3.id);
    catalog.close();
  });

  it('given a catalogue written before switch positions were kept, adds the column and keeps every generation', () => {
    const dir = tempDir();
    const old = new Database(join(dir, 'catalog.sqlite'));
    old.exec(`CREATE TABLE generations (id INTEGER PRIMARY KEY AUTOINCREMENT, plan_json TEXT NOT NULL, plan_fingerprint TEXT NOT NULL,
      status TEXT NOT NULL, created_at TEXT NOT NULL, switched_at TEXT);
      INSERT INTO generations (plan_json, plan_fingerprint, status, created_at, switched_at) VALUES ('{}', 'p', 'current', 't', 't');`);
    old.close();
    const catalog = new ReadModelCatalog(dir);
    expect(catalog.current()).toMatchObject({ id: 1, planFingerprint: 'p', switchPosition: null });
    catalog.close();
  });
});
