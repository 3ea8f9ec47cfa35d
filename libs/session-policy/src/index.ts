export * from './lib/session-policy';
