/**
 * PostgreSQL reports a broken unique constraint as SQLSTATE 23505. drizzle wraps driver
 * errors (the original is in `cause`), and the two drivers name the constraint field
 * differently, so all of those places are looked at.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (
    let current = error;
    current && typeof current === 'object';
    current = (current as { cause?: unknown }).cause
  ) {
    const fields = current as { code?: string; constraint?: string; constraint_name?: string };
    if (fields.code === '23505') {
      return constraint === undefined || (fields.constraint ?? fields.constraint_name) === constraint;
    }
  }
  return false;
}
