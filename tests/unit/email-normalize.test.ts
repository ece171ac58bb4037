import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../app/utils/email-normalize.ts';

describe('normalizeEmail', () => {
  it('folds case and trims', () => {
    expect(normalizeEmail('  Aigerim@Mail.KZ ')).toBe('aigerim@mail.kz');
  });
  it('ignores dots and +tags for Gmail, and treats googlemail.com as gmail.com', () => {
    expect(normalizeEmail('Marat.Tur+petition@gmail.com')).toBe('marattur@gmail.com');
    expect(normalizeEmail('m.a.r.a.t@googlemail.com')).toBe('marat@gmail.com');
  });
  it('drops +tags but keeps dots on other domains', () => {
    expect(normalizeEmail('d.kaliyeva+news@example.org')).toBe('d.kaliyeva@example.org');
  });
  it('leaves a string without a local part alone', () => {
    expect(normalizeEmail('@example.org')).toBe('@example.org');
  });
});
