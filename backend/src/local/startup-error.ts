/** A start-up failure with one line saying what to change; the program prints it and exits with 2. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/**
 * Says in one line what a known start-up failure means and which setting fixes it, or undefined
 * for anything else (which is then shown in full: it is a fault, not a setting).
 */
export function explainStartupError(error: unknown, settings: { host: string; port: number; dataDir?: string }): string | undefined {
  if (error instanceof StartupError) return error.message;
  const errno = error as NodeJS.ErrnoException | undefined;
  const code = errno?.code;
  // A file-system call that failed on a path: the data directory (a bind's EACCES is the port's, below).
  if (settings.dataDir !== undefined && typeof errno?.path === 'string' && code !== undefined && DATA_DIR_CODES.has(code)) {
    return `DATA_DIR ${settings.dataDir}: cannot be created or written (${code}): set DATA_DIR to a directory this user can write.`;
  }
  switch (code) {
    case 'EADDRINUSE':
      return `PORT ${settings.port} on ${settings.host} is already in use: stop what listens there, or set another PORT (0 picks a free one).`;
    case 'EACCES':
      return `PORT ${settings.port} needs privileges this process does not have: set PORT to 1024 or above.`;
    case 'EADDRNOTAVAIL':
      return `HOST ${settings.host} is not an address of this machine: set HOST to 127.0.0.1, 0.0.0.0 (all interfaces) or one of its addresses.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `HOST ${settings.host} does not resolve: set HOST to an IP address such as 127.0.0.1, or a resolvable name.`;
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `${(error as Error).message.split('\n')[0]}: npm start takes only --help; every setting is an environment variable (PORT=3960 npm start).`;
    default:
      return undefined;
  }
}

const DATA_DIR_CODES = new Set(['EACCES', 'EPERM', 'ENOTDIR', 'EROFS', 'ENOENT', 'EEXIST', 'ENOSPC']);
