import { describe, expect, it } from 'vitest';
import { fieldErrors } from '../../app/validation/forms.ts';
import { signatureSchema } from '../../app/validation/signature.ts';

const valid = { fullName: 'Нұрғали Ақжігітов', email: 'nurgali@example.kz', city: 'Өскемен', country: 'KZ', consent: 'on' };

describe('signatureSchema', () => {
  it('accepts Kazakh and Cyrillic names and cities, apostrophes and hyphens', () => {
    const cases = [
      { fullName: 'Нұрғали Ақжігітов', city: 'Өскемен' },
      { fullName: "Danaya O'Neil-Kaliyeva", city: 'Ust-Kamenogorsk' },
      { fullName: 'Жанна Д’Арк', city: 'Алматы' },
    ];
    for (const c of cases) {
      const result = signatureSchema.safeParse({ ...valid, ...c });
      expect(result.success, JSON.stringify(c)).toBe(true);
      expect(result.data?.fullName).toBe(c.fullName);
    }
  });

  it('normalises whitespace and Unicode form', () => {
    const decomposed = 'Ақжігітов'.normalize('NFD');
    const result = signatureSchema.parse({ ...valid, fullName: `  Нұрғали   ${decomposed} ` });
    expect(result.fullName).toBe('Нұрғали Ақжігітов');
  });

  it('turns checkboxes into booleans and an empty comment into null', () => {
    const result = signatureSchema.parse({ ...valid, showName: 'on', comment: '   ' });
    expect(result.showName).toBe(true);
    expect(result.wantsUpdates).toBe(false);
    expect(result.comment).toBeNull();
  });

  it('explains each problem per field', () => {
    const result = signatureSchema.safeParse({ fullName: '', email: 'not-an-email', city: 'x'.repeat(101), country: 'ZZ' });
    expect(result.success).toBe(false);
    const errors = fieldErrors(result.error!);
    expect(errors.fullName).toBe('Please enter your full name.');
    expect(errors.email).toMatch(/does not look like an email/);
    expect(errors.city).toMatch(/too long/);
    expect(errors.country).toMatch(/choose your country/);
    expect(errors.consent).toMatch(/tick the box/);
  });

  it('rejects over-long names, comments and emails', () => {
    expect(signatureSchema.safeParse({ ...valid, fullName: 'А'.repeat(121) }).success).toBe(false);
    expect(signatureSchema.safeParse({ ...valid, comment: 'a'.repeat(1001) }).success).toBe(false);
    expect(signatureSchema.safeParse({ ...valid, email: `${'a'.repeat(250)}@example.org` }).success).toBe(false);
  });

  it('rejects control characters and names without letters', () => {
    expect(signatureSchema.safeParse({ ...valid, fullName: 'Marat\u0000Turymbetov' }).success).toBe(false);
    expect(signatureSchema.safeParse({ ...valid, fullName: '---' }).success).toBe(false);
  });
});
