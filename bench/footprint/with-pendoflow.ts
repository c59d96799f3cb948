// The idle workflow in a bundle with every pendoflow workflow: each cached workflow evaluates all their modules.
export * from '../../src/workflows';
export { idle } from './idle';
