export function sessionPolicy(): string {
  return 'session-policy';
}
