import pino, { type Logger } from "pino";
import { maskPhones } from "../bot/privacy.ts";

/** Field names that may carry a resident's name; their values are never written. */
const NAME_FIELDS = new Set([
  "senderName",
  "name",
  "contact",
  "contactName",
  "contact_name",
  "phone",
]);

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return maskPhones(value);
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = NAME_FIELDS.has(k) ? "[已隐去]" : scrub(v, depth + 1);
  return out;
}

/**
 * Structured logs (pino) that can never carry a phone number or a name:
 * every string is masked and name-like fields are dropped before writing.
 */
export function createLogger(
  options: { level?: string; destination?: pino.DestinationStream } = {},
): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? "info",
      base: undefined,
      formatters: { log: (obj) => scrub(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) =>
            typeof a === "string" ? maskPhones(a) : a,
          ) as typeof args;
          method.apply(this, masked);
        },
      },
    },
    options.destination ?? pino.destination(2),
  );
}
