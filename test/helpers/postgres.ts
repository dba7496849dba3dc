// The launcher lives with the load benchmark, which also needs a server of its own.
export { type PgServer, startPostgres } from "../../eval/throwaway-postgres.ts";
