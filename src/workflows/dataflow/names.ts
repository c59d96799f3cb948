/** Default AEP names of a dataflow; they depend only on its name, so every retry and restart looks up the same. */
export const defaultNames = (name: string) => ({
  flowName: `pendoflow ${name} Pendo dataflow`,
  accountName: `pendoflow ${name} Pendo source`,
  schemaTitle: `pendoflow ${name} Pendo events`,
  datasetName: `pendoflow-${name}-pendo-events`,
});

/**
 * Every description this dataflow writes ends with this marker. A name found in AEP without it belongs to
 * someone else: it is never adopted, so compensation and delete never remove what this dataflow did not create.
 */
export const ownerMarker = (workflowId: string): string => `[managed by pendoflow: ${workflowId}]`;

export function withOwner(description: string, workflowId: string): string {
  const marker = ownerMarker(workflowId);
  const text = description.replace(marker, '').trim();
  return text ? `${text} ${marker}` : marker;
}

export const isOwnedBy = (description: unknown, workflowId: string): boolean =>
  typeof description === 'string' && description.includes(ownerMarker(workflowId));
