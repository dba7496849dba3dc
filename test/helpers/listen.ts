import type { Server } from "node:http";
import { serve } from "@hono/node-server";

/** Serves an app (Hono or any fetch handler) on 127.0.0.1 at a random port. */
export async function listen(app: {
  // The second argument carries the socket, so the app sees the peer's address.
  fetch: (request: Request, env?: never) => Response | Promise<Response>;
}): Promise<{ url: string; close(): Promise<void> }> {
  const { server, port } = await new Promise<{ server: Server; port: number }>((resolve) => {
    const s = serve(
      { fetch: (request, env) => app.fetch(request, env as never), port: 0, hostname: "127.0.0.1" },
      (info) => resolve({ server: s as Server, port: info.port }),
    );
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
