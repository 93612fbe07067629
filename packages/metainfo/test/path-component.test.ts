import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSafePathComponent, sanitizePathComponent } from '../src/index.js';

describe('sanitizePathComponent', () => {
  it.each(['', '.', '..', '...', ' ', '. .', '.. ', 'a/b', '/etc', 'a\\b', '..\\x', 'a\u0000b', 'C:', 'c:foo', 'a:b', 'Z:\\'])('refuses %j', (component) => {
    expect(sanitizePathComponent(component)).toBeUndefined();
    expect(isSafePathComponent(component)).toBe(false);
  });

  it.each([
    ['CON', '_CON'],
    ['con', '_con'],
    ['Nul.txt', '_Nul.txt'],
    ['aux.c', '_aux.c'],
    ['COM1', '_COM1'],
    ['lpt9.tar.gz', '_lpt9.tar.gz'],
    ['CON .txt', '_CON .txt'],
    ['tab\there', 'tab_here'],
    ['esc\u001b[31m', 'esc_[31m'],
    ['c1\u0085', 'c1_'],
  ])('sanitises %j to %j', (component, safe) => {
    expect(sanitizePathComponent(component)).toBe(safe);
    expect(isSafePathComponent(component)).toBe(false);
    expect(isSafePathComponent(safe)).toBe(true);
  });

  it.each(['file.txt', '.hidden', '..gitignore', 'a..b', 'CONSOLE', 'com10', 'aux_c', 'ünïcödé', 'ab:c', 'name.'])('keeps %j as it is', (component) => {
    expect(sanitizePathComponent(component)).toBe(component);
    expect(isSafePathComponent(component)).toBe(true);
  });

  it('is idempotent, and what it returns is always safe', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), (component) => {
        const safe = sanitizePathComponent(component);
        if (safe === undefined) return;
        expect(isSafePathComponent(safe)).toBe(true);
        expect([...safe].some((c) => c === '/' || c === '\\' || c.charCodeAt(0) < 0x20)).toBe(false);
        expect(safe).not.toMatch(/^[. ]*$/);
      }),
    );
  });
});
