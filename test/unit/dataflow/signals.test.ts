import {
  DeleteArgsSchema,
  describeIssues,
  UpdateAccountArgsSchema,
  UpdateArgsSchema,
} from '../../../src/workflows/dataflow/schema';

const why = (result: { success: boolean; error?: Parameters<typeof describeIssues>[0] }) =>
  result.success ? 'accepted' : describeIssues(result.error as Parameters<typeof describeIssues>[0]);

describe('signal validation', () => {
  it('accepts a partial update and defaults the mapping source type', () => {
    expect(UpdateArgsSchema.parse({ name: 'v2' })).toEqual({ name: 'v2' });
    expect(UpdateArgsSchema.parse({ mappings: [{ source: 'uniqueId', destination: 'uniqueId' }] })).toEqual({
      mappings: [{ source: 'uniqueId', destination: 'uniqueId', sourceType: 'ATTRIBUTE' }],
    });
  });

  it('rejects updates with a readable reason', () => {
    expect(why(UpdateArgsSchema.safeParse({}))).toBe('(argument): needs at least one of name, description, mappings');
    expect(why(UpdateArgsSchema.safeParse({ mappings: [{ source: 'accountId', destination: 'accountId' }] }))).toMatch(
      /^mappings: must map uniqueId/,
    );
    expect(
      why(
        UpdateArgsSchema.safeParse({
          mappings: [
            { source: 'uniqueId', destination: 'uniqueId' },
            { source: 'id', destination: 'uniqueId', sourceType: 'ATTRIBUTE' },
          ],
        }),
      ),
    ).toBe('mappings: maps a destination field twice');
    expect(why(UpdateArgsSchema.safeParse({ name: 'a,b' }))).toMatch(/^name: must not contain a comma/);
    expect(why(UpdateArgsSchema.safeParse({ name: 'x', force: true }))).toMatch(/force/);
    expect(why(UpdateArgsSchema.safeParse({ mappings: [{ source: 'x', destination: 'nope' }] }))).toMatch(
      /^mappings.0.destination: must be one of/,
    );
  });

  it('validates updateAccount and delete', () => {
    expect(why(UpdateAccountArgsSchema.safeParse({}))).toBe('(argument): needs name or description');
    expect(why(UpdateAccountArgsSchema.safeParse({ description: 'renamed' }))).toBe('accepted');
    expect(why(DeleteArgsSchema.safeParse({}))).toBe('accepted');
    expect(why(DeleteArgsSchema.safeParse({ reason: 'done' }))).toBe('accepted');
    expect(why(DeleteArgsSchema.safeParse({ cascade: true }))).toMatch(/cascade/);
  });
});
