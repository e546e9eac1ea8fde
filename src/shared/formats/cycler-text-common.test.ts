import { describe, expect, it } from 'vitest';
import { bindFields, headerUnitOr, mapColumnRoles } from './cycler-text-common';
import { ImportError } from './import-error';

type Role = 'time' | 'current' | 'voltage';
const ROLES: Record<string, Role> = { time: 'time', current: 'current', i: 'current', voltage: 'voltage' };
const roleOf = (header: string): Role | undefined => ROLES[header.replace(/\s*\(.*$/, '').toLowerCase()];
const CANONICAL: Partial<Record<Role, string>> = { time: 'time', current: 'current', voltage: 'voltage' };

/** Fields by number, in an order unlike the columns' (bindFields sorts the picks by column). */
const Field = { Time: 0, Current: 1, Voltage: 2 } as const;
const FIELD_ROLES = (['time', 'current', 'voltage'] as const).map((role, field) => [field, role] as const);
const QUANTITIES = { time: 'time', current: 'current', voltage: 'voltage' } as const;

describe('mapColumnRoles', () => {
  it('maps the first header of each role and keeps every header as a source column', () => {
    const { columns, sourceColumns } = mapColumnRoles(['Time (h)', 'Note', 'Current (A)', 'I (mA)'], roleOf, (r) => CANONICAL[r]);
    expect([...columns]).toEqual([
      ['time', 0],
      ['current', 2],
    ]);
    expect(sourceColumns).toEqual([
      { header: 'Time (h)', unit: 'h', mappedTo: 'time' },
      { header: 'Note', unit: '' },
      { header: 'Current (A)', unit: 'A', mappedTo: 'current' },
      { header: 'I (mA)', unit: 'mA' },
    ]);
  });
});

describe('bindFields', () => {
  const headers = ['Voltage', 'Note', 'Time (h)', 'Current (A)'];
  const { columns } = mapColumnRoles(headers, roleOf, (r) => CANONICAL[r]);
  const fields = bindFields('x.csv', headers, columns, FIELD_ROLES, QUANTITIES, headerUnitOr<Role>({ voltage: 'V' }));

  it('picks only the bound cells and converts them to canonical units (1 h = 3600 s, 1 A = 1000 mA)', () => {
    expect(fields.pick('3.7,hello,1,0.5', ',')).toBe(true);
    expect(fields.value(Field.Time)).toBe(3600);
    expect(fields.value(Field.Current)).toBe(500);
    expect(fields.value(Field.Voltage)).toBe(3.7);
    expect(fields.cell(Field.Current)).toBe('0.5');
  });

  it('reports a line short of the wanted cells and gives NaN for blank or absent fields', () => {
    expect(fields.pick('3.7,hello,1', ',')).toBe(false);
    expect(fields.pick('3.7,,,2', ',')).toBe(true);
    expect(fields.value(Field.Time)).toBeNaN();
    const partial = bindFields(
      'y.csv',
      ['Time (s)'],
      new Map<Role, number>([['time', 0]]),
      FIELD_ROLES,
      QUANTITIES,
      headerUnitOr<Role>({}),
    );
    expect(partial.has(Field.Current)).toBe(false);
    expect(partial.pick('12', ',')).toBe(true);
    expect(partial.value(Field.Current)).toBeNaN();
    expect(partial.cell(Field.Current)).toBe('');
  });

  it('refuses a unit that is not one of the quantity, naming the column', () => {
    const bad = ['Time (s)', 'Current (V)'];
    const mapped = mapColumnRoles(bad, roleOf, (r) => CANONICAL[r]);
    expect(() => bindFields('z.csv', bad, mapped.columns, FIELD_ROLES, QUANTITIES, headerUnitOr<Role>({}))).toThrow(ImportError);
    expect(() => bindFields('z.csv', bad, mapped.columns, FIELD_ROLES, QUANTITIES, headerUnitOr<Role>({}))).toThrow(
      /^z\.csv: column "Current \(V\)" has a unit "V" that is not a current unit\.$/,
    );
  });
});
