export * from './registry';
export * from './keys';
