/** The subset of pino the engine uses; adapters pass a real pino logger, tests a recorder. */
export interface EngineLogger {
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

export const silentLogger: EngineLogger = {
  info() {},
  warn() {},
  error() {},
};
