import { stdSerializers } from 'pino';

/** What a log line says about an error (pino's shape). */
export interface LoggedError {
  type: string;
  message: string;
  stack: string;
  [key: string]: unknown;
}

/** SQLSTATE: five digits or capital letters, as both PostgreSQL drivers report it. */
const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The parts of a PostgreSQL error that name where it failed, never what value made it fail. */
interface DatabaseErrorFields {
  code?: string;
  severity?: string;
  constraint?: string;
  constraint_name?: string;
  table?: string;
  table_name?: string;
  column?: string;
  column_name?: string;
  routine?: string;
}

/**
 * pino's `err` serializer, minus what a failed query would leak. drizzle's DrizzleQueryError
 * prints the query's parameters in its message (and so in its stack), and PostgreSQL's own
 * message and detail quote the offending value ('value "…" is out of range', 'Key (cpr)=(…)'):
 * parameters are citizens' data, so a database error is logged by its SQL text with
 * placeholders, its SQLSTATE and the constraint, table and column it names.
 */
export function loggableError(error: Error): LoggedError {
  const chain = causesOf(error);
  const query = chain.find(
    (link) => 'params' in link && typeof (link as { query?: unknown }).query === 'string',
  );
  const database = chain.find((link) => SQLSTATE.test(String((link as DatabaseErrorFields).code ?? ''))) as
    | (Error & DatabaseErrorFields)
    | undefined;
  if (!query && !database) return stdSerializers.err(error);
  return {
    type: error.constructor.name,
    message: 'database query failed',
    query: (query as { query?: string } | undefined)?.query,
    code: database?.code,
    severity: database?.severity,
    constraint: database?.constraint ?? database?.constraint_name,
    table: database?.table ?? database?.table_name,
    column: database?.column ?? database?.column_name,
    routine: database?.routine,
    // The frames only: the stack's first lines repeat the message, parameters included.
    stack: (error.stack ?? '')
      .split('\n')
      .filter((line) => line.trimStart().startsWith('at '))
      .join('\n'),
  };
}

/** The error and its causes, outermost first (bounded, in case a cause points back). */
function causesOf(error: Error): Error[] {
  const chain: Error[] = [];
  for (let link: unknown = error; link instanceof Error && chain.length < 10; link = link.cause) {
    chain.push(link);
  }
  return chain;
}

/** PostgreSQL refused a value as out of its column's range or not of its type: bad input. */
export function isDatabaseInputError(error: unknown): boolean {
  let link: unknown = error;
  for (let depth = 0; depth < 10 && link && typeof link === 'object'; depth++) {
    const code = (link as DatabaseErrorFields).code;
    // 22003 numeric_value_out_of_range, 22P02 invalid_text_representation.
    if (code === '22003' || code === '22P02') return true;
    link = (link as { cause?: unknown }).cause;
  }
  return false;
}
