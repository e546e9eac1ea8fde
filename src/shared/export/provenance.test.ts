import { describe, expect, it } from 'vitest';
import { JOURNAL_PRESETS } from '../figures/presets';
import { asciiJson, provenanceSummary, sidecarJson, validateProvenance, type Provenance } from './provenance';

const provenance = (): Provenance => ({
  app: 'Interphase',
  version: '0.1.0',
  exportedAt: '2025-03-01T12:00:00.000Z',
  figureName: 'Voltage vs time',
  sources: [{ fileName: 'Li|LPSC|In 0.1 mA cm⁻².csv', sha256: 'a'.repeat(64) }],
  analysis: [{ kind: 'cycling', parameters: { currentDensityMACm2: 0.1, note: 'x ]]> y' } }],
  preset: { ...JOURNAL_PRESETS[0] },
});

describe('provenance', () => {
  it('accepts a complete record and names the bad field of a broken one', () => {
    expect(validateProvenance(provenance())).toEqual(provenance());
    expect(() => validateProvenance({ ...provenance(), exportedAt: '1 March 2025' })).toThrow(/exportedAt/);
    expect(() => validateProvenance({ ...provenance(), version: 'dev' })).toThrow(/version/);
    expect(() => validateProvenance({ ...provenance(), sources: [{ fileName: 'a.csv', sha256: 'ABC' }] })).toThrow(/sources\[0\]\.sha256/);
    expect(() => validateProvenance({ ...provenance(), preset: { ...JOURNAL_PRESETS[0], dpi: 100 as 300 } })).toThrow(/preset dpi/);
  });

  it('writes ASCII-only JSON that parses back to the same value and cannot close a CDATA section', () => {
    const text = asciiJson(provenance());
    expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
    expect(text).not.toContain(']]>');
    expect(JSON.parse(text)).toEqual(provenance());
  });

  it('puts the export details beside the provenance in the sidecar', () => {
    const parsed = JSON.parse(
      sidecarJson(provenance(), { fileName: 'f.png', format: 'png', widthMm: 85, heightMm: 64, widthPx: 2008, heightPx: 1512 }),
    ) as Provenance & {
      export: { widthPx: number };
    };
    expect(parsed.sources[0].sha256).toBe('a'.repeat(64));
    expect(parsed.preset.widthMm).toBe(85);
    expect(parsed.export.widthPx).toBe(2008);
    expect(provenanceSummary(provenance())).toBe(
      'Voltage vs time — Interphase 0.1.0, 2025-03-01T12:00:00.000Z, from Li|LPSC|In 0.1 mA cm⁻².csv',
    );
  });
});
