export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds these fields to every line. */
  child(fields: LogFields): Logger;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  level?: LogLevel;
  /** Where each JSON line goes; defaults to the console (Workers Logs and journald read it). */
  write?: (line: string, level: LogLevel) => void;
}

const consoleWrite = (line: string, level: LogLevel) => {
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
};

/**
 * A structured logger writing one JSON object per line: time, level, message and fields.
 * @example
 * const log = createLogger({ service: 'router' });
 * log.info('node went down', { nodeId: 'blog-home', reason: '3 failed checks' });
 */
export function createLogger(bindings: LogFields = {}, options: LoggerOptions = {}): Logger {
  const minimum = RANK[options.level ?? 'info'];
  const write = options.write ?? consoleWrite;
  const emit = (level: LogLevel, message: string, fields?: LogFields) => {
    if (RANK[level] < minimum) return;
    const line = { time: new Date().toISOString(), level, message, ...bindings, ...fields };
    write(
      JSON.stringify(line, (_key, value) => (value instanceof Error ? value.message : value)),
      level,
    );
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    child: (fields) => createLogger({ ...bindings, ...fields }, options),
  };
}
